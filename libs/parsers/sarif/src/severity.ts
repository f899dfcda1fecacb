import { labelFromScore, type SeverityLabel } from '@devsecops/asff';
import { hasOwn, toJson } from './json';

const toNumber = Number;
const isFinite = Number.isFinite;

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

/** SARIF level → Label (README "Severity"). Used when the rule has no usable `security-severity`. */
export const LEVEL_LABELS: Readonly<Record<SarifLevel, SeverityLabel>> = {
  error: 'HIGH',
  warning: 'MEDIUM',
  note: 'LOW',
  none: 'INFORMATIONAL',
};

/** SARIF's default when neither the result nor the rule names a level. */
export const DEFAULT_LEVEL: SarifLevel = 'warning';

export function isSarifLevel(value: unknown): value is SarifLevel {
  return typeof value === 'string' && hasOwn(LEVEL_LABELS, value);
}

/** `security-severity` as a score 0..10 (GitHub's convention: a string such as "8.0", or a number); undefined when unusable. */
export function securityScore(value: unknown): number | undefined {
  const score = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? toNumber(value.trim()) : NaN;
  return isFinite(score) && score >= 0 && score <= 10 ? score : undefined;
}

export interface SarifSeverityInput {
  /** The rule's properties["security-severity"], as found. */
  securitySeverity?: unknown;
  /** result.level, else the rule's defaultConfiguration.level, else undefined. */
  level?: unknown;
}

export interface SarifSeverity {
  label: SeverityLabel;
  original: string;
  /** Set when a level or a security-severity was present but unusable. */
  problem?: string;
}

/**
 * The one SARIF severity table: a usable `security-severity` wins (CVSS bands via labelFromScore, Original = the
 * value as written); else the level (error HIGH, warning MEDIUM, note LOW, none INFORMATIONAL; absent = warning;
 * an unknown word counts as warning and is reported).
 */
export function sarifSeverity(input: SarifSeverityInput): SarifSeverity {
  const score = securityScore(input.securitySeverity);
  const badScore = input.securitySeverity !== undefined && input.securitySeverity !== null && score === undefined;
  const scoreProblem = badScore ? `unusable security-severity ${toJson(input.securitySeverity).slice(0, 40)}` : undefined;
  if (score !== undefined) return { label: labelFromScore(score), original: `${input.securitySeverity}`.trim() };
  if (input.level === undefined || input.level === null) return { label: LEVEL_LABELS[DEFAULT_LEVEL], original: DEFAULT_LEVEL, problem: scoreProblem };
  if (isSarifLevel(input.level)) return { label: LEVEL_LABELS[input.level], original: input.level, problem: scoreProblem };
  return {
    label: LEVEL_LABELS[DEFAULT_LEVEL],
    original: DEFAULT_LEVEL,
    problem: scoreProblem ?? `unknown level ${toJson(input.level)?.slice(0, 40)} counted as warning`,
  };
}
