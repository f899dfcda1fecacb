import { buildFinding, type AwsSecurityFinding, type FindingDraft, type SeverityLabel } from '@devsecops/asff';
import { FIXED_NOW, testScope } from '@devsecops/test-support';

/** Titles an attacker controls (ZAP quotes the attacked page): each would run script if it reached the page unescaped. */
export const HOSTILE_TITLES = [
  '<script>document.documentElement.setAttribute("data-pwned","script")</script>',
  '<img src=x onerror="document.documentElement.setAttribute(\'data-pwned\',\'img\')">',
  '"><svg onload="document.documentElement.setAttribute(\'data-pwned\',\'svg\')">',
] as const;

/** A finding as a scan Lambda imports it (buildFinding), of `tool` at `severity`. */
export function scanFinding(tool: string, n: number, severity: SeverityLabel, draft: Partial<FindingDraft> = {}): AwsSecurityFinding {
  return buildFinding(
    {
      ruleId: `RULE-${n}`,
      location: `src/file-${n}.ts`,
      title: `${tool} problem ${n}`,
      description: `Description ${n}`,
      severity: { label: severity, original: severity },
      resources: [{ Type: 'Other', Id: `src/file-${n}.ts` }],
      ...draft,
    },
    testScope({ tool }),
    FIXED_NOW,
  );
}

/** A small known set: dependency-check CRITICAL 1 + HIGH 2, zap MEDIUM 1 + LOW 1 (one hostile title), semgrep HIGH 1. */
export function knownFindings(): AwsSecurityFinding[] {
  return [
    scanFinding('dependency-check', 1, 'CRITICAL', { title: 'log4j-core@2.14.1: CVE-2021-44228' }),
    scanFinding('dependency-check', 2, 'HIGH', { title: 'lodash@4.17.15: CVE-2020-8203' }),
    scanFinding('dependency-check', 3, 'HIGH', { title: 'jackson-databind@2.9.10: CVE-2020-36518' }),
    scanFinding('zap', 4, 'MEDIUM', { title: 'Content Security Policy (CSP) Header Not Set' }),
    scanFinding('zap', 5, 'LOW', { title: HOSTILE_TITLES[0] }),
    scanFinding('semgrep', 6, 'HIGH', { title: 'SQL statement built by concatenation' }),
  ];
}
