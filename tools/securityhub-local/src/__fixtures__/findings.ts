import { SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { FIELD, buildFinding, type FindingDraft, type ScanScope } from '@devsecops/asff';
import { FIXED_NOW, testScope } from '@devsecops/test-support';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const PRODUCT_ARN = `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`;
export { FIELD, FIXED_NOW };

/** A real SDK client pointed at the local server, with dummy credentials. */
export function clientFor(endpoint: string, maxAttempts = 3): SecurityHubClient {
  return new SecurityHubClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
    maxAttempts,
  });
}

/** A draft for finding number `n`: distinct rule and location, severity cycling through the labels. */
export function draft(n: number, overrides: Partial<FindingDraft> = {}): FindingDraft {
  const labels = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
  const label = labels[n % labels.length]!;
  return {
    ruleId: `RULE-${n}`,
    location: `src/file-${n}.ts`,
    title: `Problem ${n} in src/file-${n}.ts`,
    description: `Description of problem ${n}`,
    severity: { label, original: label.toLowerCase() },
    resources: [{ Type: 'Other', Id: `hospital/patient-portal/src/file-${n}.ts` }],
    ...overrides,
  };
}

/** A valid ASFF finding built by @devsecops/asff, the way our producers build them. */
export function finding(n: number, options: { scope?: Partial<ScanScope>; draft?: Partial<FindingDraft>; at?: string } = {}): AwsSecurityFinding {
  return buildFinding(draft(n, options.draft), testScope({ tool: 'test-tool', ...options.scope }), options.at ?? FIXED_NOW);
}

export function findings(count: number, options: Parameters<typeof finding>[1] = {}, start = 0): AwsSecurityFinding[] {
  return Array.from({ length: count }, (_, i) => finding(start + i, options));
}

/** The same finding re-sent later: a copy with a new UpdatedAt (CreatedAt stays). */
export function later(f: AwsSecurityFinding, updatedAt: string, changes: Partial<AwsSecurityFinding> = {}): AwsSecurityFinding {
  return { ...structuredClone(f), UpdatedAt: updatedAt, ...changes };
}
