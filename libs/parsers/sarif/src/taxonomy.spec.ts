import { cveOf, resultCwes, ruleCwes } from './taxonomy';

describe('ruleCwes', () => {
  it('reads CodeQL zero-padded tags and Semgrep titled tags, not other tags', () => {
    // Arrange
    const rule = { properties: { tags: ['security', 'external/cwe/cwe-079', 'CWE-276: Incorrect Default Permissions', 'cwe-0', 'OWASP-A01', 'CWE-79'] } };

    // Act / Assert
    expect(ruleCwes(rule)).toEqual(['CWE-79', 'CWE-276']);
  });

  it('reads relationships to the CWE taxonomy and properties.cwe in any shape', () => {
    // Arrange
    const rule = {
      relationships: [
        { target: { id: '89', toolComponent: { name: 'CWE' } } },
        { target: { id: '123', toolComponent: { name: 'OWASP' } } },
        { target: { id: 'CWE-20' } },
      ],
      properties: { cwe: ['CWE-22', 352, 'not a cwe'] },
    };

    // Act / Assert
    expect(ruleCwes(rule)).toEqual(['CWE-89', 'CWE-20', 'CWE-22', 'CWE-352']);
  });

  it('is empty for a rule without any', () => {
    expect(ruleCwes(undefined)).toEqual([]);
  });
});

describe('resultCwes', () => {
  it('adds result properties and taxa after the rule ones, without duplicates', () => {
    expect(resultCwes(['CWE-79'], { properties: { cwe: 'CWE-79' }, taxa: [{ id: '1021', toolComponent: { name: 'CWE' } }] })).toEqual(['CWE-79', 'CWE-1021']);
  });

  it('returns the rule list itself when the result adds nothing', () => {
    const ruleList = ['CWE-1'];
    expect(resultCwes(ruleList, {})).toBe(ruleList);
  });
});

describe('cveOf', () => {
  it.each([
    ['CVE-2024-26597', 'CVE-2024-26597'],
    ['ssc-cve-2022-24329-kotlin', 'CVE-2022-24329'],
    ['js/sql-injection', undefined],
    [undefined, undefined],
  ])('%s → %s', (ruleId, cve) => {
    expect(cveOf(ruleId)).toBe(cve);
  });
});
