import { buildFinding, type AwsSecurityFinding, type FindingDraft, type ScanScope } from '@devsecops/asff';
import { FIXED_NOW, testScope } from '@devsecops/test-support';

export const SCOPE: ScanScope = testScope({ tool: 'dependency-check' });

export function draft(index: number, overrides: Partial<FindingDraft> = {}): FindingDraft {
  return {
    ruleId: `CVE-2024-${String(10000 + index)}`,
    location: `pkg:npm/package-${index}@1.0.${index % 10}`,
    title: `CVE-2024-${10000 + index} in package-${index}`,
    description: `A vulnerability in package-${index}.`,
    severity: { label: 'HIGH', original: '7.5' },
    resources: [{ Type: 'Other', Id: `pkg:npm/package-${index}@1.0.${index % 10}` }],
    ...overrides,
  };
}

/** `count` distinct findings of one scope, built the way parsers build them. */
export function findings(count: number, scope: ScanScope = SCOPE, at: string = FIXED_NOW, overrides: Partial<FindingDraft> = {}): AwsSecurityFinding[] {
  return Array.from({ length: count }, (_, i) => buildFinding(draft(i, overrides), scope, at));
}

/** A finding of roughly `bytes` of JSON: long reference URL lists, as a CVE with many advisories has. */
export function bigFinding(index: number, bytes: number, scope: ScanScope = SCOPE, at: string = FIXED_NOW): AwsSecurityFinding {
  const url = (n: number) => `https://advisories.example.org/${index}/${'x'.repeat(180)}/${n}`;
  const urls = Array.from({ length: Math.ceil(bytes / 220) }, (_, n) => url(n));
  return buildFinding(draft(index, { vulnerabilities: [{ Id: `CVE-2024-${10000 + index}`, ReferenceUrls: urls }] }), scope, at);
}
