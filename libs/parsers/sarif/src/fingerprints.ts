import { isObject } from './json';

const entries = Object.entries;
const isFinite = Number.isFinite;

const VERSIONED = /^(.*)\/v(\d+)$/;

function valueOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && isFinite(value)) return `${value}`;
  // Some tools wrap the value: { "value": "…" }.
  if (isObject(value)) return valueOf(value['value']);
  return undefined;
}

/** Per fingerprint method (`matchBasedId` of `matchBasedId/v1`), its highest version that has a usable value. */
function latestByMethod(fingerprints: unknown): Map<string, { key: string; version: number; value: string }> {
  const latest = new Map<string, { key: string; version: number; value: string }>();
  if (!isObject(fingerprints)) return latest;
  for (const [key, raw] of entries(fingerprints)) {
    const value = valueOf(raw);
    if (value === undefined) continue;
    const match = VERSIONED.exec(key);
    const method = match ? match[1]! : key;
    const version = match ? Number(match[2]) : 0;
    const current = latest.get(method);
    if (!current || version > current.version) latest.set(method, { key, version, value });
  }
  return latest;
}

/**
 * The stable identity a result carries, as `key=value`: from `fingerprints` the highest-versioned key (ties:
 * first method in alphabetical order); else every `partialFingerprints` method at its latest version, sorted
 * and joined with '|'. Undefined when the result has neither.
 */
export function fingerprintOf(result: unknown): string | undefined {
  if (!isObject(result)) return undefined;
  const full = [...latestByMethod(result['fingerprints']).values()].sort((a, b) => b.version - a.version || (a.key < b.key ? -1 : 1));
  if (full.length > 0) return `${full[0]!.key}=${full[0]!.value}`;
  const partial = [...latestByMethod(result['partialFingerprints']).values()].map((p) => `${p.key}=${p.value}`).sort();
  return partial.length > 0 ? partial.join('|') : undefined;
}
