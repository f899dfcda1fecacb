/**
 * Mutators: each takes one view of a report (its JSON value, its XML text or its bytes) and a seeded PRNG and
 * returns the mutated input plus a one-line description of what it did. Pure: no I/O, no clock, no Math.random,
 * so (campaign seed, run number) reproduces an input exactly.
 */
import fc from 'fast-check';
import { createRng, runSeed, type Rng } from './rng';

export type SeedFormat = 'json' | 'xml' | 'bytes';

/** One real report used as a starting point. */
export interface Seed {
  /** Repo-relative path. */
  name: string;
  bytes: Buffer;
  /** How structural mutators see it: its JSON value, its XML text, or bytes only (unreadable). */
  format: SeedFormat;
  json?: unknown;
  xml?: string;
}

/** Sizes of the expensive mutations (CI keeps the same shapes, a campaign may scale them). */
export interface MutationProfile {
  /** Range of huge strings, in characters. */
  hugeChars: readonly [number, number];
  /** Nesting depths picked from. */
  depths: readonly number[];
  /** How many copies of an array item (capped by maxBytes). */
  copies: readonly number[];
  /** Upper bound on the size a duplicating mutation may reach. */
  maxBytes: number;
}

export const DEFAULT_PROFILE: MutationProfile = {
  hugeChars: [1024 * 1024, 5 * 1024 * 1024],
  depths: [100, 1_000, 10_000, 50_000],
  copies: [2, 10, 100, 1_000, 5_000],
  maxBytes: 8 * 1024 * 1024,
};

export interface MutationContext {
  rng: Rng;
  profile: MutationProfile;
  /** Every seed, for mutators that splice one report into another. */
  seeds: readonly Seed[];
}

/** Marker strings an entity payload carries: finding them in the output means an entity was expanded or fetched. */
export const ENTITY_PAYLOAD = 'FUZZLOL';
export const PASSWD_MARKER = 'root:x:0:0';

// ---------------------------------------------------------------------------------------------------------------
// JSON: structural mutations of a parsed value. Raw text that JSON.stringify cannot produce (deep nesting,
// 1e999) is spliced in after serialisation through placeholder strings.

type Key = string | number;

export interface JsonDraft {
  root: unknown;
  /** Placeholder string → raw JSON text that replaces it (quotes included) after serialisation. */
  splices: Map<string, string>;
}

interface JsonNode {
  path: Key[];
  value: unknown;
}

export interface JsonMutator {
  name: string;
  summary: string;
  weight: number;
  /** Mutates the draft in place; returns what it did, or undefined when the document has nothing to mutate. */
  apply(draft: JsonDraft, ctx: MutationContext): string | undefined;
}

const MAX_NODES = 100_000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every node (root included), breadth-first, up to MAX_NODES. */
function jsonNodes(root: unknown): JsonNode[] {
  const nodes: JsonNode[] = [{ path: [], value: root }];
  for (let i = 0; i < nodes.length && nodes.length < MAX_NODES; i += 1) {
    const { path, value } = nodes[i]!;
    if (Array.isArray(value)) value.forEach((child, index) => nodes.push({ path: [...path, index], value: child }));
    else if (isPlainObject(value)) for (const key of Object.keys(value)) nodes.push({ path: [...path, key], value: value[key] });
  }
  return nodes;
}

function pickNode(draft: JsonDraft, rng: Rng, accept: (node: JsonNode) => boolean = () => true): JsonNode | undefined {
  const candidates = jsonNodes(draft.root).filter(accept);
  return candidates.length > 0 ? rng.pick(candidates) : undefined;
}

/** Sets an own property even for `__proto__` (plain assignment would change the prototype instead). */
function setOwn(target: Record<Key, unknown>, key: Key, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function parentOf(draft: JsonDraft, path: readonly Key[]): Record<Key, unknown> {
  let node = draft.root as Record<Key, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<Key, unknown>;
  return node;
}

function setAt(draft: JsonDraft, path: readonly Key[], value: unknown): void {
  if (path.length === 0) draft.root = value;
  else setOwn(parentOf(draft, path), path[path.length - 1]!, value);
}

export function formatPath(path: readonly Key[]): string {
  return `$${path
    .map((key) => (typeof key === 'number' ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key.slice(0, 40))}]`))
    .join('')}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A short, printable rendering of a value for descriptions. */
export function preview(value: unknown, max = 60): string {
  const text = typeof value === 'string' && value.length > max ? `"${value.slice(0, max)}…" (${value.length} chars)` : (JSON.stringify(value) ?? String(value));
  return text.length > max + 20 ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

function splice(draft: JsonDraft, raw: string): string {
  const token = `\u0000fuzz-splice-${draft.splices.size}\u0000`;
  draft.splices.set(JSON.stringify(token), raw);
  return token;
}

/** Serialises a draft: JSON.stringify, then the raw splices. */
export function serialiseJson(draft: JsonDraft, indent: number | undefined): string {
  let text = JSON.stringify(draft.root, null, indent) ?? 'null';
  for (const [quotedToken, raw] of draft.splices) text = text.split(quotedToken).join(raw);
  return text;
}

const WRONG_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 2,
  '',
  ' ',
  'x',
  '12',
  'null',
  'true',
  [],
  [null],
  [[]],
  [1, 'two', null, {}],
  {},
  { '': null },
  { a: { b: { c: [] } } },
];

/** Raw JSON numbers JSON.stringify never writes: overflow to Infinity, negative zero, precision beyond doubles. */
const RAW_NUMBERS = ['1e999', '-1e999', '-0', '0.1e-400', '1.0000000000000002', '123456789012345678901234567890', '10.5', '-5', '1e-7', '99999'];

const SPECIAL_STRINGS: readonly string[] = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'prototype',
  '',
  '   ',
  '\u0000',
  '\t\n\r',
  '\ud800',
  'a\udc00b',
  '\u202egnp.exe',
  '\ufeff',
  '😀'.repeat(300),
  'file:///etc/passwd',
  'http://127.0.0.1:9/x',
  '//127.0.0.1:9/x',
  '../../../../etc/passwd',
  'C:\\Windows\\win.ini',
  '%',
  '%E0%A4%A',
  '%00',
  'javascript:alert(1)',
  '<script>alert(1)</script>',
  '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
  '&lt;&amp;&#0;&#xD800;',
  'a'.repeat(10_000),
  'line\n'.repeat(2_000),
  'CVE-',
  'CVE-9999-99999999',
  'cpe:2.3:a:*:*:*:*:*:*:*:*:*:*',
  'pkg:',
  'pkg:npm/%40/x@',
  'NaN',
  'Infinity',
  '-1',
  '1e999',
  '9007199254740993',
  'CVSS:3.1/AV:X/AC:Z',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L',
  '0000-00-00T00:00:00Z',
  '2024-13-45T99:99:99Z',
];

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'length'];

function hugeString(ctx: MutationContext): { text: string; label: string } {
  const { rng, profile } = ctx;
  const chars = rng.between(profile.hugeChars[0], profile.hugeChars[1]);
  const patterns: Array<{ unit: string; label: string }> = [
    { unit: 'A', label: 'AAAA…' },
    { unit: 'lorem ipsum dolor ', label: 'words' },
    { unit: 'line of text\n', label: 'lines' },
    { unit: '€', label: '€ (3-byte UTF-8)' },
    { unit: '😀', label: '😀 (surrogate pairs)' },
    { unit: '<p>cell</p>', label: 'HTML tags' },
    { unit: ' ', label: 'spaces' },
    { unit: 'a/', label: 'path segments' },
  ];
  const pattern = rng.pick(patterns);
  const prefix = rng.pick(['', 'https://example.com/', 'src/', 'CVE-2021-']);
  const text = prefix + pattern.unit.repeat(Math.ceil(chars / pattern.unit.length));
  return { text, label: `${(text.length / (1024 * 1024)).toFixed(1)}M chars of ${pattern.label}${prefix ? ` after "${prefix}"` : ''}` };
}

function sampleJson(rng: Rng, maxDepth: number): unknown {
  return fc.sample(fc.jsonValue({ maxDepth }), { seed: rng.seed(), numRuns: 1 })[0];
}

function deepText(depth: number, style: 'array' | 'object', inner: string): string {
  return style === 'array' ? `${'['.repeat(depth)}${inner}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`;
}

export const JSON_MUTATORS: readonly JsonMutator[] = [
  {
    name: 'wrong-type',
    summary: 'replaces a random node with a value of another type (null, boolean, number, string, array, object)',
    weight: 4,
    apply(draft, { rng }) {
      const node = pickNode(draft, rng)!;
      const replacement = rng.pick(WRONG_VALUES.filter((v) => kindOf(v) !== kindOf(node.value)));
      setAt(draft, node.path, structuredClone(replacement));
      return `${formatPath(node.path)}: ${kindOf(node.value)} → ${preview(replacement)}`;
    },
  },
  {
    name: 'raw-number',
    summary: 'replaces a number (or any node) with raw JSON numbers: 1e999 (Infinity), -0, 1e-400, 30-digit integers',
    weight: 1.5,
    apply(draft, { rng }) {
      const node = pickNode(draft, rng, (n) => typeof n.value === 'number') ?? pickNode(draft, rng, (n) => n.path.length > 0);
      if (!node) return undefined;
      const raw = rng.pick(RAW_NUMBERS);
      setAt(draft, node.path, splice(draft, raw));
      return `${formatPath(node.path)}: ${preview(node.value)} → ${raw}`;
    },
  },
  {
    name: 'delete-key',
    summary: 'deletes a random object member or array item',
    weight: 3,
    apply(draft, { rng }) {
      const node = pickNode(draft, rng, (n) => n.path.length > 0);
      if (!node) return undefined;
      const parent = parentOf(draft, node.path);
      const key = node.path[node.path.length - 1]!;
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      return `deleted ${formatPath(node.path)} (${kindOf(node.value)})`;
    },
  },
  {
    name: 'duplicate-items',
    summary: 'repeats one item of a random array many times (2 to 5,000 copies, capped by size)',
    weight: 2,
    apply(draft, { rng, profile }) {
      const node = pickNode(draft, rng, (n) => Array.isArray(n.value) && n.value.length > 0);
      if (!node) return undefined;
      const items = node.value as unknown[];
      const index = rng.int(items.length);
      const itemBytes = Math.max(1, (JSON.stringify(items[index]) ?? '').length);
      const copies = Math.max(2, Math.min(rng.pick(profile.copies), Math.floor(profile.maxBytes / itemBytes)));
      items.splice(index, 0, ...Array.from({ length: copies - 1 }, () => structuredClone(items[index])));
      return `${formatPath(node.path)}[${index}] × ${copies}`;
    },
  },
  {
    name: 'huge-string',
    summary: 'replaces a random string (or adds one) with a 1–5 MB string: one letter, words, lines, 3-byte and 4-byte characters, HTML',
    weight: 1,
    apply(draft, ctx) {
      const node = pickNode(draft, ctx.rng, (n) => typeof n.value === 'string') ?? pickNode(draft, ctx.rng, (n) => n.path.length > 0);
      if (!node) return undefined;
      const { text, label } = hugeString(ctx);
      setAt(draft, node.path, text);
      return `${formatPath(node.path)} → ${label}`;
    },
  },
  {
    name: 'huge-key',
    summary: 'renames a random object member to a 1–5 MB key',
    weight: 0.3,
    apply(draft, ctx) {
      const node = pickNode(draft, ctx.rng, isObjectNode);
      if (!node) return undefined;
      const target = node.value as Record<string, unknown>;
      const [key] = Object.keys(target);
      const { text, label } = hugeString(ctx);
      const value = key === undefined ? 'x' : target[key];
      if (key !== undefined) delete target[key];
      setOwn(target, text, value);
      return `${formatPath(node.path)}: key ${key === undefined ? '(new)' : JSON.stringify(key.slice(0, 40))} → ${label}`;
    },
  },
  {
    name: 'deep-nesting',
    summary: 'replaces a random node with 100 to 50,000 levels of [[[…]]] or {"a":{"a":…}}',
    weight: 1,
    apply(draft, { rng, profile }) {
      const node = pickNode(draft, rng)!;
      const depth = rng.pick(profile.depths);
      const style = rng.pick(['array', 'object'] as const);
      setAt(draft, node.path, splice(draft, deepText(depth, style, style === 'array' ? '' : '1')));
      return `${formatPath(node.path)} → ${depth} levels of ${style}s`;
    },
  },
  {
    name: 'wrap-deep',
    summary: 'wraps a random node (often the root) in 100 to 50,000 levels of arrays or objects',
    weight: 1,
    apply(draft, { rng, profile }) {
      const node = rng.chance(0.4) ? { path: [] as Key[], value: draft.root } : pickNode(draft, rng)!;
      const depth = rng.pick(profile.depths);
      const style = rng.pick(['array', 'object'] as const);
      const inner = JSON.stringify(node.value) ?? 'null';
      setAt(draft, node.path, splice(draft, deepText(depth, style, inner)));
      return `${formatPath(node.path)} wrapped in ${depth} ${style}s`;
    },
  },
  {
    name: 'swap-array-object',
    summary: 'turns a random array into its first item, or a random object into a one-item array',
    weight: 2.5,
    apply(draft, { rng }) {
      const node = pickNode(draft, rng, (n) => Array.isArray(n.value) || isPlainObject(n.value));
      if (!node) return undefined;
      if (Array.isArray(node.value)) {
        const single = node.value[0] ?? {};
        setAt(draft, node.path, single);
        return `${formatPath(node.path)}: array of ${node.value.length} → its first item (${kindOf(single)})`;
      }
      const copies = rng.pick([1, 1, 2]);
      setAt(draft, node.path, Array.from({ length: copies }, () => structuredClone(node.value)));
      return `${formatPath(node.path)}: object → array of ${copies}`;
    },
  },
  {
    name: 'arbitrary-value',
    summary: 'replaces one to three random nodes with arbitrary JSON (fast-check jsonValue)',
    weight: 2,
    apply(draft, { rng }) {
      const done: string[] = [];
      for (let i = rng.between(1, 3); i > 0; i -= 1) {
        const node = pickNode(draft, rng, (n) => n.path.length > 0);
        if (!node) break;
        const value = sampleJson(rng, 3);
        setAt(draft, node.path, value);
        done.push(`${formatPath(node.path)} → ${preview(value, 40)}`);
      }
      return done.length > 0 ? done.join('; ') : undefined;
    },
  },
  {
    name: 'arbitrary-members',
    summary: 'keeps the keys of a random object (often the root) and replaces each value with arbitrary JSON at even odds',
    weight: 1.5,
    apply(draft, { rng }) {
      const node = rng.chance(0.5) && isPlainObject(draft.root) ? { path: [] as Key[], value: draft.root } : pickNode(draft, rng, isObjectNode);
      if (!node) return undefined;
      const target = node.value as Record<string, unknown>;
      const replaced = Object.keys(target).filter(() => rng.chance(0.5));
      for (const key of replaced) setOwn(target, key, sampleJson(rng, 4));
      return `${formatPath(node.path)}: arbitrary values for ${replaced.length ? replaced.map((k) => k.slice(0, 30)).join(', ') : '(none)'}`;
    },
  },
  {
    name: 'special-string',
    summary: 'replaces a random string with a tricky one: __proto__, lone surrogates, NUL, file:// and http:// URLs, 10,000-char words, bad CVSS vectors, bad dates',
    weight: 2.5,
    apply(draft, { rng }) {
      const node = pickNode(draft, rng, (n) => typeof n.value === 'string') ?? pickNode(draft, rng, (n) => n.path.length > 0);
      if (!node) return undefined;
      const value = rng.pick(SPECIAL_STRINGS);
      setAt(draft, node.path, value);
      return `${formatPath(node.path)} → ${preview(value, 40)}`;
    },
  },
  {
    name: 'prototype-key',
    summary: 'adds or renames an object member to __proto__, constructor, toString, length…',
    weight: 1.5,
    apply(draft, { rng }) {
      const node = pickNode(draft, rng, isObjectNode);
      if (!node) return undefined;
      const target = node.value as Record<string, unknown>;
      const key = rng.pick(PROTOTYPE_KEYS);
      const keys = Object.keys(target);
      if (keys.length > 0 && rng.chance(0.5)) {
        const renamed = rng.pick(keys);
        const value = target[renamed];
        delete target[renamed];
        setOwn(target, key, value);
        return `${formatPath(node.path)}: member ${JSON.stringify(renamed.slice(0, 30))} renamed to ${key}`;
      }
      const value = rng.pick(WRONG_VALUES);
      setOwn(target, key, structuredClone(value));
      return `${formatPath(node.path)}: added ${key} = ${preview(value, 30)}`;
    },
  },
];

function isObjectNode(node: JsonNode): boolean {
  return isPlainObject(node.value);
}

// ---------------------------------------------------------------------------------------------------------------
// XML: text-level mutations. Elements and text nodes are found with regular expressions: good enough to aim
// mutations, and a mis-aimed one is just another malformed input.

export interface XmlMutator {
  name: string;
  summary: string;
  weight: number;
  apply(text: string, ctx: MutationContext): { text: string; description: string } | undefined;
}

interface XmlElement {
  name: string;
  /** Index of `<`. */
  start: number;
  /** Index after the start tag's `>`. */
  openEnd: number;
  selfClosing: boolean;
}

const START_TAG = /<([A-Za-z_][\w.:-]*)((?:\s[^<>]*?)?)(\/?)>/g;

function xmlElements(text: string, limit = 50_000): XmlElement[] {
  const found: XmlElement[] = [];
  START_TAG.lastIndex = 0;
  for (let m = START_TAG.exec(text); m && found.length < limit; m = START_TAG.exec(text)) {
    found.push({ name: m[1]!, start: m.index, openEnd: m.index + m[0].length, selfClosing: m[3] === '/' });
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Index after the element's end tag (same-name nesting counted), or undefined when it is never closed. */
function elementEnd(text: string, element: XmlElement): number | undefined {
  if (element.selfClosing) return element.openEnd;
  const tag = new RegExp(`<(/?)${escapeRegExp(element.name)}(?=[\\s/>])`, 'g');
  tag.lastIndex = element.openEnd;
  let depth = 1;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    const close = text.indexOf('>', m.index);
    if (close < 0) return undefined;
    if (m[1] === '/') depth -= 1;
    else if (text[close - 1] !== '/') depth += 1;
    if (depth === 0) return close + 1;
  }
  return undefined;
}

interface TextNode {
  start: number;
  end: number;
}

function xmlTextNodes(text: string, limit = 50_000): TextNode[] {
  const found: TextNode[] = [];
  const pattern = />([^<>]*[^\s<>][^<>]*)</g;
  for (let m = pattern.exec(text); m && found.length < limit; m = pattern.exec(text)) {
    found.push({ start: m.index + 1, end: m.index + 1 + m[1]!.length });
    pattern.lastIndex = m.index + m[0].length - 1;
  }
  return found;
}

/** Where a DOCTYPE may go: after the XML declaration (and any comments before the root), else at the start. */
function prologEnd(text: string): number {
  const declaration = /^\s*<\?xml[^>]*\?>/.exec(text);
  return declaration ? declaration[0].length : 0;
}

function rootName(text: string): string {
  return xmlElements(text, 1)[0]?.name ?? 'root';
}

function replaceRange(text: string, start: number, end: number, replacement: string): string {
  return text.slice(0, start) + replacement + text.slice(end);
}

function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Puts an entity reference where it will be read: a random text node, else inside the first element. */
function placeReference(text: string, reference: string, rng: Rng): { text: string; where: string } {
  const nodes = xmlTextNodes(text);
  if (nodes.length > 0) {
    const node = rng.pick(nodes);
    return { text: replaceRange(text, node.start, node.end, reference), where: `text at ${node.start}` };
  }
  const element = xmlElements(text).find((e) => !e.selfClosing);
  if (!element) return { text: `${text}${reference}`, where: 'end' };
  return { text: replaceRange(text, element.openEnd, element.openEnd, reference), where: `<${element.name}>` };
}

function withDoctype(text: string, internalSubset: string | undefined, external = ''): string {
  const at = prologEnd(text);
  const doctype = `<!DOCTYPE ${rootName(text)}${external}${internalSubset === undefined ? '' : ` [\n${internalSubset}\n]`}>\n`;
  return `${text.slice(0, at)}${at > 0 ? '\n' : ''}${doctype}${text.slice(at)}`;
}

const EXTERNAL_TARGETS = [
  'file:///etc/passwd',
  'file:///etc/hostname',
  'http://127.0.0.1:9/x',
  'https://127.0.0.1:9/x',
  'http://fuzz.invalid/x.dtd',
  'ftp://127.0.0.1:9/x',
  'passwd',
  '../../../../etc/passwd',
  'php://filter/resource=/etc/passwd',
  'jar:file:///tmp/x.zip!/x',
];

export const XML_MUTATORS: readonly XmlMutator[] = [
  {
    name: 'xml-entity-bomb',
    summary: 'adds a DOCTYPE with nested internal entities (billion laughs, 10^3 to 10^9) or one large entity referenced thousands of times (quadratic blowup), and references it',
    weight: 1.5,
    apply(text, { rng }) {
      if (rng.chance(0.25)) {
        const big = ENTITY_PAYLOAD.repeat(5_000);
        const withDecl = withDoctype(text, `<!ENTITY big "${big}">`);
        const placed = placeReference(withDecl, '&big;'.repeat(5_000), rng);
        return { text: placed.text, description: `quadratic blowup: 35 KB entity × 5,000 references at ${placed.where}` };
      }
      const levels = rng.between(3, 9);
      const declarations = [`<!ENTITY lol0 "${ENTITY_PAYLOAD}">`];
      for (let i = 1; i <= levels; i += 1) declarations.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
      const placed = placeReference(withDoctype(text, declarations.join('\n')), `&lol${levels};`, rng);
      return { text: placed.text, description: `billion laughs, ${levels} levels (10^${levels} × "${ENTITY_PAYLOAD}") at ${placed.where}` };
    },
  },
  {
    name: 'xml-external-entity',
    summary: 'declares an external entity (SYSTEM/PUBLIC file:///etc/passwd, http://127.0.0.1:9/x, …) and references it',
    weight: 1.5,
    apply(text, { rng }) {
      const target = rng.pick(EXTERNAL_TARGETS);
      const declaration = rng.chance(0.7) ? `<!ENTITY xxe SYSTEM "${target}">` : `<!ENTITY xxe PUBLIC "-//FUZZ//X//EN" "${target}">`;
      const placed = placeReference(withDoctype(text, declaration), '&xxe;', rng);
      return { text: placed.text, description: `${declaration} referenced at ${placed.where}` };
    },
  },
  {
    name: 'xml-parameter-entity',
    summary: 'declares parameter entities: an external DTD pulled in with %p;, or one that declares another entity',
    weight: 1,
    apply(text, { rng }) {
      if (rng.chance(0.5)) {
        const target = rng.pick(EXTERNAL_TARGETS);
        return { text: withDoctype(text, `<!ENTITY % p SYSTEM "${target}">\n%p;`), description: `parameter entity %p; SYSTEM "${target}"` };
      }
      const subset = `<!ENTITY % decl "<!ENTITY inner '${ENTITY_PAYLOAD}'>">\n%decl;`;
      const placed = placeReference(withDoctype(text, subset), '&inner;', rng);
      return { text: placed.text, description: `parameter entity declaring &inner; referenced at ${placed.where}` };
    },
  },
  {
    name: 'xml-external-reference',
    summary: 'points at external resources without declaring entities: DOCTYPE SYSTEM DTD, xml-stylesheet, XInclude, xsi:schemaLocation',
    weight: 1,
    apply(text, { rng }) {
      const target = rng.pick(EXTERNAL_TARGETS);
      const variant = rng.int(4);
      if (variant === 0) return { text: withDoctype(text, undefined, ` SYSTEM "${target}"`), description: `<!DOCTYPE … SYSTEM "${target}">` };
      if (variant === 1) {
        const at = prologEnd(text);
        return { text: replaceRange(text, at, at, `<?xml-stylesheet type="text/xsl" href="${target}"?>`), description: `xml-stylesheet href="${target}"` };
      }
      const element = xmlElements(text).find((e) => !e.selfClosing);
      if (!element) return undefined;
      if (variant === 2) {
        const include = `<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${target}" parse="text"/>`;
        return { text: replaceRange(text, element.openEnd, element.openEnd, include), description: `XInclude of "${target}" in <${element.name}>` };
      }
      const attribute = ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:x ${target}"`;
      const at = element.openEnd - 1;
      return { text: replaceRange(text, at, at, attribute), description: `xsi:schemaLocation "${target}" on <${element.name}>` };
    },
  },
  {
    name: 'xml-cdata',
    summary: 'wraps a text node in CDATA, or puts markup, entity references or a split "]]>" inside CDATA',
    weight: 1.5,
    apply(text, { rng }) {
      const nodes = xmlTextNodes(text);
      if (nodes.length === 0) return undefined;
      const node = rng.pick(nodes);
      const original = text.slice(node.start, node.end);
      const variants = [
        { cdata: `<![CDATA[${original}]]>`, label: 'text wrapped in CDATA' },
        { cdata: `<![CDATA[<b>${ENTITY_PAYLOAD}</b> &lt; &amp; &xxe;]]>`, label: 'markup and references inside CDATA' },
        { cdata: `<![CDATA[a]]]]><![CDATA[>b]]>`, label: 'split "]]>" across CDATA sections' },
        { cdata: `<![CDATA[]]>`, label: 'empty CDATA' },
        { cdata: `${original}<![CDATA[`, label: 'unterminated CDATA' },
      ];
      const variant = rng.pick(variants);
      return { text: replaceRange(text, node.start, node.end, variant.cdata), description: `${variant.label} at ${node.start}` };
    },
  },
  {
    name: 'xml-deep-nesting',
    summary: 'puts 100 to 50,000 nested elements inside a random element, or wraps the root in them',
    weight: 1,
    apply(text, { rng, profile }) {
      const depth = rng.pick(profile.depths);
      const elements = xmlElements(text).filter((e) => !e.selfClosing);
      if (elements.length === 0) return undefined;
      if (rng.chance(0.3)) {
        const root = elements[0]!;
        const end = elementEnd(text, root) ?? text.length;
        const wrapped = `${'<n>'.repeat(depth)}${text.slice(root.start, end)}${'</n>'.repeat(depth)}`;
        return { text: replaceRange(text, root.start, end, wrapped), description: `root <${root.name}> wrapped in ${depth} elements` };
      }
      const element = rng.pick(elements);
      const nested = `${'<n>'.repeat(depth)}x${'</n>'.repeat(depth)}`;
      return { text: replaceRange(text, element.openEnd, element.openEnd, nested), description: `${depth} nested elements inside <${element.name}> at ${element.start}` };
    },
  },
  {
    name: 'xml-unclosed',
    summary: 'removes an end tag, adds an unmatched start tag, mismatches an end tag or cuts inside a tag',
    weight: 1.5,
    apply(text, { rng }) {
      const elements = xmlElements(text).filter((e) => !e.selfClosing);
      if (elements.length === 0) return undefined;
      const element = rng.pick(elements);
      const end = elementEnd(text, element);
      const variant = rng.int(4);
      if (variant === 0 && end !== undefined) {
        const closeStart = text.lastIndexOf('</', end - 1);
        return { text: replaceRange(text, closeStart, end, ''), description: `end tag of <${element.name}> at ${element.start} removed` };
      }
      if (variant === 1 && end !== undefined) {
        const closeStart = text.lastIndexOf('</', end - 1);
        return { text: replaceRange(text, closeStart, end, `</${element.name}x>`), description: `end tag of <${element.name}> mismatched` };
      }
      if (variant === 2) return { text: replaceRange(text, element.openEnd, element.openEnd, '<unclosed attr="1">'), description: `unmatched <unclosed> inside <${element.name}>` };
      const cut = element.start + 1 + rng.int(Math.max(1, element.openEnd - element.start - 1));
      return { text: text.slice(0, cut), description: `cut inside the start tag of <${element.name}> at ${cut}` };
    },
  },
  {
    name: 'xml-duplicate-element',
    summary: 'repeats a random element 2 to 5,000 times (single element → list)',
    weight: 2,
    apply(text, { rng, profile }) {
      const elements = xmlElements(text).slice(1);
      if (elements.length === 0) return undefined;
      const element = rng.pick(elements);
      const end = elementEnd(text, element);
      if (end === undefined) return undefined;
      const body = text.slice(element.start, end);
      const copies = Math.max(2, Math.min(rng.pick(profile.copies), Math.floor(profile.maxBytes / Math.max(1, body.length))));
      return { text: replaceRange(text, element.start, end, body.repeat(copies)), description: `<${element.name}> at ${element.start} × ${copies}` };
    },
  },
  {
    name: 'xml-delete-element',
    summary: 'deletes a random element (list → single element, required element missing)',
    weight: 2,
    apply(text, { rng }) {
      const elements = xmlElements(text).slice(1);
      if (elements.length === 0) return undefined;
      const element = rng.pick(elements);
      const end = elementEnd(text, element);
      if (end === undefined) return undefined;
      return { text: replaceRange(text, element.start, end, ''), description: `<${element.name}> at ${element.start} deleted` };
    },
  },
  {
    name: 'xml-wrong-content',
    summary: 'replaces an element\'s content with child elements, nothing, attributes only, or text where children were',
    weight: 2.5,
    apply(text, { rng }) {
      const elements = xmlElements(text).slice(1).filter((e) => !e.selfClosing);
      if (elements.length === 0) return undefined;
      const element = rng.pick(elements);
      const end = elementEnd(text, element);
      if (end === undefined) return undefined;
      const closeStart = text.lastIndexOf('</', end - 1);
      const variants = [
        { content: '<a>1</a><b x="2"/><a>3</a>', label: 'child elements' },
        { content: '', label: 'nothing' },
        { content: 'plain text', label: 'text' },
        { content: '<item/>', label: 'one empty child' },
        { content: '   ', label: 'whitespace' },
      ];
      const variant = rng.pick(variants);
      if (rng.chance(0.2)) {
        return { text: replaceRange(text, element.start, end, `<${element.name} value="x" ${element.name}="y"/>`), description: `<${element.name}> → attributes only` };
      }
      return { text: replaceRange(text, element.openEnd, closeStart, variant.content), description: `<${element.name}> at ${element.start}: content → ${variant.label}` };
    },
  },
  {
    name: 'xml-huge-text',
    summary: 'replaces a text node with 1–5 MB of text (escaped), the same shapes as huge-string',
    weight: 1,
    apply(text, ctx) {
      const nodes = xmlTextNodes(text);
      if (nodes.length === 0) return undefined;
      const node = ctx.rng.pick(nodes);
      const { text: huge, label } = hugeString(ctx);
      return { text: replaceRange(text, node.start, node.end, escapeXmlText(huge)), description: `text at ${node.start} → ${label}` };
    },
  },
  {
    name: 'xml-special-text',
    summary: 'replaces a text node with tricky text: character references to NUL, surrogates and beyond U+10FFFF, unknown entities, lone surrogates',
    weight: 2,
    apply(text, { rng }) {
      const nodes = xmlTextNodes(text);
      if (nodes.length === 0) return undefined;
      const node = rng.pick(nodes);
      const values = [
        '&#0;',
        '&#xD800;',
        '&#xDC00;x',
        '&#x110000;',
        '&#1114112;',
        '&#99999999999;',
        '&#x1F600;',
        '&nbsp;&copy;&hellip;',
        '&unknown;',
        '&amp;lt;script&amp;gt;',
        '&;',
        '&#;',
        '&#x;',
        escapeXmlText(rng.pick(SPECIAL_STRINGS)),
      ];
      const value = rng.pick(values);
      return { text: replaceRange(text, node.start, node.end, value), description: `text at ${node.start} → ${preview(value, 40)}` };
    },
  },
  {
    name: 'xml-attribute',
    summary: 'duplicates an attribute, adds one without a value, with a huge value, with markup, or a namespace declaration',
    weight: 1.5,
    apply(text, ctx) {
      const elements = xmlElements(text);
      if (elements.length === 0) return undefined;
      const element = ctx.rng.pick(elements);
      const at = element.openEnd - (element.selfClosing ? 2 : 1);
      const variants = [
        { attribute: ' a="1" a="2"', label: 'duplicate attribute' },
        { attribute: ' novalue', label: 'attribute without value' },
        { attribute: ` big="${'x'.repeat(ctx.rng.between(ctx.profile.hugeChars[0], ctx.profile.hugeChars[1]))}"`, label: 'huge attribute value' },
        { attribute: ' bad="<a>"', label: 'markup in an attribute' },
        { attribute: ' xmlns:x="urn:x" x:name="y"', label: 'namespace declaration' },
        { attribute: ' id="&#0;"', label: 'NUL character reference' },
      ];
      const variant = ctx.rng.pick(variants);
      return { text: replaceRange(text, at, at, variant.attribute), description: `${variant.label} on <${element.name}> at ${element.start}` };
    },
  },
  {
    name: 'xml-comment-pi',
    summary: 'inserts comments and processing instructions, including a comment that mentions <!ENTITY and one before the declaration',
    weight: 1,
    apply(text, { rng }) {
      const items = ['<!-- comment -->', '<?pi data?>', '<!-- <!ENTITY x "y"> -->', '<!---->', '<!-- -- -->', '<?xml version="1.0"?>'];
      const item = rng.pick(items);
      const at = rng.chance(0.2) ? 0 : (rng.pick(xmlElements(text))?.start ?? 0);
      return { text: replaceRange(text, at, at, item), description: `${item} inserted at ${at}` };
    },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Bytes: mutations of any report, after or instead of the structural ones.

export interface ByteMutator {
  name: string;
  summary: string;
  weight: number;
  apply(bytes: Buffer, ctx: MutationContext): { bytes: Buffer; description: string } | undefined;
}

export const BOMS: ReadonlyArray<{ label: string; bytes: readonly number[] }> = [
  { label: 'UTF-8 BOM', bytes: [0xef, 0xbb, 0xbf] },
  { label: 'UTF-16LE BOM', bytes: [0xff, 0xfe] },
  { label: 'UTF-16BE BOM', bytes: [0xfe, 0xff] },
  { label: 'two UTF-8 BOMs', bytes: [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf] },
  { label: 'UTF-32LE BOM', bytes: [0xff, 0xfe, 0x00, 0x00] },
  { label: 'half a UTF-8 BOM', bytes: [0xef, 0xbb] },
];

/** Byte sequences no UTF-8 decoder may accept. */
export const INVALID_UTF8: ReadonlyArray<{ label: string; bytes: readonly number[] }> = [
  { label: 'lone continuation byte', bytes: [0x80] },
  { label: 'overlong "/"', bytes: [0xc0, 0xaf] },
  { label: 'overlong NUL', bytes: [0xc0, 0x80] },
  { label: 'UTF-16 surrogate', bytes: [0xed, 0xa0, 0x80] },
  { label: 'truncated 3-byte sequence', bytes: [0xe2, 0x82] },
  { label: 'beyond U+10FFFF', bytes: [0xf4, 0x90, 0x80, 0x80] },
  { label: '5-byte lead', bytes: [0xf8, 0x88, 0x80, 0x80, 0x80] },
  { label: '0xFF', bytes: [0xff] },
  { label: '0xFE', bytes: [0xfe] },
];

const NOISE_PREFIXES = [
  ' 0/12 [>---------------------------]   0%\r 12/12 [============================] 100%\n\n',
  '\u001b[32m✔\u001b[0m Scanning \u001b[1mproject\u001b[22m…\n\u001b[2K\u001b[1G',
  '[INFO] Checking for updates\n[WARN] {not json here}\n',
  'Note: Using configuration file /app/phpstan.neon.\n',
  '<notice>scan started</notice>\n',
  '{"level":"info","msg":"starting scan"}\n',
  '\u001b]0;scanner\u0007\u001b]8;;http://example.com\u001b\\link\u001b]8;;\u001b\\\n',
  '\u001b[',
  '\u0000\u0000\u0000',
  '> npm run scan\n\n[\u001b[33mwarn\u001b[39m] deprecated [x]\n',
];

const NOISE_SUFFIXES = ['\nDone in 3.21s.\n', '\n\u001b[0m', '\n{"trailing":true}\n', '\n]', '}}', ' garbage', '\n<!-- trailer -->', '\u0000'];

function insertAt(bytes: Buffer, at: number, inserted: Buffer): Buffer {
  return Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]);
}

function swapBytePairs(bytes: Buffer): Buffer {
  const swapped = Buffer.from(bytes);
  swapped.swap16();
  return swapped;
}

export const BYTE_MUTATORS: readonly ByteMutator[] = [
  {
    name: 'truncate',
    summary: 'cuts the input at a random offset (anywhere, near the start or near the end)',
    weight: 3,
    apply(bytes, { rng }) {
      if (bytes.length < 2) return undefined;
      const where = rng.int(3);
      const at = where === 0 ? rng.int(bytes.length) : where === 1 ? rng.int(Math.min(64, bytes.length)) : Math.max(0, bytes.length - 1 - rng.int(Math.min(64, bytes.length)));
      return { bytes: bytes.subarray(0, at), description: `truncated to ${at} of ${bytes.length} bytes` };
    },
  },
  {
    name: 'flip-bytes',
    summary: 'flips one random bit in 1 to 16 random bytes',
    weight: 2,
    apply(bytes, { rng }) {
      if (bytes.length === 0) return undefined;
      const out = Buffer.from(bytes);
      const offsets: number[] = [];
      for (let i = rng.between(1, 16); i > 0; i -= 1) {
        const at = rng.int(out.length);
        out[at] = out[at]! ^ (1 << rng.int(8));
        offsets.push(at);
      }
      return { bytes: out, description: `bits flipped at ${offsets.slice(0, 6).join(', ')}${offsets.length > 6 ? '…' : ''}` };
    },
  },
  {
    name: 'insert-bytes',
    summary: 'inserts 1 to 64 random or syntax bytes ({ } [ ] " , : < > & ; NUL \\ CR) at a random offset',
    weight: 2,
    apply(bytes, { rng }) {
      const syntax = Buffer.from('{}[]",:<>&;\u0000\\\r\n/!?-=\'');
      const length = rng.between(1, 64);
      const inserted = Buffer.from(Array.from({ length }, () => (rng.chance(0.6) ? syntax[rng.int(syntax.length)]! : rng.int(256))));
      const at = rng.int(bytes.length + 1);
      return { bytes: insertAt(bytes, at, inserted), description: `${length} bytes inserted at ${at}` };
    },
  },
  {
    name: 'delete-bytes',
    summary: 'deletes a random range of 1 to 256 bytes',
    weight: 2,
    apply(bytes, { rng }) {
      if (bytes.length === 0) return undefined;
      const at = rng.int(bytes.length);
      const length = Math.min(bytes.length - at, rng.between(1, 256));
      return { bytes: Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + length)]), description: `${length} bytes deleted at ${at}` };
    },
  },
  {
    name: 'invalid-utf8',
    summary: 'inserts 1 to 4 invalid UTF-8 sequences (lone continuation, overlong, surrogate, truncated, > U+10FFFF, 0xFF)',
    weight: 2,
    apply(bytes, { rng }) {
      let out = bytes;
      const labels: string[] = [];
      for (let i = rng.between(1, 4); i > 0; i -= 1) {
        const sequence = rng.pick(INVALID_UTF8);
        const at = rng.int(out.length + 1);
        out = insertAt(out, at, Buffer.from(sequence.bytes));
        labels.push(`${sequence.label} at ${at}`);
      }
      return { bytes: out, description: labels.join(', ') };
    },
  },
  {
    name: 'bom',
    summary: 'prepends a byte order mark that may not match the content (UTF-8, UTF-16LE/BE, two BOMs, UTF-32, half a BOM)',
    weight: 1.5,
    apply(bytes, { rng }) {
      const bom = rng.pick(BOMS);
      return { bytes: Buffer.concat([Buffer.from(bom.bytes), bytes]), description: `${bom.label} prepended` };
    },
  },
  {
    name: 'utf16',
    summary: 're-encodes the text as UTF-16LE or UTF-16BE, with or without a BOM (optionally with an odd trailing byte)',
    weight: 1.5,
    apply(bytes, { rng }) {
      const text = new TextDecoder('utf-8').decode(bytes);
      const bigEndian = rng.chance(0.5);
      const bom = rng.chance(0.6);
      const little = Buffer.from(`${bom ? '\ufeff' : ''}${text}`, 'utf16le');
      let out = bigEndian ? swapBytePairs(little) : little;
      const odd = rng.chance(0.1);
      if (odd) out = Buffer.concat([out, Buffer.from([0x0a])]);
      return { bytes: out, description: `re-encoded as UTF-16${bigEndian ? 'BE' : 'LE'} ${bom ? 'with' : 'without'} BOM${odd ? ', odd length' : ''}` };
    },
  },
  {
    name: 'noise',
    summary: 'prepends progress bars, ANSI/OSC sequences, log lines with { [ <, a JSON log line; or appends a trailer',
    weight: 2,
    apply(bytes, { rng }) {
      if (rng.chance(0.7)) {
        const prefix = rng.pick(NOISE_PREFIXES);
        return { bytes: Buffer.concat([Buffer.from(prefix), bytes]), description: `noise prepended: ${preview(prefix, 40)}` };
      }
      const suffix = rng.pick(NOISE_SUFFIXES);
      return { bytes: Buffer.concat([bytes, Buffer.from(suffix)]), description: `trailer appended: ${preview(suffix, 30)}` };
    },
  },
  {
    name: 'xml-declaration',
    summary: 'prepends (or replaces) an XML declaration naming ISO-8859-1, UTF-16, windows-1252 or a bogus encoding',
    weight: 1,
    apply(bytes, { rng }) {
      const encoding = rng.pick(['ISO-8859-1', 'UTF-16', 'windows-1252', 'EBCDIC-bogus', 'us-ascii']);
      const declaration = Buffer.from(`<?xml version="1.0" encoding="${encoding}"?>\n`);
      const head = bytes.subarray(0, 200).toString('latin1');
      const existing = /^\s*<\?xml[^>]*\?>\s*/.exec(head);
      const body = existing ? bytes.subarray(existing[0].length) : bytes;
      return { bytes: Buffer.concat([declaration, body]), description: `XML declaration encoding="${encoding}" ${existing ? 'replaced' : 'prepended'}` };
    },
  },
  {
    name: 'splice-seed',
    summary: 'inserts a slice of another seed report at a random offset, or appends a whole one',
    weight: 1,
    apply(bytes, { rng, seeds }) {
      if (seeds.length === 0) return undefined;
      const other = rng.pick(seeds);
      if (rng.chance(0.3)) return { bytes: Buffer.concat([bytes, Buffer.from('\n'), other.bytes]), description: `${other.name} appended` };
      const from = rng.int(other.bytes.length);
      const slice = other.bytes.subarray(from, from + rng.between(1, 2048));
      const at = rng.int(bytes.length + 1);
      return { bytes: insertAt(bytes, at, slice), description: `${slice.length} bytes of ${other.name} (from ${from}) inserted at ${at}` };
    },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Arbitrary inputs: not derived from a seed.

export interface ArbitraryGenerator {
  name: string;
  summary: string;
  weight: number;
  generate(ctx: MutationContext): { bytes: Buffer; description: string };
}

function randomXmlish(rng: Rng, budget: { nodes: number }, depth: number): string {
  const names = ['a', 'site', 'alerts', 'alertitem', 'dependency', 'vulnerability', 'x:y', 'riskcode', 'instances', 'name'];
  const parts: string[] = [];
  for (let i = rng.between(0, 4); i > 0 && budget.nodes > 0; i -= 1) {
    budget.nodes -= 1;
    const choice = rng.int(10);
    const name = rng.pick(names);
    if (choice < 4 && depth < 12) {
      const attribute = rng.chance(0.3) ? ` ${rng.pick(names)}="${rng.pick(['1', '', '&amp;', '&#0;', 'x y'])}"` : '';
      parts.push(`<${name}${attribute}>${randomXmlish(rng, budget, depth + 1)}${rng.chance(0.9) ? `</${name}>` : ''}`);
    } else if (choice < 6) parts.push(rng.pick(['text', '3', 'High', '&lt;p&gt;', '&amp;', '&nbsp;', '&#x41;', '&bogus;', ' ', '']));
    else if (choice === 6) parts.push(`<${name}/>`);
    else if (choice === 7) parts.push(rng.pick(['<![CDATA[x]]>', '<!-- c -->', '<?pi x?>']));
    else if (choice === 8) parts.push(rng.pick(['<', '>', '&', '</', '<!', '<!DOCTYPE x>', ']]>']));
    else parts.push(`</${name}>`);
  }
  return parts.join(rng.chance(0.5) ? '\n' : '');
}

function randomJsonish(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null';
}

export const ARBITRARY_GENERATORS: readonly ArbitraryGenerator[] = [
  {
    name: 'random-bytes',
    summary: 'random bytes (0 to 4 KB): uniform, printable, JSON/XML punctuation, or UTF-16-looking',
    weight: 1,
    generate({ rng }) {
      const length = rng.chance(0.3) ? rng.int(8) : rng.int(4096);
      const alphabets = [
        { label: 'uniform', byte: () => rng.int(256) },
        { label: 'printable', byte: () => 32 + rng.int(95) },
        { label: 'punctuation', byte: () => '{}[]",:<>&;/ \n0a'.charCodeAt(rng.int(17)) },
        { label: 'UTF-16-looking', byte: (i: number) => (i % 2 === 1 ? 0 : 32 + rng.int(95)) },
      ];
      const alphabet = rng.pick(alphabets);
      const bytes = Buffer.from(Array.from({ length }, (_, i) => alphabet.byte(i)));
      return { bytes, description: `${length} ${alphabet.label} random bytes` };
    },
  },
  {
    name: 'fc-json',
    summary: 'fast-check json(): arbitrary JSON text',
    weight: 1,
    generate({ rng }) {
      const text = fc.sample(fc.json({ maxDepth: 6 }), { seed: rng.seed(), numRuns: 1 })[0]!;
      return { bytes: Buffer.from(text), description: `fc.json() ${preview(text, 50)}` };
    },
  },
  {
    name: 'fc-anything',
    summary: 'fast-check anything() serialised as JSON (null-prototype objects, __proto__ keys, odd numbers)',
    weight: 1,
    generate({ rng }) {
      const value = fc.sample(fc.anything({ maxDepth: 5, withNullPrototype: true, withBoxedValues: true, withSparseArray: true }), { seed: rng.seed(), numRuns: 1 })[0];
      const text = randomJsonish(value);
      return { bytes: Buffer.from(text), description: `fc.anything() ${preview(text, 50)}` };
    },
  },
  {
    name: 'xml-ish',
    summary: 'random XML-looking text: report element names, attributes, entities, CDATA, comments, stray < & ]]>',
    weight: 1,
    generate({ rng }) {
      const declaration = rng.chance(0.5) ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '';
      const root = rng.pick(['OWASPZAPReport', 'analysis', 'report', 'x']);
      const body = randomXmlish(rng, { nodes: 200 }, 0);
      const text = rng.chance(0.8) ? `${declaration}<${root} version="2.11">${body}</${root}>` : `${declaration}${body}`;
      return { bytes: Buffer.from(text), description: `XML-ish text ${preview(text, 50)}` };
    },
  },
  {
    name: 'report-skeleton',
    summary: 'a seed report\'s top-level keys (so a parser detects it) with every value arbitrary',
    weight: 2,
    generate(ctx) {
      const jsonSeeds = ctx.seeds.filter((s) => isPlainObject(s.json));
      if (jsonSeeds.length === 0) return ARBITRARY_GENERATORS[1]!.generate(ctx);
      const seed = ctx.rng.pick(jsonSeeds);
      const skeleton: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(seed.json as Record<string, unknown>)) {
        // Keep the version markers detectors look at, make everything else arbitrary.
        const keep = typeof value === 'string' && ctx.rng.chance(0.8);
        setOwn(skeleton, key, keep ? value : fc.sample(fc.anything({ maxDepth: 4 }), { seed: ctx.rng.seed(), numRuns: 1 })[0]);
      }
      const text = randomJsonish(skeleton);
      return { bytes: Buffer.from(text), description: `skeleton of ${seed.name}: ${preview(text, 60)}` };
    },
  },
];

// ---------------------------------------------------------------------------------------------------------------

export interface FuzzInput {
  run: number;
  bytes: Buffer;
  /** The seed it came from; undefined for arbitrary inputs. */
  seed?: Seed;
  /** Mutator names applied, in order ("original" for an unmutated seed). */
  mutators: string[];
  /** Human-readable account of every mutation, enough to understand the input without opening it. */
  description: string;
}

export interface GenerateOptions {
  profile?: MutationProfile;
  /** Only these mutators/generators (by name); the others are never picked. */
  mutators?: readonly string[];
  /** Share of arbitrary (seedless) inputs, default 0.15. */
  arbitraryShare?: number;
}

export const ALL_MUTATOR_NAMES: readonly string[] = [
  ...JSON_MUTATORS.map((m) => m.name),
  ...XML_MUTATORS.map((m) => m.name),
  ...BYTE_MUTATORS.map((m) => m.name),
  ...ARBITRARY_GENERATORS.map((m) => m.name),
];

function allowed<T extends { name: string }>(items: readonly T[], names: readonly string[] | undefined): readonly T[] {
  return names ? items.filter((item) => names.includes(item.name)) : items;
}

/** How many structural mutations, then how many byte mutations (at least one mutation in all). */
function mutationCounts(rng: Rng, structuralAvailable: boolean, bytesAvailable: boolean): { structural: number; bytes: number } {
  const structural = structuralAvailable ? rng.weighted([{ n: 0, weight: 2 }, { n: 1, weight: 6 }, { n: 2, weight: 2 }]).n : 0;
  const wantBytes = structural === 0 ? rng.between(1, 2) : rng.chance(0.3) ? 1 : 0;
  return { structural: structural === 0 && !bytesAvailable ? 1 : structural, bytes: bytesAvailable ? wantBytes : 0 };
}

/**
 * The input of one run: runs below `seeds.length` are the seeds themselves (a baseline); the others are a seed
 * through one or two structural and byte mutations, or an arbitrary input.
 */
export function generateInput(seeds: readonly Seed[], campaignSeed: number, run: number, options: GenerateOptions = {}): FuzzInput {
  if (run < seeds.length && !options.mutators) {
    const seed = seeds[run]!;
    return { run, bytes: seed.bytes, seed, mutators: ['original'], description: 'original (unmutated)' };
  }
  const rng = createRng(runSeed(campaignSeed, run));
  const ctx: MutationContext = { rng, profile: options.profile ?? DEFAULT_PROFILE, seeds };
  const generators = allowed(ARBITRARY_GENERATORS, options.mutators);
  const jsonMutators = allowed(JSON_MUTATORS, options.mutators);
  const xmlMutators = allowed(XML_MUTATORS, options.mutators);
  const byteMutators = allowed(BYTE_MUTATORS, options.mutators);
  const seedMutable = (s: Seed): boolean =>
    byteMutators.length > 0 || (s.format === 'json' && jsonMutators.length > 0) || (s.format === 'xml' && xmlMutators.length > 0);
  const mutableSeeds = seeds.filter(seedMutable);

  if (mutableSeeds.length === 0 || (generators.length > 0 && rng.chance(options.arbitraryShare ?? 0.15))) {
    if (generators.length === 0) throw new Error(`no mutator or generator among: ${options.mutators?.join(', ')}`);
    const generator = rng.weighted(generators);
    const { bytes, description } = generator.generate(ctx);
    return { run, bytes, mutators: [generator.name], description: `${generator.name}: ${description}` };
  }

  // XML seeds are few but carry the entity attacks: pick the format first, then a seed of it.
  const formats = (['json', 'xml', 'bytes'] as const)
    .map((format) => ({ format, weight: { json: 0.7, xml: 0.25, bytes: 0.05 }[format] }))
    .filter(({ format }) => mutableSeeds.some((s) => s.format === format));
  const format = rng.weighted(formats).format;
  const seed = rng.pick(mutableSeeds.filter((s) => s.format === format));
  const structuralMutators = seed.format === 'json' ? jsonMutators : seed.format === 'xml' ? xmlMutators : [];
  const counts = mutationCounts(rng, structuralMutators.length > 0, byteMutators.length > 0);
  const applied: string[] = [];
  const steps: string[] = [];
  let bytes = seed.bytes;

  if (counts.structural > 0 && seed.format === 'json') {
    const draft: JsonDraft = { root: structuredClone(seed.json), splices: new Map() };
    for (let i = 0; i < counts.structural; i += 1) {
      const mutator = rng.weighted(jsonMutators);
      const description = mutator.apply(draft, ctx);
      if (description === undefined) continue;
      applied.push(mutator.name);
      steps.push(`${mutator.name} ${description}`);
    }
    bytes = Buffer.from(serialiseJson(draft, rng.chance(0.5) ? 2 : undefined));
  } else if (counts.structural > 0 && seed.format === 'xml') {
    let text = seed.xml!;
    for (let i = 0; i < counts.structural; i += 1) {
      const mutator = rng.weighted(xmlMutators);
      const result = mutator.apply(text, ctx);
      if (!result) continue;
      text = result.text;
      applied.push(mutator.name);
      steps.push(`${mutator.name} ${result.description}`);
    }
    bytes = Buffer.from(text);
  }

  for (let i = 0; i < counts.bytes; i += 1) {
    const mutator = rng.weighted(byteMutators);
    const result = mutator.apply(bytes, ctx);
    if (!result) continue;
    bytes = result.bytes;
    applied.push(mutator.name);
    steps.push(`${mutator.name} ${result.description}`);
  }
  if (applied.length === 0) steps.push('no mutator applied (re-serialised)');
  return { run, bytes, seed, mutators: applied.length ? applied : ['reserialised'], description: steps.join(' | ') };
}
