import { SEVERITY_LABELS, type SeverityLabel } from './types';

/**
 * CVSS base score → label, the bands NVD and Security Hub use:
 * 0 → INFORMATIONAL, 0.1–3.9 → LOW, 4.0–6.9 → MEDIUM, 7.0–8.9 → HIGH, 9.0–10 → CRITICAL.
 */
export function labelFromScore(score: number): SeverityLabel {
  if (!Number.isFinite(score) || score <= 0) return 'INFORMATIONAL';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

export interface CvssScore {
  /** "2.0", "3.0", "3.1", "4.0" */
  version: string;
  baseScore: number;
}

/** The preferred CVSS score: v4, else v3, else v2 (issue #2's rule). Undefined when none has a usable score. */
export function preferredCvss<T extends CvssScore>(scores: readonly T[]): T | undefined {
  const usable = scores.filter((s) => Number.isFinite(s.baseScore) && s.baseScore >= 0 && s.baseScore <= 10);
  for (const major of ['4', '3', '2']) {
    const hit = usable.find((s) => s.version.startsWith(major));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The one table that maps a tool's severity word to a label, for tools whose words mean what they say.
 * Tools with their own scale (SonarQube legacy, SARIF levels, ZAP riskcode) map in their own parser and document it.
 */
export const SEVERITY_WORDS: Readonly<Record<string, SeverityLabel>> = {
  critical: 'CRITICAL',
  blocker: 'CRITICAL',
  highest: 'CRITICAL',
  high: 'HIGH',
  important: 'HIGH',
  severe: 'HIGH',
  medium: 'MEDIUM',
  moderate: 'MEDIUM',
  med: 'MEDIUM',
  low: 'LOW',
  minor: 'LOW',
  info: 'INFORMATIONAL',
  informational: 'INFORMATIONAL',
  information: 'INFORMATIONAL',
  none: 'INFORMATIONAL',
  negligible: 'INFORMATIONAL',
};

/** Maps a severity word through SEVERITY_WORDS; undefined when unknown or missing. */
export function labelFromWord(word: string | undefined | null): SeverityLabel | undefined {
  if (typeof word !== 'string') return undefined;
  return SEVERITY_WORDS[word.trim().toLowerCase()];
}

export function isSeverityLabel(value: unknown): value is SeverityLabel {
  return typeof value === 'string' && (SEVERITY_LABELS as readonly string[]).includes(value);
}

/** Numeric rank for comparisons: INFORMATIONAL 0 … CRITICAL 4. */
export function severityRank(label: SeverityLabel): number {
  return SEVERITY_LABELS.indexOf(label);
}

/** Parses a user-supplied threshold such as "high" or "HIGH". */
export function parseSeverityLabel(value: string): SeverityLabel | undefined {
  const upper = value.trim().toUpperCase();
  return isSeverityLabel(upper) ? upper : undefined;
}
