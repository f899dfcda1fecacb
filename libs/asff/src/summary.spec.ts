import { FIXED_NOW, testScope } from '@devsecops/test-support';
import { buildFinding } from './build';
import { summarize } from './summary';
import type { DraftState, SeverityLabel } from './types';

function finding(label: SeverityLabel, state: DraftState = 'ACTIVE', id: string = label) {
  return buildFinding(
    { ruleId: id, location: `loc-${id}-${state}`, title: id, description: id, severity: { label, original: label }, resources: [], state },
    testScope(),
    FIXED_NOW,
  );
}

describe('summarize', () => {
  it('counts totals and active findings by severity', () => {
    // Act
    const summary = summarize([finding('HIGH'), finding('LOW'), finding('LOW', 'ACTIVE', 'other'), finding('CRITICAL', 'SUPPRESSED')]);
    // Assert
    expect(summary).toEqual({ total: 4, active: 3, bySeverity: { INFORMATIONAL: 0, LOW: 2, MEDIUM: 0, HIGH: 1, CRITICAL: 0 } });
  });
});
