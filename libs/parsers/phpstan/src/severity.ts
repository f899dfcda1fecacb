import { SEVERITY_LABELS, isSeverityLabel, severityRank, type SeverityLabel } from '@devsecops/asff';

/**
 * PHPStan has no severity of its own: file errors get this label unless ParseOptions.defaultSeverity says otherwise.
 * MEDIUM, so that ordinary (ignorable) errors land on LOW and a `--fail-on LOW` gate still sees them; errors PHPStan
 * refuses to let you ignore (parse errors, unknown classes) stay a step above.
 */
export const PHPSTAN_DEFAULT_SEVERITY: SeverityLabel = 'MEDIUM';

export interface PhpstanErrorTraits {
  /** Global errors (`errors[]`) are not tied to a file: configuration, baseline and internal problems. */
  global: boolean;
  identifier?: string;
  /** PHPStan's own flag: false for errors it does not let you ignore (unknown classes, parse errors, unmatched ignores). */
  ignorable?: boolean;
}

const ONE_STEP_DOWN: Readonly<Record<SeverityLabel, SeverityLabel>> = Object.fromEntries(
  SEVERITY_LABELS.map((label) => [label, SEVERITY_LABELS[Math.max(0, severityRank(label) - 1)]!]),
) as Record<SeverityLabel, SeverityLabel>;

/**
 * The one PHPStan severity table (README "Severity"):
 *
 * | error | Label |
 * |---|---|
 * | global error (`errors[]`) | INFORMATIONAL |
 * | identifier `ignore.*` (unmatched ignore/baseline pattern) | INFORMATIONAL |
 * | file error, `ignorable: false` or flag absent | default (MEDIUM) |
 * | file error, `ignorable: true` | one step below the default (LOW), never below INFORMATIONAL |
 *
 * Original is the identifier, or `error` for messages without one.
 */
export function phpstanSeverity(error: PhpstanErrorTraits, defaultLabel: SeverityLabel = PHPSTAN_DEFAULT_SEVERITY): { label: SeverityLabel; original: string } {
  const original = error.identifier ?? 'error';
  const base = isSeverityLabel(defaultLabel) ? defaultLabel : PHPSTAN_DEFAULT_SEVERITY;
  if (error.global || error.identifier?.startsWith('ignore.')) return { label: 'INFORMATIONAL', original };
  return { label: error.ignorable === true ? ONE_STEP_DOWN[base] : base, original };
}
