import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { buildFinding, validateFinding } from '@devsecops/asff';
import { readReport } from '@devsecops/report-input';
import { FIXED_NOW, describeCorpus, sharedFixtures, testScope } from '@devsecops/test-support';
import { sonarqubeParser } from './parser';

const files = sharedFixtures('sonarqube');
const scope = testScope({ tool: 'sonarqube' });

function read(name: string) {
  const file = files.find((f) => basename(f) === name);
  if (!file) throw new Error(`corpus file ${name} is missing`);
  return readReport(readFileSync(file), file);
}

describeCorpus('sonarqube')('SonarQube corpus (/work/shared/fixtures/sonarqube)', () => {
  it.each(files.map((f) => [basename(f), f]))('%s is detected and every finding is valid ASFF', (_name, file) => {
    const doc = readReport(readFileSync(file), file);

    const report = sonarqubeParser.parse(doc, { includeCodeSmells: true, serverUrl: 'https://sonar.example.com' });

    expect(sonarqubeParser.detect(doc)).toBe(true);
    for (const draft of report.drafts) {
      expect(validateFinding(buildFinding(draft, scope, FIXED_NOW))).toEqual([]);
    }
  });

  describe('dd__findings_over_api.json (5 issues: 3 VULNERABILITY, 1 BUG, 1 CODE_SMELL)', () => {
    it('gives 4 findings by default: the code smell is counted and named in a warning', () => {
      const report = sonarqubeParser.parse(read('dd__findings_over_api.json'));

      expect(report.drafts).toHaveLength(4);
      expect(report.stats).toMatchObject({ issues: 5, vulnerabilities: 3, bugs: 1, codeSmells: 1, codeSmellsExcluded: 1, active: 4 });
      expect(report.warnings.some((w) => w.includes('1 code smell was left out'))).toBe(true);
    });

    it('gives 5 findings with includeCodeSmells, all open', () => {
      const report = sonarqubeParser.parse(read('dd__findings_over_api.json'), { includeCodeSmells: true });

      expect(report.drafts).toHaveLength(5);
      expect(report.drafts.every((d) => d.state === 'ACTIVE')).toBe(true);
    });

    it('reads CVE/GHSA, CVSS score and CWE out of the dependency-check plugin messages', () => {
      const [cve, bug, ghsa, nimbus] = sonarqubeParser.parse(read('dd__findings_over_api.json')).drafts;

      expect(cve!.vulnerabilities).toEqual([
        expect.objectContaining({ Id: 'CVE-2024-2529', Cvss: [expect.objectContaining({ BaseScore: 6.4 })], VulnerablePackages: [{ Name: 'package', Version: '1.1.2' }] }),
      ]);
      expect(cve!.productFields?.CWE).toBe('CWE-120, CWE-937');
      expect(cve!.severity).toEqual({ label: 'MEDIUM', original: 'MAJOR' });
      expect(cve!.resources[0]!.Id).toBe('testapplication');
      expect(bug!.resources[0]!.Id).toBe('src/app/pages/fjiowefjewio/fjwieof/fjiwoe/details.html');
      expect(bug!.severity).toEqual({ label: 'LOW', original: 'MINOR' });
      expect(ghsa!.vulnerabilities?.[0]?.Id).toBe('GHSA-frr2-c345-p7c2');
      expect(nimbus!.vulnerabilities?.[0]).toEqual(expect.objectContaining({ Id: 'CVE-2023-52428', VulnerablePackages: [{ Name: 'nimbus-jose-jwt-9.24.4.jar' }] }));
      expect(nimbus!.severity).toEqual({ label: 'HIGH', original: 'CRITICAL' });
    });

    it('keeps the two different issues that share one key apart (distinct identities) and warns', () => {
      const report = sonarqubeParser.parse(read('dd__findings_over_api.json'));
      const identities = report.drafts.map((d) => d.identity);

      expect(new Set(identities).size).toBe(identities.length);
      expect(identities).toContain('fjioefjwoefisdfjo');
      expect(report.warnings.some((w) => w.includes('shares its key'))).toBe(true);
    });
  });

  it('dd__findings_over_api_hotspots.json: 4 hotspots to review (HIGH 1, LOW 3), paths from components[]', () => {
    const report = sonarqubeParser.parse(read('dd__findings_over_api_hotspots.json'));

    expect(report.drafts).toHaveLength(4);
    expect(report.drafts.map((d) => d.severity.label)).toEqual(['HIGH', 'LOW', 'LOW', 'LOW']);
    expect(report.drafts.every((d) => d.state === 'ACTIVE' && d.identity?.startsWith('hotspot:'))).toBe(true);
    expect(report.drafts[1]!.resources[0]!.Id).toBe('src/app/2389479284379021-footer.component.html');
    expect(report.drafts[0]!.ruleId).toBe('typescript:7777');
  });

  it('dd__findings_over_api_empty.json: a valid empty report, 0 findings and no error', () => {
    const doc = read('dd__findings_over_api_empty.json');

    const report = sonarqubeParser.parse(doc);

    expect(sonarqubeParser.detect(doc)).toBe(true);
    expect(report.drafts).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('snailshop__sonar-vulnerabilities.json: 1 open vulnerability, HIGH from the SECURITY impact (legacy CRITICAL)', () => {
    const report = sonarqubeParser.parse(read('snailshop__sonar-vulnerabilities.json'));

    expect(report.drafts).toHaveLength(1);
    expect(report.drafts[0]).toMatchObject({
      ruleId: 'typescript:S5542',
      identity: 'bdeda74c-c558-478e-9efa-caf61a737aac',
      severity: { label: 'HIGH', original: 'HIGH' },
      state: 'ACTIVE',
      resources: [{ Type: 'Other', Id: 'lib/encryption.ts', Details: { Other: { path: 'lib/encryption.ts', line: '34', project: 'my-game-store', component: 'my-game-store:lib/encryption.ts' } } }],
    });
    expect(report.drafts[0]!.productFields).toMatchObject({ Severity: 'CRITICAL', Impacts: 'SECURITY:HIGH', CleanCodeAttribute: 'TRUSTWORTHY', IssueStatus: 'OPEN' });
  });

  it('snailshop__sonar-hotspots.json: 15 hotspots to review (HIGH 1, MEDIUM 14)', () => {
    const report = sonarqubeParser.parse(read('snailshop__sonar-hotspots.json'), { serverUrl: 'https://sonar.example.com/' });

    expect(report.drafts).toHaveLength(15);
    expect(report.drafts.filter((d) => d.severity.label === 'HIGH')).toHaveLength(1);
    expect(report.drafts.filter((d) => d.severity.label === 'MEDIUM')).toHaveLength(14);
    expect(report.drafts[0]!.sourceUrl).toBe('https://sonar.example.com/security_hotspots?id=my-game-store&hotspots=cbabd8af-8cf3-4dbf-ac6f-b8ba28e98141');
  });

  it('reads the issues and hotspots pages of one project together as one scan', () => {
    const report = sonarqubeParser.parseMany!([read('snailshop__sonar-vulnerabilities.json'), read('snailshop__sonar-hotspots.json')]);

    expect(report.drafts).toHaveLength(16);
    expect(report.stats).toMatchObject({ issues: 1, hotspots: 15, findings: 16 });
  });
});
