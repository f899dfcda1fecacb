import { sarifParser } from './sarif-parser';
import { checkFindings, fixtureDoc, jsonDoc } from './__fixtures__/support';
import { CODE_QUALITY_TYPE, isCodeQualityRule, trivyPackageOf } from './quality';

const NO_FACTS = { cwes: [], tags: [] };

describe('code-quality rules', () => {
  const report = sarifParser.parse(fixtureDoc('eslint-mixed.sarif'), { sourceRoots: ['/workspace/app'] });
  const byRule = (id: string) => report.drafts.find((d) => d.ruleId === id)!;

  it('imports an ESLint rule without any security signal as code quality, LOW at most, keeping the level as Original', () => {
    // Act
    const unused = byRule('no-unused-vars');

    // Assert
    expect(unused.severity).toEqual({ label: 'LOW', original: 'error' });
    expect(unused.types).toEqual([CODE_QUALITY_TYPE]);
    expect(unused.productFields?.['category']).toBe('code-quality');
    expect(checkFindings(report).problems).toEqual([]);
  });

  it('keeps security rules named by their family or category at the severity of their level', () => {
    // Act
    const injection = byRule('security/detect-object-injection');

    // Assert
    expect(injection.severity).toEqual({ label: 'HIGH', original: 'error' });
    expect(injection.types).toBeUndefined();
    expect(injection.productFields?.['category']).toBeUndefined();
  });

  it('treats a rule as a security rule when it has a CWE, a security tag, security-severity or a CVE', () => {
    // Arrange
    const base = { ruleId: 'some-rule', driverName: 'Semgrep OSS', facts: NO_FACTS, cwes: [] as string[] };

    // Act
    const verdicts = [
      isCodeQualityRule(base),
      isCodeQualityRule({ ...base, cwes: ['CWE-79'] }),
      isCodeQualityRule({ ...base, facts: { ...NO_FACTS, tags: ['security'] } }),
      isCodeQualityRule({ ...base, facts: { ...NO_FACTS, tags: ['external/owasp/a03'] } }),
      isCodeQualityRule({ ...base, facts: { ...NO_FACTS, securitySeverity: '5.0' } }),
      isCodeQualityRule({ ...base, cve: 'CVE-2024-0001' }),
      isCodeQualityRule({ ...base, ruleId: 'python.lang.security.audit.eval-detected' }),
      isCodeQualityRule({ ...base, driverName: 'Checkov' }),
      isCodeQualityRule({ ...base, ruleId: 'correctness.useless-eqeq', facts: { ...NO_FACTS, tags: ['correctness'] } }),
    ];

    // Assert
    expect(verdicts).toEqual([true, false, false, false, false, false, false, false, true]);
  });

  it('keeps the level severity for every rule with qualityRulesAsSecurity (the earlier behaviour)', () => {
    // Act
    const asBefore = sarifParser.parse(fixtureDoc('eslint-mixed.sarif'), { qualityRulesAsSecurity: true });

    // Assert
    expect(asBefore.drafts.map((d) => d.severity.label)).toEqual(['HIGH', 'HIGH', 'MEDIUM']);
    expect(asBefore.drafts.every((d) => d.types === undefined)).toBe(true);
  });
});

describe('Trivy package details', () => {
  it('reads package, installed and fixed version and severity from the message Trivy writes', () => {
    // Arrange
    const message = 'Package: linux-libc-dev\nInstalled Version: 5.15.0-97.107\nVulnerability CVE-2024-26597\nSeverity: HIGH\nFixed Version: \nLink: [CVE-2024-26597](https://avd.aquasec.com/nvd/cve-2024-26597)';

    // Act
    const pkg = trivyPackageOf(message);
    const fixed = trivyPackageOf('Package: cryptography\nInstalled Version: 38.0.4\nVulnerability CVE-2023-0286\nSeverity: HIGH\nFixed Version: 39.0.1, 38.0.5\nLink: [x](y)');

    // Assert
    expect(pkg).toEqual({ name: 'linux-libc-dev', installedVersion: '5.15.0-97.107', severity: 'HIGH' });
    expect(fixed).toEqual({ name: 'cryptography', installedVersion: '38.0.4', fixedVersion: '39.0.1, 38.0.5', severity: 'HIGH' });
    expect(trivyPackageOf('Artifact: Dockerfile\nType: dockerfile\nVulnerability DS002\nSeverity: HIGH\nMessage: root user')).toBeUndefined();
  });

  it('fills VulnerablePackages, FixedInVersion and the title pkg@version: CVE from a Trivy result', () => {
    // Arrange
    const doc = jsonDoc({
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'Trivy', version: '0.58.0', rules: [{ id: 'CVE-2023-0286', helpUri: 'https://avd.aquasec.com/nvd/cve-2023-0286', properties: { 'security-severity': '7.4', tags: ['vulnerability', 'security', 'HIGH'] } }] } },
          results: [
            {
              ruleId: 'CVE-2023-0286',
              ruleIndex: 0,
              level: 'error',
              message: { text: 'Package: cryptography\nInstalled Version: 38.0.4\nVulnerability CVE-2023-0286\nSeverity: HIGH\nFixed Version: 39.0.1\nLink: [CVE-2023-0286](https://avd.aquasec.com/nvd/cve-2023-0286)' },
              locations: [{ physicalLocation: { artifactLocation: { uri: 'requirements.txt', uriBaseId: 'ROOTPATH' }, region: { startLine: 1 } } }],
            },
          ],
        },
      ],
    });

    // Act
    const draft = sarifParser.parse(doc).drafts[0]!;

    // Assert
    expect(draft.title).toBe('cryptography@38.0.4: CVE-2023-0286');
    expect(draft.vulnerabilities).toEqual([
      {
        Id: 'CVE-2023-0286',
        ReferenceUrls: ['https://avd.aquasec.com/nvd/cve-2023-0286'],
        FixAvailable: 'YES',
        VulnerablePackages: [{ Name: 'cryptography', Version: '38.0.4', FixedInVersion: '39.0.1', Remediation: 'Upgrade cryptography to 39.0.1 or later.' }],
      },
    ]);
    expect(draft.productFields).toMatchObject({ Package: 'cryptography@38.0.4', FixedInVersion: '39.0.1' });
    expect(draft.remediation?.text).toBe('Upgrade cryptography to 39.0.1 or later.');
  });
});
