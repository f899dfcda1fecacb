import { emptyCounts } from '@devsecops/asff';
import type { RevisionSummary } from './findings';
import { ApprovalPolicySchema, DEFAULT_APPROVAL_POLICY, evaluatePolicy } from './policy';

function summary(counts: Partial<ReturnType<typeof emptyCounts>>, complete = true): RevisionSummary {
  const bySeverity = { ...emptyCounts(), ...counts };
  const total = Object.values(bySeverity).reduce((a, b) => a + b, 0);
  return { total, bySeverity, byTool: {}, top: [], complete };
}

describe('evaluatePolicy', () => {
  it('rejects when any CRITICAL is active under the default policy', () => {
    // Act
    const decision = evaluatePolicy(DEFAULT_APPROVAL_POLICY, summary({ CRITICAL: 1, HIGH: 3 }));
    // Assert
    expect(decision).toEqual({ outcome: 'reject', violations: [{ severity: 'CRITICAL', active: 1, max: 0 }], reason: 'Rejected by policy: 1 active CRITICAL (limit 0).' });
  });

  it('rejects above N HIGH and lists the most severe violation first', () => {
    // Arrange
    const policy = ApprovalPolicySchema.parse({ maxActive: { high: 2, critical: 0 } });
    // Act
    const decision = evaluatePolicy(policy, summary({ CRITICAL: 2, HIGH: 3 }));
    // Assert
    expect(decision.outcome).toBe('reject');
    expect(decision.violations.map((v) => v.severity)).toEqual(['CRITICAL', 'HIGH']);
  });

  it('leaves the decision to a person at exactly N HIGH', () => {
    const policy = ApprovalPolicySchema.parse({ maxActive: { HIGH: 2 } });
    expect(evaluatePolicy(policy, summary({ HIGH: 2 })).outcome).toBe('manual');
  });

  it('never rejects on missing data', () => {
    // Act
    const decision = evaluatePolicy(DEFAULT_APPROVAL_POLICY, undefined, 'Security Hub could not be read: TimeoutError');
    // Assert
    expect(decision.outcome).toBe('manual');
    expect(decision.reason).toContain('Security Hub could not be read: TimeoutError');
  });

  it('says what it would do when auto-rejection is off', () => {
    const policy = ApprovalPolicySchema.parse({ autoReject: false });
    const decision = evaluatePolicy(policy, summary({ CRITICAL: 1 }));
    expect(decision).toMatchObject({ outcome: 'manual', violations: [{ severity: 'CRITICAL' }] });
    expect(decision.reason).toMatch(/would reject/);
  });

  it('rejects on an incomplete read only when a limit is already exceeded (counts are lower bounds)', () => {
    expect(evaluatePolicy(DEFAULT_APPROVAL_POLICY, summary({ CRITICAL: 1 }, false)).outcome).toBe('reject');
    const within = evaluatePolicy(DEFAULT_APPROVAL_POLICY, summary({ HIGH: 1 }, false));
    expect(within.outcome).toBe('manual');
    expect(within.reason).toMatch(/lower bounds/);
  });

  it('never rejects with an empty policy', () => {
    const policy = ApprovalPolicySchema.parse({ maxActive: {} });
    expect(evaluatePolicy(policy, summary({ CRITICAL: 9 })).outcome).toBe('manual');
  });
});

describe('ApprovalPolicySchema', () => {
  it('defaults to rejecting on any CRITICAL', () => {
    expect(ApprovalPolicySchema.parse({})).toEqual(DEFAULT_APPROVAL_POLICY);
  });

  it.each([
    [{ maxActive: { SEVERE: 1 } }, /SEVERE: is not a severity/],
    [{ maxActive: { HIGH: -1 } }, /HIGH/],
    [{ rejectOn: 'CRITICAL' }, /rejectOn/],
  ])('refuses %j', (input, problem) => {
    const result = ApprovalPolicySchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') + JSON.stringify(result.error!.issues)).toMatch(problem);
  });
});
