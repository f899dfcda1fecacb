import { parsePluginMessage, vulnerabilitySource } from './dependency-check-message';

describe('parsePluginMessage', () => {
  it('reads the per-vulnerability layout', () => {
    const message = 'Filename: package:1.1.2 | Reference: CVE-2024-2529 | CVSS Score: 6.4 | Category: CWE-120 | Versions of the package | are affected.';

    expect(parsePluginMessage(message)).toEqual({
      fileName: 'package:1.1.2',
      packageName: 'package',
      packageVersion: '1.1.2',
      vulnerabilities: [{ id: 'CVE-2024-2529', score: 6.4 }],
      cwe: 'CWE-120',
      description: 'Versions of the package | are affected.',
    });
  });

  it('reads the layout without a Category', () => {
    expect(parsePluginMessage('Filename: a.jar | Reference: GHSA-frr2-c345-p7c2 | CVSS Score: 7.1 | Text')).toMatchObject({
      vulnerabilities: [{ id: 'GHSA-frr2-c345-p7c2', score: 7.1 }],
      cwe: undefined,
      description: 'Text',
    });
  });

  it('reads the summarised layout, one entry per reference, names with spaces and brackets included', () => {
    const message = "Filename: x.jar | Highest CVSS Score: 9.8 | Amount of CVSS: 3 | References: CVE-2019-1 (5.9) CWE-400: Uncontrolled ('Exhaustion') (7.5) CVE-2019-2 (NaN)";

    expect(parsePluginMessage(message)?.vulnerabilities).toEqual([
      { id: 'CVE-2019-1', score: 5.9 },
      { id: "CWE-400: Uncontrolled ('Exhaustion')", score: 7.5 },
      { id: 'CVE-2019-2', score: undefined },
    ]);
  });

  it('ignores a CVSS score outside 0..10 and normalises CWE-00x', () => {
    expect(parsePluginMessage('Filename: a | Reference: CVE-2020-1 | CVSS Score: 11.5 | Category: CWE-079 | d')).toMatchObject({
      vulnerabilities: [{ id: 'CVE-2020-1', score: undefined }],
      cwe: 'CWE-79',
    });
  });

  it('is undefined for other messages', () => {
    expect(parsePluginMessage('Remove this unused import.')).toBeUndefined();
    expect(parsePluginMessage('Filename: a.jar | nothing else')).toBeUndefined();
    expect(parsePluginMessage(`Filename: ${'x'.repeat(20_000)}`)).toBeUndefined();
  });
});

describe('vulnerabilitySource', () => {
  it('links CVEs to NVD and GHSA ids to the GitHub advisory database', () => {
    expect(vulnerabilitySource('CVE-2021-44228')).toEqual({ vendor: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228', isCve: true });
    expect(vulnerabilitySource('GHSA-frr2-c345-p7c2')).toEqual({ vendor: 'GitHub Advisory Database', url: 'https://github.com/advisories/GHSA-frr2-c345-p7c2', isCve: false });
    expect(vulnerabilitySource('1500')).toEqual({ vendor: 'OWASP Dependency-Check', isCve: false });
  });
});
