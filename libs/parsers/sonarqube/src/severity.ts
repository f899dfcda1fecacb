import type { SeverityLabel } from '@devsecops/asff';
import { isObject, list, word } from './read';

/**
 * SonarQube's own severity scales mapped to ASFF labels (one table, documented in README.md).
 * Legacy ("Standard Experience") severities are shifted one step down: SonarQube calls a routine
 * vulnerability CRITICAL, which is HIGH on the CVSS-like scale Security Hub uses.
 */
export const LEGACY_SEVERITY: Readonly<Record<string, SeverityLabel>> = {
  BLOCKER: 'CRITICAL',
  CRITICAL: 'HIGH',
  MAJOR: 'MEDIUM',
  MINOR: 'LOW',
  INFO: 'INFORMATIONAL',
};

/** `impacts[].severity` (SonarQube 10+; INFO and BLOCKER since 10.8) maps 1:1. */
export const IMPACT_SEVERITY: Readonly<Record<string, SeverityLabel>> = {
  BLOCKER: 'CRITICAL',
  HIGH: 'HIGH',
  MEDIUM: 'MEDIUM',
  LOW: 'LOW',
  INFO: 'INFORMATIONAL',
};

/** Hotspot `vulnerabilityProbability` (review priority) maps 1:1. */
export const HOTSPOT_PROBABILITY: Readonly<Record<string, SeverityLabel>> = {
  HIGH: 'HIGH',
  MEDIUM: 'MEDIUM',
  LOW: 'LOW',
};

const RANK: Readonly<Record<SeverityLabel, number>> = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

export interface Impact {
  softwareQuality: string;
  severity: string;
}

export interface ChosenSeverity {
  label: SeverityLabel;
  /** The raw SonarQube value, as shown in SonarQube. */
  original: string;
  /** Where the label came from, for ProductFields. */
  source: 'impact' | 'legacy' | 'probability';
}

export function readImpacts(value: unknown): Impact[] {
  const impacts: Impact[] = [];
  for (const entry of list(value)) {
    if (!isObject(entry)) continue;
    const softwareQuality = word(entry.softwareQuality);
    const severity = word(entry.severity);
    if (softwareQuality && severity) impacts.push({ softwareQuality, severity });
  }
  return impacts;
}

/** The impact that decides severity: the SECURITY one when present, else the most severe known one. */
export function decisiveImpact(impacts: readonly Impact[]): Impact | undefined {
  let best: Impact | undefined;
  for (const impact of impacts) {
    const label = IMPACT_SEVERITY[impact.severity];
    if (!label) continue;
    if (impact.softwareQuality === 'SECURITY') return impact;
    if (!best || RANK[label] > RANK[IMPACT_SEVERITY[best.severity]!]) best = impact;
  }
  return best;
}

/** Severity of an issue: from `impacts` when present, else the legacy `severity`; undefined when neither is known. */
export function issueSeverity(impacts: readonly Impact[], legacySeverity: string | undefined): ChosenSeverity | undefined {
  const impact = decisiveImpact(impacts);
  if (impact) return { label: IMPACT_SEVERITY[impact.severity]!, original: impact.severity, source: 'impact' };
  const legacy = legacySeverity ? LEGACY_SEVERITY[legacySeverity] : undefined;
  if (legacy) return { label: legacy, original: legacySeverity!, source: 'legacy' };
  return undefined;
}

/** Severity of a hotspot from its review priority; undefined when unknown. */
export function hotspotSeverity(probability: string | undefined): ChosenSeverity | undefined {
  const label = probability ? HOTSPOT_PROBABILITY[probability] : undefined;
  return label ? { label, original: probability!, source: 'probability' } : undefined;
}
