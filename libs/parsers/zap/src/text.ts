import { compile } from 'html-to-text';

/**
 * Above this length a cut-down string is copied so it no longer points into the original: V8 keeps the parent of a
 * sliced string alive, and a 5 MB evidence field must not stay in memory through a 200-character excerpt.
 */
const DETACH_ABOVE = 64 * 1024;

/** A flat copy of a short string cut from a long one. */
function detach(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

/**
 * Cuts a field to `max` characters before anything else touches it (whitespace collapsing, HTML conversion), so
 * work and memory per field stay bounded whatever the report holds. Never splits a surrogate pair.
 */
export function capField(text: string, max: number, marker = '…'): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - marker.length);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  const cut = text.slice(0, end) + marker;
  return text.length > DETACH_ABOVE ? detach(cut) : cut;
}

const MAX_TEXT_DEPTH = 6;

/**
 * The text of a report value: strings as they are, numbers and booleans (old JSON reports converted from XML) as
 * strings, and for an XML element that has child elements or attributes, its `#text` and children's text in order.
 * Anything else (null, arrays of objects past the depth limit) is empty. `max` bounds the result.
 */
export function textOf(value: unknown, max: number): string {
  if (typeof value === 'string') return capField(value, max);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || typeof value !== 'object') return '';
  const parts: string[] = [];
  let length = 0;
  const visit = (node: unknown, depth: number): void => {
    if (length >= max || depth > MAX_TEXT_DEPTH) return;
    if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') {
      const piece = String(node);
      parts.push(piece);
      length += piece.length;
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const entries = Array.isArray(node) ? node.map((v) => ['', v] as const) : Object.entries(node);
    for (const [key, child] of entries) {
      if (key.startsWith('@')) continue; // attributes are not text
      visit(child, depth + 1);
      if (length >= max) return;
    }
  };
  visit(value, 0);
  return capField(parts.join(' '), max);
}

/** Whitespace collapsed to single spaces and trimmed (for one-line fields: URIs, params, evidence). */
export function oneLine(text: string): string {
  // Most fields are empty or already one clean line; testing is cheaper than rebuilding them.
  if (text.length === 0) return text;
  const clean = text.charCodeAt(0) !== 32 && text.charCodeAt(text.length - 1) !== 32 && !NEEDS_COLLAPSE.test(text);
  return clean ? text : text.replace(/\s+/g, ' ').trim();
}

/** Whitespace other than a single space (what \s matches, minus ' '), or two spaces in a row. */
const NEEDS_COLLAPSE = /[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]| {2}/;

// Configured once: compiling the selector tree per call is ten times slower than calling the compiled function.
const convertHtml = compile({
  wordwrap: false,
  decodeEntities: true,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'p', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
});

/**
 * ZAP's HTML fields (desc, solution, reference, otherinfo) as plain text: tags removed, entities decoded, one
 * line per paragraph, blank lines dropped. Input must already be capped (see capField).
 */
export function htmlToPlainText(html: string): string {
  if (html.length === 0) return '';
  // Most of ZAP's texts are a few plain paragraphs; skip the converter when there is no markup or entity at all.
  const text = /[<&]/.test(html) ? convertHtml(html) : html;
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\r\u00a0]+/g, ' ').trim())
    .filter((line) => line.length > 0)
    .join('\n');
}

/** Memoises htmlToPlainText per input: the same desc/solution text repeats for every site and variant of a rule. */
export function cachedHtmlToPlainText(): (html: string) => string {
  const cache = new Map<string, string>();
  return (html) => {
    let text = cache.get(html);
    if (text === undefined) {
      text = htmlToPlainText(html);
      if (cache.size < 10_000) cache.set(html, text);
    }
    return text;
  };
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"'`]+/g;

/** The http(s) URLs a reference field lists, in order, without duplicates or trailing punctuation. */
export function urlsIn(text: string, max = 20): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const url = match[0].replace(/[.,;:!?)\]}]+$/, '');
    if (url.length > 'https://'.length && url.length <= 2048 && !found.includes(url)) found.push(url);
    if (found.length >= max) break;
  }
  return found;
}
