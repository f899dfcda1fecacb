import { SEVERITY_LABELS, parseSeverityLabel, type SeverityLabel } from '@devsecops/asff';
import type { FailOn, GateMode } from './gate';

/** The gate's settings, the same for the CLI, the parser Lambdas (event and environment) and the CDK config. */
export interface GateSettings {
  failOn: FailOn;
  mode: GateMode;
  /** `new` mode: the branch to compare with. */
  baseBranch?: string;
  slaDays?: Partial<Record<SeverityLabel, number>>;
  failOnEpss?: number;
  failOnKev: boolean;
  onDecisionReadError: 'fail' | 'ignore';
}

export const DEFAULT_BASE_BRANCH = 'main';

/** `NONE` or a severity label, any case. An error message otherwise. */
export function parseFailOn(value: string): FailOn | { error: string } {
  if (value.trim().toUpperCase() === 'NONE') return 'NONE';
  const label = parseSeverityLabel(value);
  return label ?? { error: `must be NONE, INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL, got "${value}"` };
}

export function parseGateMode(value: string): GateMode | { error: string } {
  const mode = value.trim().toLowerCase();
  return mode === 'all' || mode === 'new' ? mode : { error: `must be all or new, got "${value}"` };
}

/** `CRITICAL=7,HIGH=30` (or a JSON object of the same). */
export function parseSlaDays(value: string | Record<string, unknown>): Partial<Record<SeverityLabel, number>> | { error: string } {
  const pairs: [string, unknown][] =
    typeof value === 'string'
      ? value
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)
          .map((p) => {
            const [k, v] = p.split('=');
            return [k ?? '', v === undefined ? undefined : Number(v)];
          })
      : Object.entries(value);
  const out: Partial<Record<SeverityLabel, number>> = {};
  for (const [key, days] of pairs) {
    const label = parseSeverityLabel(key);
    if (!label) return { error: `"${key}" is not a severity (${SEVERITY_LABELS.join(', ')})` };
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0) return { error: `${label} needs a whole number of days, e.g. ${label}=30` };
    out[label] = days;
  }
  return out;
}

export function parseEpssThreshold(value: string | number): number | { error: string } {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : { error: `must be an EPSS score from 0 to 1, e.g. 0.5, got "${value}"` };
}
