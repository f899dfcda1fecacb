import type { CvssEntry } from './model';
import { decideSeverity } from './severity';

const v2: CvssEntry = { major: 2, version: '2.0', baseScore: 9.3 };
const v3: CvssEntry = { major: 3, version: '3.1', baseScore: 6.1 };
const v3NoVersion: CvssEntry = { major: 3, baseScore: 3.7 };
const v4: CvssEntry = { major: 4, version: '4.0', baseScore: 6.9 };
const legacy: CvssEntry = { major: 2, baseScore: 7.5, legacy: true };

describe('decideSeverity', () => {
  it('takes the newest CVSS version present: v4, else v3 (stated or not), else v2', () => {
    expect(decideSeverity({ cvss: [v2, v3, v4], severity: 'HIGH' })).toEqual({ label: 'MEDIUM', original: '6.9', basis: 'cvss' });
    expect(decideSeverity({ cvss: [v2, v3], severity: 'HIGH' })).toEqual({ label: 'MEDIUM', original: '6.1', basis: 'cvss' });
    expect(decideSeverity({ cvss: [v2, v3NoVersion] })).toEqual({ label: 'LOW', original: '3.7', basis: 'cvss' });
    expect(decideSeverity({ cvss: [v2] })).toEqual({ label: 'CRITICAL', original: '9.3', basis: 'cvss' });
  });

  it('ignores CVSS entries without a score', () => {
    expect(decideSeverity({ cvss: [{ major: 4, version: '4.0', vector: 'CVSS:4.0/AV:N' }, v3] }).original).toBe('6.1');
  });

  it.each([
    ['Moderate', 'MEDIUM'],
    ['medium', 'MEDIUM'],
    ['low', 'LOW'],
    ['HIGH', 'HIGH'],
    ['Critical', 'CRITICAL'],
  ])('maps the word %s to %s when there is no CVSS score', (word, label) => {
    expect(decideSeverity({ cvss: [], severity: word })).toEqual({ label, original: word, basis: 'word' });
  });

  it('uses the versionless schema 1.x score only after the word', () => {
    expect(decideSeverity({ cvss: [legacy], severity: 'Moderate' })).toEqual({ label: 'MEDIUM', original: 'Moderate', basis: 'word' });
    expect(decideSeverity({ cvss: [legacy] })).toEqual({ label: 'HIGH', original: '7.5', basis: 'legacy-score' });
  });

  it('falls back to the default for unknown or missing severities, keeping the word as original', () => {
    expect(decideSeverity({ cvss: [], severity: 'Unknown' })).toEqual({ label: 'MEDIUM', original: 'Unknown', basis: 'default' });
    expect(decideSeverity({ cvss: [] }, 'HIGH')).toEqual({ label: 'HIGH', original: '', basis: 'default' });
  });
});
