import type { SeverityLabel } from '@devsecops/asff';
import type { RuleFacts } from './rules';

/**
 * ASFF type of a code-quality rule. Security Hub validates the namespace only (BatchImportFindings: "Valid namespace
 * values are Software and Configuration Checks | TTPs | …"); the category says what it is in the console filter.
 */
export const CODE_QUALITY_TYPE = 'Software and Configuration Checks/Code Quality';

/** Quality findings never rank above this, so a lint error cannot fail a security gate on its own. */
export const CODE_QUALITY_MAX_SEVERITY: SeverityLabel = 'LOW';

const SECURITY_WORD = /secur|vulnerab|\bcwe\b|cwe-|owasp|\bcve\b|exploit|injection|xss|csrf|crypto|secret|credential|taint/i;

/** Drivers whose every rule is a security check, even when a rule carries no tag (Checkov, Bandit, gosec …). */
const SECURITY_ONLY_DRIVERS = /^(checkov|bandit|gosec|trivy|grype|tfsec|kics|snyk|dependabot|osv-scanner|gitleaks|trufflehog|zap|brakeman|horusec|njsscan|nodejsscan|devskim|security code scan|psalm taint)/i;

export interface RuleSignals {
  ruleId: string;
  driverName?: string;
  facts: RuleFacts;
  cwes: readonly string[];
  cve?: string;
}

/**
 * True when nothing marks the rule as a security check: no security tag or category, no CWE, no
 * `security-severity`, no CVE, and a tool that also reports non-security rules (ESLint, CodeQL quality queries,
 * Semgrep's correctness rules). GitHub code scanning draws the same line with the `security` tag.
 */
export function isCodeQualityRule({ ruleId, driverName, facts, cwes, cve }: RuleSignals): boolean {
  if (cve || cwes.length > 0) return false;
  if (facts.securitySeverity !== undefined && facts.securitySeverity !== null) return false;
  if (driverName && SECURITY_ONLY_DRIVERS.test(driverName.trim())) return false;
  if (facts.tags.some((tag) => SECURITY_WORD.test(tag))) return false;
  if (facts.category && SECURITY_WORD.test(facts.category)) return false;
  // Rule ids name their family: eslint-plugin-security's security/detect-*, Semgrep's *.security.*.
  return !/(^|[./:-])security([./:-]|$)/i.test(ruleId);
}

/** What Trivy writes in each result's message (pkg/report/sarif.go): the package, versions and its severity. */
export interface TrivyPackage {
  name: string;
  installedVersion: string;
  /** Several fixed versions, one per release line, are comma-separated as Trivy prints them. */
  fixedVersion?: string;
  severity?: string;
}

const FIELD_LINE = /^(Package|Installed Version|Fixed Version|Severity):[ \t]*(.*)$/;

/** Reads Trivy's vulnerability message; undefined for other messages (misconfigurations, secrets, other tools). */
export function trivyPackageOf(message: string | undefined): TrivyPackage | undefined {
  if (!message || !message.includes('Installed Version:')) return undefined;
  const fields: Record<string, string> = {};
  for (const line of message.split(/\r?\n/)) {
    const match = FIELD_LINE.exec(line.trim());
    if (match) fields[match[1]!] = match[2]!.trim();
  }
  const name = fields['Package'];
  const installedVersion = fields['Installed Version'];
  if (!name || !installedVersion) return undefined;
  return {
    name,
    installedVersion,
    ...(fields['Fixed Version'] ? { fixedVersion: fields['Fixed Version'] } : {}),
    ...(fields['Severity'] ? { severity: fields['Severity'] } : {}),
  };
}
