import { advisoryUrl, CVE_TYPE, cweIds, findingTypes, isHttpUrl, joinLimited, manifestPath } from './drafts';

describe('cweIds', () => {
  it('reads CWE entries, drops NVD placeholders and CWE-0, normalises zero padding', () => {
    expect(cweIds({ name: 'CVE-1', cwes: ['CWE-79', 'NVD-CWE-Other', 'CWE-00 Bad', 'CWE-0079', 'CWE-400: Uncontrolled'] })).toEqual(['CWE-79', 'CWE-400']);
  });

  it('falls back to an OSS Index name that is a CWE', () => {
    expect(cweIds({ name: "CWE-400: Uncontrolled Resource Consumption ('Resource Exhaustion')", cwes: [] })).toEqual(['CWE-400']);
    expect(cweIds({ name: 'jquery issue: 162', cwes: [] })).toEqual([]);
  });
});

describe('findingTypes', () => {
  it('adds the CVE type only for CVE ids and one classifier per CWE, each with three parts at most', () => {
    expect(findingTypes('CVE-2020-9488', ['CWE-295'])).toEqual([CVE_TYPE, 'Software and Configuration Checks/Vulnerabilities/CWE-295']);
    expect(findingTypes('GHSA-p6mc-m468-83gw', [])).toEqual(['Software and Configuration Checks/Vulnerabilities']);
    expect(findingTypes('1500', ['CWE-1321'])).toEqual(['Software and Configuration Checks/Vulnerabilities/CWE-1321']);
    for (const type of findingTypes('CVE-2020-9488', ['CWE-1', 'CWE-2', 'CWE-3', 'CWE-4', 'CWE-5', 'CWE-6'])) expect(type.split('/').length).toBeLessThanOrEqual(3);
    expect(findingTypes('CVE-2020-9488', ['CWE-1', 'CWE-2', 'CWE-3', 'CWE-4', 'CWE-5', 'CWE-6'])).toHaveLength(6);
  });
});

describe('advisoryUrl', () => {
  it('links CVEs to NVD, else the first NVD or advisory reference, else the first reference', () => {
    expect(advisoryUrl('cve-2020-9488', ['https://example.org'])).toBe('https://nvd.nist.gov/vuln/detail/CVE-2020-9488');
    expect(advisoryUrl('1500', ['https://example.org/a', 'https://github.com/advisories/GHSA-x'])).toBe('https://github.com/advisories/GHSA-x');
    expect(advisoryUrl('1500', ['https://example.org/a', 'https://nvd.nist.gov/vuln/search'])).toBe('https://nvd.nist.gov/vuln/search');
    expect(advisoryUrl('x', ['https://example.org/a'])).toBe('https://example.org/a');
    expect(advisoryUrl('x', [])).toBeUndefined();
  });
});

describe('manifestPath', () => {
  it('strips the package part of a virtual dependency path', () => {
    expect(manifestPath('web/package-lock.json?lodash')).toBe('web/package-lock.json');
    expect(manifestPath('/src/go.mod:github.com/gogo/protobuf/1.1.1')).toBe('/src/go.mod');
    expect(manifestPath('C:/proj/app.dir/go.mod:github.com/x/y')).toBe('C:/proj/app.dir/go.mod');
    expect(manifestPath('lib/commons-text-1.9.jar')).toBe('lib/commons-text-1.9.jar');
    expect(manifestPath('yargs-parser:5.0.0')).toBe('yargs-parser:5.0.0');
  });

  // A backtracking regex here would hang for minutes; jest's test timeout catches that without timing the test.
  it('handles pathological paths', () => {
    expect(typeof manifestPath(`.${'a'.repeat(100_000)}`)).toBe('string');
    expect(typeof manifestPath(':'.repeat(100_000))).toBe('string');
    expect(typeof manifestPath(`x.${'a.'.repeat(50_000)}`)).toBe('string');
  });
});

describe('joinLimited', () => {
  it('joins all items when they fit, else stops and counts the rest', () => {
    expect(joinLimited(['a', 'b'], '; ', 100)).toBe('a; b');
    const many = Array.from({ length: 100 }, (_, i) => `path/number/${i}/lib.jar`);
    const joined = joinLimited(many, '; ', 300);
    expect(joined.length).toBeLessThanOrEqual(300);
    expect(joined).toMatch(/… \(\d+ more\)$/);
  });
});

describe('isHttpUrl', () => {
  it('accepts http(s) URLs without whitespace only', () => {
    expect(['https://a', 'http://a', 'https://nvd.nist.gov/vuln/detail/CVE-1'].map(isHttpUrl)).toEqual([true, true, true]);
    expect(['https://', 'ftp://a', 'not a url', 'https://a b', ' https://a'].map(isHttpUrl)).toEqual([false, false, false, false, false]);
  });
});
