import { FIXED_NOW, testScope } from '@devsecops/test-support';
import { buildFinding } from './build';
import { evaluateGate, summarize } from './gate';
import type { DraftState, SeverityLabel } from './types';

function finding(label: SeverityLabel, state: DraftState = 'ACTIVE', id: string = label) {
  return buildFinding(
    { ruleId: id, location: `loc-${id}-${state}`, title: id, description: id, severity: { label, original: label }, resources: [], state },
    testScope(),
    FIXED_NOW,
  );
}

describe('evaluateGate', () => {
  const findings = [finding('HIGH'), finding('MEDIUM'), finding('CRITICAL', 'SUPPRESSED'), finding('CRITICAL', 'RESOLVED')];

  it('fails at or above the threshold, counting only active findings', () => {
    expect(evaluateGate(findings, 'HIGH')).toEqual({ failOn: 'HIGH', passed: false, blocking: 1 });
    expect(evaluateGate(findings, 'MEDIUM').blocking).toBe(2);
  });

  it('ignores suppressed and closed findings, however severe', () => {
    expect(evaluateGate(findings, 'CRITICAL')).toEqual({ failOn: 'CRITICAL', passed: true, blocking: 0 });
  });

  it('passes when no threshold is set', () => {
    expect(evaluateGate(findings, undefined).passed).toBe(true);
  });
});

describe('summarize', () => {
  it('counts totals and active findings by severity', () => {
    // Act
    const summary = summarize([finding('HIGH'), finding('LOW'), finding('LOW', 'ACTIVE', 'other'), finding('CRITICAL', 'SUPPRESSED')]);
    // Assert
    expect(summary).toEqual({ total: 4, active: 3, bySeverity: { INFORMATIONAL: 0, LOW: 2, MEDIUM: 0, HIGH: 1, CRITICAL: 0 } });
  });
});
