import { hotspotState, issueState } from './state';

describe('issueState (legacy status + resolution)', () => {
  it.each([
    ['OPEN', undefined, 'ACTIVE'],
    ['CONFIRMED', undefined, 'ACTIVE'],
    ['REOPENED', undefined, 'ACTIVE'],
    ['RESOLVED', 'FIXED', 'RESOLVED'],
    ['CLOSED', 'FIXED', 'RESOLVED'],
    ['CLOSED', 'REMOVED', 'RESOLVED'],
    ['CLOSED', undefined, 'RESOLVED'],
    ['RESOLVED', 'FALSE-POSITIVE', 'SUPPRESSED'],
    ['RESOLVED', 'WONTFIX', 'SUPPRESSED'],
    ['TO_REVIEW', undefined, 'ACTIVE'],
    ['REVIEWED', 'SAFE', 'RESOLVED'],
  ])('%s/%s → %s', (status, resolution, state) => {
    expect(issueState(status, resolution, undefined)).toMatchObject({ state, known: true });
  });

  it('keeps an unknown status active and says it is unknown', () => {
    expect(issueState('PARKED', undefined, undefined)).toEqual({ state: 'ACTIVE', known: false });
  });

  it('treats a missing status as open', () => {
    expect(issueState(undefined, undefined, undefined)).toEqual({ state: 'ACTIVE', known: true });
  });
});

describe('issueState (issueStatus, SonarQube 10.4+)', () => {
  it.each([
    ['OPEN', 'ACTIVE'],
    ['CONFIRMED', 'ACTIVE'],
    ['IN_SANDBOX', 'ACTIVE'],
    ['ACCEPTED', 'SUPPRESSED'],
    ['FALSE_POSITIVE', 'SUPPRESSED'],
    ['FIXED', 'RESOLVED'],
  ])('%s → %s', (issueStatus, state) => {
    expect(issueState(undefined, undefined, issueStatus).state).toBe(state);
  });

  it('wins over a contradicting legacy status', () => {
    expect(issueState('OPEN', undefined, 'ACCEPTED').state).toBe('SUPPRESSED');
  });

  it('takes the finer reason from the legacy resolution when both agree', () => {
    expect(issueState('CLOSED', 'REMOVED', 'FIXED')).toEqual({ state: 'RESOLVED', reason: 'removed (the rule or the code is gone)', known: true });
  });

  it('falls back to status and resolution when issueStatus is unknown', () => {
    expect(issueState('RESOLVED', 'FALSE-POSITIVE', 'SOMETHING_NEW').state).toBe('SUPPRESSED');
  });
});

describe('hotspotState', () => {
  it.each([
    ['TO_REVIEW', undefined, 'ACTIVE', undefined],
    ['IN_REVIEW', undefined, 'ACTIVE', undefined],
    ['REVIEWED', 'ACKNOWLEDGED', 'ACTIVE', 'acknowledged in SonarQube'],
    ['REVIEWED', 'SAFE', 'RESOLVED', 'reviewed as safe'],
    ['REVIEWED', 'FIXED', 'RESOLVED', 'reviewed as fixed'],
    ['REVIEWED', undefined, 'RESOLVED', 'reviewed'],
  ])('%s/%s → %s', (status, resolution, state, reason) => {
    expect(hotspotState(status, resolution)).toEqual({ state, known: true, ...(reason ? { reason } : {}) });
  });

  it('keeps an unknown status or resolution active and says so', () => {
    expect(hotspotState('ESCALATED', undefined)).toEqual({ state: 'ACTIVE', known: false });
    expect(hotspotState('REVIEWED', 'MAYBE')).toEqual({ state: 'ACTIVE', known: false });
  });
});
