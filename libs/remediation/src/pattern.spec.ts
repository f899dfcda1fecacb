import { ACCOUNT, controlFinding, findingsImported, standardFinding } from './__fixtures__/findings';
import { FindingsImportedEventSchema } from './event';
import { AUTO_REMEDIATOR_EVENT_PATTERN, autoRemediatorEventPattern } from './pattern';

/**
 * The part of EventBridge's matching this pattern relies on: arrays of values or of {suffix|exists|anything-but}
 * matchers, nested objects, `$or`, and arrays in the event matched element-wise.
 */
function matches(pattern: Record<string, unknown>, event: unknown): boolean {
  if (Array.isArray(event)) return event.some((item) => matches(pattern, item));
  const record = (event ?? {}) as Record<string, unknown>;
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') return (expected as Record<string, unknown>[]).some((alternative) => matches(alternative, record));
    const actual = record[key];
    // A missing parent behaves like an empty object: `exists: false` below it matches.
    if (!Array.isArray(expected)) return matches(expected as Record<string, unknown>, actual ?? {});
    return expected.some((m) => {
      if (typeof m !== 'object' || m === null) return actual === m;
      const matcher = m as { suffix?: string; exists?: boolean; 'anything-but'?: string[] };
      if (matcher.exists !== undefined) return matcher.exists === (actual !== undefined);
      if (actual === undefined) return false;
      if (matcher.suffix !== undefined) return typeof actual === 'string' && actual.endsWith(matcher.suffix);
      return !matcher['anything-but']!.includes(actual as string);
    });
  });
}

describe('AUTO_REMEDIATOR_EVENT_PATTERN', () => {
  it('matches a NEW FAILED ACTIVE control finding with a playbook, with or without a person’s note', () => {
    expect(matches(AUTO_REMEDIATOR_EVENT_PATTERN, findingsImported(controlFinding('CloudTrail.4')))).toBe(true);
    const noted = controlFinding('S3.5', { Note: { Text: 'please fix', UpdatedBy: 'alice', UpdatedAt: '2026-11-22T11:00:00Z' } });
    expect(matches(AUTO_REMEDIATOR_EVENT_PATTERN, findingsImported(noted))).toBe(true);
  });

  it.each([
    ['its own note (a failed run leaves the finding NEW)', { Note: { Text: 'failed', UpdatedBy: 'devsecops-auto-remediator', UpdatedAt: '2026-11-22T11:00:00Z' } }],
    ['its own NOTIFIED mark (dry run)', { Workflow: { Status: 'NOTIFIED' as const } }],
    ['its own RESOLVED mark', { Workflow: { Status: 'RESOLVED' as const } }],
    ['a passed control', { Compliance: { Status: 'PASSED' as const, SecurityControlId: 'KMS.4' } }],
    ['an archived finding', { RecordState: 'ARCHIVED' as const }],
    ['a control without playbook', { GeneratorId: 'security-control/IAM.1', Compliance: { Status: 'FAILED' as const, SecurityControlId: 'IAM.1' } }],
    ['a finding of our scanners', { ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default` }],
  ])('does not match %s', (_, overrides) => {
    expect(matches(AUTO_REMEDIATOR_EVENT_PATTERN, findingsImported(controlFinding('KMS.4', overrides)))).toBe(false);
  });

  it('matches the FSBP per-standard finding of a control (consolidated control findings off)', () => {
    expect(matches(AUTO_REMEDIATOR_EVENT_PATTERN, findingsImported(standardFinding('CodeBuild.2', 'fsbp')))).toBe(true);
  });

  it('lets the PCI DSS copy of a check through (same SecurityControlId): the handler skips it by GeneratorId', () => {
    expect(matches(AUTO_REMEDIATOR_EVENT_PATTERN, findingsImported(standardFinding('CodeBuild.2', 'pci')))).toBe(true);
  });

  it('uses the configured remediator name', () => {
    const pattern = autoRemediatorEventPattern('pipeline-remediator', ['S3.8']);
    const noted = controlFinding('S3.8', { Note: { Text: 'x', UpdatedBy: 'pipeline-remediator', UpdatedAt: '2026-11-22T11:00:00Z' } });
    expect(matches(pattern, findingsImported(noted))).toBe(false);
    expect(matches(pattern, findingsImported(controlFinding('S3.5')))).toBe(false);
  });
});

describe('FindingsImportedEventSchema', () => {
  it('accepts the Security Hub event', () => {
    expect(FindingsImportedEventSchema.parse(findingsImported(controlFinding('S3.8'))).detail.findings[0]!.Id).toContain('security-control/S3.8');
  });

  it.each([
    [{ ...findingsImported(controlFinding('S3.8')), 'detail-type': 'Security Hub Findings - Custom Action' }, /detail-type/],
    [{ ...findingsImported(controlFinding('S3.8')), detail: { findings: [] } }, /detail\.findings/],
    [findingsImported({ ...controlFinding('S3.8'), Resources: [] }), /Resources/],
  ])('refuses a malformed event %#', (event, problem) => {
    const result = FindingsImportedEventSchema.safeParse(event);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.')).join(' ')).toMatch(problem);
  });
});
