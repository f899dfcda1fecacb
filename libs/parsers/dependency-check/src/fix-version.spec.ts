import { compareVersions, fixedInVersion, inRange, softwareEntry } from './fix-version';
import type { DcSoftware } from './model';

const range = (cpe: string, extra: Partial<DcSoftware> = {}): DcSoftware => ({ cpe, matched: false, vulnerable: true, ...extra });

describe('compareVersions', () => {
  it.each([
    ['1.10.2', '3.5.0', -1],
    ['1.10.2', '1.9.9', 1],
    ['2.13.2', '2.13.2', 0],
    ['1.0', '1.0.1', -1],
    ['1.0.0-beta', '1.0.0', -1],
    ['1.0.0-rc1', '1.0.0', -1],
    ['5.0-SNAPSHOT', '5.0', -1],
    ['1.10.2.min', '1.10.2', 1],
    ['2.1.1.redhat-00001', '2.1.1', 1],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(Math.sign(compareVersions(a, b))).toBe(expected);
  });
});

describe('inRange', () => {
  it('applies start/end, including/excluding bounds; unknown version → undefined', () => {
    const jquery = range('cpe:2.3:a:jquery:jquery:*', { versionStartIncluding: '1.0.3', versionEndExcluding: '3.5.0' });
    expect(inRange('1.10.2', jquery)).toBe(true);
    expect(inRange('3.5.0', jquery)).toBe(false);
    expect(inRange('1.0.2', jquery)).toBe(false);
    expect(inRange('3.0', range('x', { versionStartExcluding: '3.0' }))).toBe(false);
    expect(inRange('3.1.3', range('x', { versionEndIncluding: '3.1.3' }))).toBe(true);
    expect(inRange(undefined, jquery)).toBeUndefined();
  });
});

describe('softwareEntry', () => {
  it('reads JSON objects, XML elements with attributes and bare XML text', () => {
    const expected = { cpe: 'cpe:2.3:a:apache:log4j:*', matched: true, vulnerable: true, versionEndExcluding: '2.13.2' };
    expect(softwareEntry({ id: 'cpe:2.3:a:apache:log4j:*', vulnerabilityIdMatched: 'true', versionEndExcluding: '2.13.2' })).toEqual(expected);
    expect(softwareEntry({ '#text': 'cpe:2.3:a:apache:log4j:*', '@_vulnerabilityIdMatched': 'true', '@_versionEndExcluding': '2.13.2' })).toEqual(expected);
    expect(softwareEntry({ '#text': 'cpe:2.3:a:x:y:*', '@_matched': 'true', '@_vulnerable': 'false' })).toEqual({ cpe: 'cpe:2.3:a:x:y:*', matched: true, vulnerable: false });
    expect(softwareEntry(' cpe:/a:component2:component2:1.0 ')).toEqual({ cpe: 'cpe:/a:component2:component2:1.0', matched: false, vulnerable: true });
    expect(softwareEntry({ versionEndExcluding: '1' })).toBeUndefined();
    expect(softwareEntry(42)).toBeUndefined();
  });
});

describe('fixedInVersion', () => {
  it('uses the matched entry and nothing else', () => {
    const software = [
      { id: 'cpe:2.3:a:apache:log4j:*:*', versionEndExcluding: '9' },
      { id: 'cpe:2.3:a:apache:log4j:*:*', vulnerabilityIdMatched: 'true', versionEndExcluding: '2.13.2' },
    ];
    expect(fixedInVersion(software, ['log4j'], '2.12.4')).toBe('2.13.2');
    // Matched, but without an upper bound: no guess from the other entries.
    const noBound = [{ id: 'cpe:2.3:a:golang:protobuf:1.1.1', vulnerabilityIdMatched: 'true' }, { id: 'cpe:2.3:a:golang:protobuf:*', versionEndExcluding: '1.3.2' }];
    expect(fixedInVersion(noBound, ['protobuf'], '1.1.1')).toBeUndefined();
  });

  it('reads XML software elements (old `matched` attribute)', () => {
    const software = [{ '#text': 'cpe:2.3:a:sonatype:nexus:*:*:*:*:*:*:*:*', '@_matched': 'true', '@_versionEndExcluding': '3.15.0' }];
    expect(fixedInVersion(software, [], undefined)).toBe('3.15.0');
  });

  it('without a matched entry, takes the range naming the package that contains its version', () => {
    const software = [
      { id: 'cpe:2.3:a:drupal:drupal:*:*:*:*:*:*:*:*', versionEndExcluding: '7.70' },
      { id: 'cpe:2.3:a:jquery:jquery:*:*:*:*:*:*:*:*', versionStartIncluding: '1.0.3', versionEndExcluding: '3.5.0' },
      { id: 'cpe:2.3:a:jquery:jquery:*:*:*:*:*:*:*:*', versionStartIncluding: '4.0.0', versionEndExcluding: '4.0.1' },
      'cpe:2.3:a:jquery:jquery:1.2.3:*:*:*:*:*:*:*',
    ];
    expect(fixedInVersion(software, ['jquery'], '1.10.2')).toBe('3.5.0');
    expect(fixedInVersion(software, ['jquery'], '2.0.0-pre')).toBe('3.5.0');
    expect(fixedInVersion(software, ['jquery'], '3.6.0')).toBeUndefined();
  });

  it('gives nothing when ranges disagree and the version cannot choose, or the entry is not vulnerable', () => {
    const software = [
      { id: 'cpe:2.3:a:x:lib:*', versionEndExcluding: '1.5' },
      { id: 'cpe:2.3:a:x:lib:*', versionStartIncluding: '2.0', versionEndExcluding: '2.3' },
    ];
    expect(fixedInVersion(software, ['lib'], undefined)).toBeUndefined();
    expect(fixedInVersion(software, ['lib'], '2.1')).toBe('2.3');
    expect(fixedInVersion([{ id: 'cpe:2.3:a:x:lib:*', versionEndExcluding: '1.5', vulnerable: 'false' }], ['lib'], '1.0')).toBeUndefined();
  });

  it('compares names loosely and reads escaped CPEs', () => {
    expect(fixedInVersion([{ id: 'cpe:2.3:a:jqueryui:jquery_ui:*:*', versionEndExcluding: '1.13.0' }], ['jqueryui'], '1.12.1')).toBe('1.13.0');
    expect(fixedInVersion([{ id: 'cpe:2.3:a:github.com\\/gogo:protobuf:*', versionEndExcluding: '1.3.2' }], ['protobuf'], '1.1.1')).toBe('1.3.2');
  });
});
