import { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } from 'ae-cvss-calculator';
import type { Vulnerability } from '@devsecops/asff';
import type { CvssEntry } from './model';
import { field, isRecord, num, text, type UnknownRecord } from './values';

/**
 * CVSS blocks of a Dependency-Check vulnerability → CvssEntry. DC writes no vector string for v2/v3, only the
 * metric words (`NETWORK`, `ADJACENT_NETWORK`, `UNCHANGED`…) or letters (`N`, `U`); the vector is rebuilt from
 * them and checked with ae-cvss-calculator. A v3 block without `version` gets an unprefixed vector: 3.0 and 3.1
 * share the metrics, and inventing `CVSS:3.1` (as DefectDojo does) would misstate the source.
 */

type Metric = readonly [abbreviation: string, keys: readonly string[], letters: string];

const V2_METRICS: readonly Metric[] = [
  ['AV', ['accessVector'], 'LAN'],
  ['AC', ['accessComplexity'], 'HML'],
  ['Au', ['authenticationr', 'authentication'], 'MSN'],
  ['C', ['confidentialImpact', 'confidentialityImpact'], 'NPC'],
  ['I', ['integrityImpact'], 'NPC'],
  ['A', ['availabilityImpact'], 'NPC'],
];

const V3_METRICS: readonly Metric[] = [
  ['AV', ['attackVector'], 'NALP'],
  ['AC', ['attackComplexity'], 'LH'],
  ['PR', ['privilegesRequired'], 'NLH'],
  ['UI', ['userInteraction'], 'NR'],
  ['S', ['scope'], 'UC'],
  ['C', ['confidentialityImpact'], 'HLN'],
  ['I', ['integrityImpact'], 'HLN'],
  ['A', ['availabilityImpact'], 'HLN'],
];

const V4_BASE_METRICS: readonly Metric[] = [
  ['AV', ['attackVector'], 'NALP'],
  ['AC', ['attackComplexity'], 'LH'],
  ['AT', ['attackRequirements'], 'NP'],
  ['PR', ['privilegesRequired'], 'NLH'],
  ['UI', ['userInteraction'], 'NPA'],
  ['VC', ['vulnerableSystemConfidentiality'], 'HLN'],
  ['VI', ['vulnerableSystemIntegrity'], 'HLN'],
  ['VA', ['vulnerableSystemAvailability'], 'HLN'],
  ['SC', ['subsequentSystemConfidentiality'], 'HLN'],
  ['SI', ['subsequentSystemIntegrity'], 'HLN'],
  ['SA', ['subsequentSystemAvailability'], 'HLN'],
];

/** `NETWORK` → N, `ADJACENT_NETWORK` → A, `n` → N; undefined when the letter is not allowed for the metric. */
function metricLetter(word: string | undefined, allowed: string): string | undefined {
  const letter = word?.trim().charAt(0).toUpperCase();
  return letter && allowed.includes(letter) ? letter : undefined;
}

/** `AV:N/AC:L/…` from metric words; undefined when any metric is missing or not a valid value. */
export function vectorFromMetrics(record: UnknownRecord, metrics: readonly Metric[]): string | undefined {
  const parts: string[] = [];
  for (const [abbreviation, keys, allowed] of metrics) {
    const letter = metricLetter(field(record, ...keys), allowed);
    if (!letter) return undefined;
    parts.push(`${abbreviation}:${letter}`);
  }
  return parts.join('/');
}

type Calculator = '2.0' | '3.0' | '3.1' | '4.0';

// Vectors repeat across a report (one CVE in many dependencies), so each distinct vector is scored once.
const scoreCache = new Map<string, number | null>();
const SCORE_CACHE_LIMIT = 10_000;

/**
 * The base score ae-cvss-calculator computes for a full base vector; undefined when the vector is not a
 * complete, valid base vector for that version.
 */
export function calculatedBaseScore(calculator: Calculator, vector: string): number | undefined {
  const key = `${calculator}|${vector}`;
  const cached = scoreCache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  let score: number | null = null;
  try {
    const cvss =
      calculator === '2.0' ? new Cvss2(vector) : calculator === '3.0' ? new Cvss3P0(vector) : calculator === '3.1' ? new Cvss3P1(vector) : new Cvss4P0(vector);
    if (cvss.isBaseFullyDefined()) {
      const base = (cvss.calculateScores() as { base?: number }).base;
      score = typeof base === 'number' && Number.isFinite(base) ? base : null;
    }
  } catch {
    score = null;
  }
  if (scoreCache.size >= SCORE_CACHE_LIMIT) scoreCache.clear();
  scoreCache.set(key, score);
  return score ?? undefined;
}

function reportedScore(value: unknown): number | undefined {
  const score = num(value);
  return score !== undefined && score >= 0 && score <= 10 ? score : undefined;
}

/** The report's score when it is a valid 0–10 number, else the one computed from the vector. */
function entry(major: CvssEntry['major'], version: string | undefined, vector: string | undefined, computed: number | undefined, reported: number | undefined, source: string | undefined): CvssEntry | undefined {
  const baseScore = reported ?? computed;
  if (baseScore === undefined && vector === undefined) return undefined;
  return {
    major,
    ...(version ? { version } : {}),
    ...(baseScore !== undefined ? { baseScore } : {}),
    ...(vector ? { vector } : {}),
    ...(source ? { source } : {}),
  };
}

/** `cvssv2` / `cvssV2` block. Version 2 has a single minor version, so a missing `version` means 2.0. */
export function readCvssV2(block: unknown, source: string | undefined): CvssEntry | undefined {
  if (!isRecord(block)) return undefined;
  const built = vectorFromMetrics(block, V2_METRICS);
  const computed = built ? calculatedBaseScore('2.0', built) : undefined;
  const vector = computed !== undefined ? built : undefined;
  return entry(2, '2.0', vector, computed, reportedScore(block.score ?? block.baseScore), source);
}

/** Schema 1.x flat fields on the vulnerability itself: `cvssScore`, `cvssAccessVector`, … (no version given). */
export function readLegacyCvss(vulnerability: UnknownRecord, source: string | undefined): CvssEntry | undefined {
  if (vulnerability.cvssScore === undefined && vulnerability.cvssAccessVector === undefined) return undefined;
  const flat: UnknownRecord = {
    accessVector: vulnerability.cvssAccessVector,
    accessComplexity: vulnerability.cvssAccessComplexity,
    authenticationr: vulnerability.cvssAuthenticationr ?? vulnerability.cvssAuthentication,
    confidentialImpact: vulnerability.cvssConfidentialImpact ?? vulnerability.cvssConfidentialityImpact,
    integrityImpact: vulnerability.cvssIntegrityImpact,
    availabilityImpact: vulnerability.cvssAvailabilityImpact,
  };
  const built = vectorFromMetrics(flat, V2_METRICS);
  const computed = built ? calculatedBaseScore('2.0', built) : undefined;
  const vector = computed !== undefined ? built : undefined;
  const result = entry(2, undefined, vector, computed, reportedScore(vulnerability.cvssScore), source);
  return result ? { ...result, legacy: true } : undefined;
}

/** `cvssv3` / `cvssV3` block; the vector is prefixed only when the report states 3.0 or 3.1. */
export function readCvssV3(block: unknown, source: string | undefined): CvssEntry | undefined {
  if (!isRecord(block)) return undefined;
  const stated = text(block.version);
  const version = stated === '3.0' || stated === '3.1' ? stated : undefined;
  const metrics = vectorFromMetrics(block, V3_METRICS);
  // Unknown minor version: validate (and, if needed, score) with the 3.1 rules; the metrics are the same.
  const calculator: Calculator = version ?? '3.1';
  const computed = metrics ? calculatedBaseScore(calculator, `CVSS:${calculator}/${metrics}`) : undefined;
  const vector = metrics && computed !== undefined ? (version ? `CVSS:${version}/${metrics}` : metrics) : undefined;
  return entry(3, version, vector, computed, reportedScore(block.baseScore ?? block.score), source);
}

const V4_VECTOR = /^CVSS:4\.0(\/[A-Za-z]{1,3}:[A-Za-z]{1,2})+$/;
const MAX_VECTOR_LENGTH = 512;

/** The 11 base metrics of a v4 vector, in canonical order, or undefined when one is missing. */
function v4BaseOf(vector: string): string | undefined {
  const values = new Map(
    vector
      .split('/')
      .slice(1)
      .map((part) => part.split(':') as [string, string]),
  );
  const parts: string[] = [];
  for (const [abbreviation] of V4_BASE_METRICS) {
    const value = values.get(abbreviation);
    if (!value) return undefined;
    parts.push(`${abbreviation}:${value}`);
  }
  return `CVSS:4.0/${parts.join('/')}`;
}

/**
 * `cvssv4` / `cvssV4` block. The report's `vectorString` is kept as written when its base metrics are valid
 * (NVD vectors carry supplemental metrics the calculator rejects, e.g. `R:N`); without one it is rebuilt from
 * the base metric words.
 */
export function readCvssV4(block: unknown, vulnerabilitySource: string | undefined): CvssEntry | undefined {
  if (!isRecord(block)) return undefined;
  const source = text(block.source) ?? vulnerabilitySource;
  const given = text(block.vectorString);
  let vector: string | undefined;
  let computed: number | undefined;
  if (given && given.length <= MAX_VECTOR_LENGTH && V4_VECTOR.test(given)) {
    const base = v4BaseOf(given);
    computed = base ? calculatedBaseScore('4.0', base) : undefined;
    if (computed !== undefined) vector = given;
  }
  if (vector === undefined) {
    const metrics = vectorFromMetrics(block, V4_BASE_METRICS);
    computed = metrics ? calculatedBaseScore('4.0', `CVSS:4.0/${metrics}`) : undefined;
    if (metrics && computed !== undefined) vector = `CVSS:4.0/${metrics}`;
  }
  return entry(4, '4.0', vector, computed, reportedScore(block.baseScore ?? block.score), source);
}

/** ASFF `Vulnerabilities[].Cvss[]`: newest version first. */
export function toAsffCvss(entries: readonly CvssEntry[]): NonNullable<Vulnerability['Cvss']> {
  return [...entries]
    .sort((a, b) => b.major - a.major)
    .map((c) => ({
      ...(c.version ? { Version: c.version } : {}),
      ...(c.baseScore !== undefined ? { BaseScore: c.baseScore } : {}),
      ...(c.vector ? { BaseVector: c.vector } : {}),
      ...(c.source ? { Source: c.source.slice(0, 128) } : {}),
    }));
}
