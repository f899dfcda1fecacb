import type { DcSoftware } from './model';
import { comparableName, cpeProduct } from './package-identity';
import { flag, isRecord, text, type UnknownRecord } from './values';

/**
 * The first version without the vulnerability, from `vulnerableSoftware` (`versionEndExcluding`).
 *
 * 1. DC marks the entry that matched the dependency (`vulnerabilityIdMatched`, older `matched`): its
 *    `versionEndExcluding`, if any, is the answer; no guessing beyond it.
 * 2. No marked entry (RetireJS/OSS Index matches, recent NVD data): entries whose CPE product is one of the
 *    package's names and whose range contains the package version; used only when they agree on one version.
 *
 * Works on the raw entries (JSON `software` objects, XML `software` elements or strings) and reads as little of each
 * as it can: NVD lists hundreds of CPEs for some CVEs.
 */
export function fixedInVersion(software: readonly unknown[], productNames: readonly string[], version: string | undefined): string | undefined {
  // One pass: matched entries are collected, and until one turns up, so are the heuristic candidates.
  let anyMatched = false;
  // Tiny lists (usually one entry): arrays, not Sets.
  const matchedEnds: string[] = [];
  const guessedEnds: string[] = [];
  for (const item of software) {
    if (!isRecord(item) || !isVulnerable(item)) continue;
    const end = rangeValue(item, 'versionEndExcluding');
    if (isMatched(item)) {
      anyMatched = true;
      if (end && !matchedEnds.includes(end)) matchedEnds.push(end);
    } else if (!anyMatched && end && !guessedEnds.includes(end) && namesPackage(item, productNames)) {
      const entry = softwareEntry(item);
      if (entry && inRange(version, entry) !== false) guessedEnds.push(end);
    }
  }
  return single(anyMatched ? matchedEnds : guessedEnds);
}

function namesPackage(item: UnknownRecord, productNames: readonly string[]): boolean {
  const cpe = text(item.id) ?? text(item['#text']);
  const product = cpe ? cpeProduct(cpe) : undefined;
  return product !== undefined && productNames.includes(comparableName(product));
}

function single(ends: readonly string[]): string | undefined {
  return ends.length === 1 ? ends[0] : undefined;
}

function isMatched(item: UnknownRecord): boolean {
  return flag(item.vulnerabilityIdMatched ?? item['@_vulnerabilityIdMatched']) || flag(item.matched ?? item['@_matched']);
}

/** `vulnerable="false"` marks a platform condition, not affected software. */
function isVulnerable(item: UnknownRecord): boolean {
  const vulnerable = item.vulnerable ?? item['@_vulnerable'];
  return vulnerable === undefined || text(vulnerable)?.toLowerCase() !== 'false';
}

const RANGE_KEYS = {
  versionStartIncluding: '@_versionStartIncluding',
  versionStartExcluding: '@_versionStartExcluding',
  versionEndIncluding: '@_versionEndIncluding',
  versionEndExcluding: '@_versionEndExcluding',
} as const;

type RangeKey = keyof typeof RANGE_KEYS;

/** A range bound from the JSON property or the XML attribute of the same name. */
function rangeValue(item: UnknownRecord, key: RangeKey): string | undefined {
  const value = item[key] ?? item[RANGE_KEYS[key]];
  return value === undefined ? undefined : text(value);
}

/** One raw `software` entry read in full; undefined when it names no CPE. */
export function softwareEntry(item: unknown): DcSoftware | undefined {
  if (typeof item === 'string') {
    const cpe = text(item);
    return cpe ? { cpe, matched: false, vulnerable: true } : undefined;
  }
  if (!isRecord(item)) return undefined;
  const cpe = text(item.id) ?? text(item['#text']);
  if (!cpe) return undefined;
  const entry: DcSoftware = { cpe, matched: isMatched(item), vulnerable: isVulnerable(item) };
  for (const key of Object.keys(RANGE_KEYS) as RangeKey[]) {
    const value = rangeValue(item, key);
    if (value) entry[key] = value;
  }
  return entry;
}

const PRE_RELEASE = /^(alpha|a|beta|b|rc|cr|pre|preview|snapshot|dev|m|milestone|ea)\d*$/;

/** Where a text part stands against the end of the other version: `-beta1` before the release, `.min`/`.redhat` after. */
function textAgainstEnd(part: string): number {
  return PRE_RELEASE.test(part) ? -1 : 1;
}

function tokens(version: string): Array<number | string> {
  return version
    .toLowerCase()
    .split(/[.\-_+~:]/)
    .filter((t) => t.length > 0)
    .map((t) => (/^\d{1,15}$/.test(t) ? Number(t) : t));
}

/**
 * Loose version order for range checks: numeric parts numerically, other parts as text; an extra pre-release part
 * (`-beta`, `-rc1`, `-SNAPSHOT`) sorts before the release without it, any other extra part (`.min`, `.redhat-00001`)
 * after it. Good enough for picking a range, not a semver engine.
 */
export function compareVersions(a: string, b: string): number {
  const left = tokens(a);
  const right = tokens(b);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const x = left[i];
    const y = right[i];
    if (x === y) continue;
    if (x === undefined) return typeof y === 'number' ? -1 : -textAgainstEnd(y!);
    if (y === undefined) return typeof x === 'number' ? 1 : textAgainstEnd(x);
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'number') return 1;
    if (typeof y === 'number') return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Whether a version lies in the software entry's range; undefined when the version is unknown. */
export function inRange(version: string | undefined, software: DcSoftware): boolean | undefined {
  if (!version) return undefined;
  if (software.versionStartIncluding && compareVersions(version, software.versionStartIncluding) < 0) return false;
  if (software.versionStartExcluding && compareVersions(version, software.versionStartExcluding) <= 0) return false;
  if (software.versionEndExcluding && compareVersions(version, software.versionEndExcluding) >= 0) return false;
  if (software.versionEndIncluding && compareVersions(version, software.versionEndIncluding) > 0) return false;
  return true;
}
