/** Safe readers over untrusted JSON: every field of a report may be missing or of the wrong type. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Trimmed non-empty text; numbers are accepted as text (keys and lines sometimes arrive as numbers). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed.length > 0 ? trimmed : undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Upper-case enum value (`open` and `OPEN` mean the same), or undefined. */
export function word(value: unknown): string | undefined {
  return text(value)?.toUpperCase();
}

/** A whole number ≥ 1 (lines, page totals), from a number or a digit string. */
export function positiveInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value.trim())) {
    const n = Number(value.trim());
    return n > 0 ? n : undefined;
  }
  return undefined;
}

/** A whole number ≥ 0 (counts). */
export function count(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  return undefined;
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The text entries of an array (tags), ignoring anything else. */
export function texts(value: unknown): string[] {
  const out: string[] = [];
  for (const entry of list(value)) {
    const t = text(entry);
    if (t !== undefined) out.push(t);
  }
  return out;
}
