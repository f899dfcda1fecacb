import { decisiveImpact, hotspotSeverity, issueSeverity, readImpacts } from './severity';

describe('issueSeverity', () => {
  it.each([
    ['BLOCKER', 'CRITICAL'],
    ['CRITICAL', 'HIGH'],
    ['MAJOR', 'MEDIUM'],
    ['MINOR', 'LOW'],
    ['INFO', 'INFORMATIONAL'],
  ])('maps legacy %s to %s when there are no impacts', (legacy, label) => {
    expect(issueSeverity([], legacy)).toEqual({ label, original: legacy, source: 'legacy' });
  });

  it.each([
    ['BLOCKER', 'CRITICAL'],
    ['HIGH', 'HIGH'],
    ['MEDIUM', 'MEDIUM'],
    ['LOW', 'LOW'],
    ['INFO', 'INFORMATIONAL'],
  ])('maps impact severity %s to %s, ahead of the legacy severity', (impact, label) => {
    expect(issueSeverity([{ softwareQuality: 'SECURITY', severity: impact }], 'MINOR')).toEqual({ label, original: impact, source: 'impact' });
  });

  it('falls back to the legacy severity when the impact severity is unknown', () => {
    expect(issueSeverity([{ softwareQuality: 'SECURITY', severity: 'EXTREME' }], 'MAJOR')).toEqual({ label: 'MEDIUM', original: 'MAJOR', source: 'legacy' });
  });

  it('is undefined when nothing is known', () => {
    expect(issueSeverity([], undefined)).toBeUndefined();
    expect(issueSeverity([], 'SEVERE')).toBeUndefined();
  });
});

describe('decisiveImpact', () => {
  it('prefers SECURITY even when another quality is more severe', () => {
    const impacts = [
      { softwareQuality: 'RELIABILITY', severity: 'BLOCKER' },
      { softwareQuality: 'SECURITY', severity: 'LOW' },
    ];

    expect(decisiveImpact(impacts)).toEqual({ softwareQuality: 'SECURITY', severity: 'LOW' });
  });

  it('takes the most severe impact without a SECURITY one', () => {
    const impacts = [
      { softwareQuality: 'MAINTAINABILITY', severity: 'LOW' },
      { softwareQuality: 'RELIABILITY', severity: 'HIGH' },
      { softwareQuality: 'MAINTAINABILITY', severity: 'MEDIUM' },
    ];

    expect(decisiveImpact(impacts)).toEqual({ softwareQuality: 'RELIABILITY', severity: 'HIGH' });
  });
});

describe('readImpacts', () => {
  it('keeps well-formed impacts, upper-cased, and drops the rest', () => {
    expect(readImpacts([{ softwareQuality: 'security', severity: 'high' }, { softwareQuality: 'SECURITY' }, 'x', null])).toEqual([{ softwareQuality: 'SECURITY', severity: 'HIGH' }]);
    expect(readImpacts({ softwareQuality: 'SECURITY' })).toEqual([]);
  });
});

describe('hotspotSeverity', () => {
  it.each(['HIGH', 'MEDIUM', 'LOW'])('maps review priority %s 1:1', (p) => {
    expect(hotspotSeverity(p)).toEqual({ label: p, original: p, source: 'probability' });
  });

  it('is undefined for an unknown priority', () => {
    expect(hotspotSeverity('URGENT')).toBeUndefined();
    expect(hotspotSeverity(undefined)).toBeUndefined();
  });
});
