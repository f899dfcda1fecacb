/**
 * Tolerant readers for report values. Dependency-Check JSON gives arrays and strings; the XML tree from
 * fast-xml-parser (read without array hints) gives a single object where the element occurs once, an array
 * where it repeats, `''` for an empty element and `{ '#text', '@_attr' }` for an element with attributes.
 * Every reader returns undefined (or []) for a value of the wrong type instead of throwing.
 */

export type UnknownRecord = Record<string, unknown>;

// Bound once: a global lookup per call is slow inside vm contexts (Jest runs tests in one), and these run
// millions of times on big reports.
const isArray = Array.isArray;
const isFiniteNumber = Number.isFinite;

export function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !isArray(value);
}

/** One element or many → always an array; absent or empty (`''`, null) → []. */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return isArray(value) ? value : [value];
}

/** The records of a value that should be a list of objects; anything else in the list is dropped. */
export function records(value: unknown): UnknownRecord[] {
  return asArray(value).filter(isRecord);
}

/** Trimmed text of a JSON string/number or an XML text node; undefined when blank or not text. */
export function text(value: unknown): string | undefined {
  // XML and old JSON wrap text in arrays or {#text} objects, sometimes nested; unwrap without recursion, a few levels.
  for (let depth = 0; depth < 8 && typeof value === 'object' && value !== null; depth += 1) {
    if (isArray(value)) value = value.length > 0 ? value[0] : undefined;
    else if (isRecord(value)) value = value['#text'];
    else break;
  }
  if (typeof value === 'string') {
    if (value.length === 0) return undefined;
    // Hot path (called millions of times on big reports): printable ASCII at both ends needs no trim.
    const first = value.charCodeAt(0);
    const last = value.charCodeAt(value.length - 1);
    if (first > 32 && first < 127 && last > 32 && last < 127) return value;
    const trimmed = value.trim();
    return trimmed.length > 0 ? trimmed : undefined;
  }
  if (typeof value === 'number') return isFiniteNumber(value) ? `${value}` : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

/** First non-blank text among several keys (JSON and XML name the same field differently). */
export function field(record: UnknownRecord, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = text(record[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** An XML attribute (`@_name`) or a JSON property of the same name. */
export function attribute(record: UnknownRecord, name: string): string | undefined {
  return field(record, `@_${name}`, name);
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A finite number from a number or a numeric string. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return isFiniteNumber(value) ? value : undefined;
  const raw = text(value);
  if (raw === undefined || !NUMBER.test(raw)) return undefined;
  const parsed = Number(raw);
  return isFiniteNumber(parsed) ? parsed : undefined;
}

/** "true"/true → true; anything else → false. */
export function flag(value: unknown): boolean {
  return value === true || text(value)?.toLowerCase() === 'true';
}

const FOLDABLE = /\s\s|[^\S ]/;

/** Whitespace runs (XML indentation inside text) collapsed to single spaces. */
export function collapse(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Most JSON text has nothing to fold: test before building a new string.
  if (!FOLDABLE.test(value)) return text(value);
  const collapsed = value.replace(/\s+/g, ' ').trim();
  return collapsed.length > 0 ? collapsed : undefined;
}

/** Distinct values, first occurrence order. */
export function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}
