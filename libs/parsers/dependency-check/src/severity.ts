import { labelFromScore, labelFromWord, preferredCvss, type SeverityLabel } from '@devsecops/asff';
import type { DcVulnerability } from './model';

export interface SeverityDecision {
  label: SeverityLabel;
  original: string;
  /** How the label was reached, for tests and the README table. */
  basis: 'cvss' | 'word' | 'legacy-score' | 'default';
}

function scoreText(score: number): string {
  return score.toFixed(1);
}

/**
 * Severity of one vulnerability:
 * 1. CVSS base score of the newest version present (v4, else v3, else v2) through the NVD bands;
 * 2. else the report's severity word (HIGH, Moderate, lowercase RetireJS words…);
 * 3. else the schema 1.x flat `cvssScore` (no version stated; in real 1.x reports DC derived the word from it);
 * 4. else `fallback` (MEDIUM unless the caller says otherwise), flagged so the parser can warn.
 */
export function decideSeverity(vulnerability: Pick<DcVulnerability, 'cvss' | 'severity'>, fallback: SeverityLabel = 'MEDIUM'): SeverityDecision {
  const ranked = vulnerability.cvss.flatMap((c) => (!c.legacy && c.baseScore !== undefined ? [{ version: c.version ?? String(c.major), baseScore: c.baseScore }] : []));
  const best = preferredCvss(ranked);
  if (best) return { label: labelFromScore(best.baseScore), original: scoreText(best.baseScore), basis: 'cvss' };
  const fromWord = labelFromWord(vulnerability.severity);
  if (fromWord && vulnerability.severity) return { label: fromWord, original: vulnerability.severity, basis: 'word' };
  const legacy = vulnerability.cvss.find((c) => c.legacy && c.baseScore !== undefined);
  if (legacy?.baseScore !== undefined) return { label: labelFromScore(legacy.baseScore), original: scoreText(legacy.baseScore), basis: 'legacy-score' };
  return { label: fallback, original: vulnerability.severity ?? '', basis: 'default' };
}
