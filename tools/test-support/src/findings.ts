import { buildFinding, type AwsSecurityFinding, type FindingDraft, type ScanScope, type SeverityLabel } from '@devsecops/asff';

/** The gate tests' clock. */
export const GATE_NOW = new Date('2026-12-01T12:00:00.000Z');

/** The scope of the gate tests' findings. */
export function gateScope(tool: string, branch = 'main'): ScanScope {
  return { awsAccountId: '123456789012', region: 'eu-west-1', partition: 'aws', tool, repository: 'hospital/portal', branch, commit: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00' };
}

export interface TestFindingSpec {
  tool?: string;
  rule: string;
  severity: SeverityLabel;
  /** purl (SCA) or path (SAST) */
  location: string;
  cve?: string;
  line?: number;
  state?: FindingDraft['state'];
  branch?: string;
  firstObservedAt?: string;
}

/** One finding as the parsers would build it, with FirstObservedAt when given. */
export function testFinding(spec: TestFindingSpec): AwsSecurityFinding {
  const tool = spec.tool ?? (spec.cve ? 'dependency-check' : 'semgrep');
  const isPackage = spec.location.startsWith('pkg:');
  const draft: FindingDraft = {
    ruleId: spec.rule,
    location: spec.location,
    title: `${spec.rule} in ${spec.location}`,
    description: 'test finding',
    severity: { label: spec.severity, original: spec.severity },
    resources: [
      isPackage
        ? { Type: 'Other', Id: spec.location, Details: { Other: { purl: spec.location } } }
        : { Type: 'Other', Id: spec.location, Details: { Other: { path: spec.location, startLine: String(spec.line ?? 1) } } },
    ],
    ...(spec.cve ? { vulnerabilities: [{ Id: spec.cve, VulnerablePackages: [{ Name: spec.location.split('/').pop()!.split('@')[0]!, Version: spec.location.split('@')[1] ?? '', FixedInVersion: '9.9.9' }], Vendor: { Name: 'NVD' } }] } : {}),
    ...(spec.state ? { state: spec.state } : {}),
  };
  const built = buildFinding(draft, gateScope(tool, spec.branch), spec.firstObservedAt ?? '2026-11-30T12:00:00.000Z');
  return built;
}
