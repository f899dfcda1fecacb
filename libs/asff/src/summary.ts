import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { isActive } from './build';
import { SEVERITY_LABELS, type SeverityLabel } from './types';

export type SeverityCounts = Record<SeverityLabel, number>;

export function emptyCounts(): SeverityCounts {
  return { INFORMATIONAL: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };
}

export interface FindingSummary {
  total: number;
  active: number;
  /** Active findings only. */
  bySeverity: SeverityCounts;
}

/** The provider's severity label; INFORMATIONAL when it is missing or not a label (the gate counts those as HIGH). */
export function labelOf(f: AwsSecurityFinding): SeverityLabel {
  const label = f.FindingProviderFields?.Severity?.Label ?? f.Severity?.Label;
  return (SEVERITY_LABELS as readonly string[]).includes(label ?? '') ? (label as SeverityLabel) : 'INFORMATIONAL';
}

export function summarize(findings: readonly AwsSecurityFinding[]): FindingSummary {
  const bySeverity = emptyCounts();
  let active = 0;
  for (const f of findings) {
    if (!isActive(f)) continue;
    active += 1;
    bySeverity[labelOf(f)] += 1;
  }
  return { total: findings.length, active, bySeverity };
}
