/** Narrowing helpers for untrusted JSON: a SARIF file is data we do not control. */
export type JsonObject = Record<string, unknown>;

// Hot paths keep local references to built-ins: a global lookup costs ~20x more inside a Node vm context
// (Jest's test environment), which would make benchmarks of large reports measure the harness.
export const isArray = Array.isArray;
export const hasOwn = Object.hasOwn;
export const toJson = JSON.stringify;
const isInteger = Number.isInteger;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !isArray(value);
}

export function objectAt(value: unknown, key: string): JsonObject | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return isObject(child) ? child : undefined;
}

export function arrayAt(value: unknown, key: string): unknown[] {
  if (!isObject(value)) return [];
  const child = value[key];
  return isArray(child) ? child : [];
}

/** A non-blank string, else undefined. */
export function textAt(value: unknown, key: string): string | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return typeof child === 'string' && child.trim().length > 0 ? child : undefined;
}

/** A non-negative integer (SARIF indexes, line numbers), else undefined. */
export function indexAt(value: unknown, key: string): number | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return typeof child === 'number' && isInteger(child) && child >= 0 ? child : undefined;
}

/** `{ text }` / `{ markdown }` multiformat strings (rule descriptions, help). */
export function multiformatText(value: unknown): string | undefined {
  return textAt(value, 'text') ?? textAt(value, 'markdown');
}
