import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ParsedReport } from '@devsecops/asff';
import { readReport } from '@devsecops/report-input';
import { describeCorpus, sharedFixtures } from '@devsecops/test-support';
import { CVE_TYPE } from './drafts';
import { dependencyCheckParser } from './parser';
import { findingsOf, onlyByRuleId, problemsOf } from './testing/helpers';

/**
 * The shared corpus of real Dependency-Check reports (../shared/fixtures/dependency-check). Counts were taken by
 * counting the arrays in each file: active + suppressed vulnerabilities; related dependencies are not findings.
 */
const EXPECTED: Record<string, { active: number; suppressed: number }> = {
  'dd__single_vuln.xml': { active: 1, suppressed: 0 },
  'dd__multiple_vulnerabilities_has_multiple_findings.xml': { active: 7, suppressed: 2 },
  'dd__version-6.5.3.xml': { active: 1, suppressed: 0 },
  'dcsonar__reportWithCvssV4.json': { active: 1, suppressed: 0 },
  'terr__dependency-check-report.json': { active: 34, suppressed: 0 },
  'kaizoku73__dependency-check-report.json': { active: 45, suppressed: 0 },
  'macielj-juiceshop__dependency-check-report.json': { active: 0, suppressed: 0 },
};

function parseFile(file: string): ParsedReport {
  const doc = readReport(readFileSync(file), file);
  expect(dependencyCheckParser.detect(doc)).toBe(true);
  return dependencyCheckParser.parse(doc);
}

const files = sharedFixtures('dependency-check');
const byName = (name: string): string => files.find((f) => basename(f) === name) ?? name;

describeCorpus('dependency-check')('Dependency-Check corpus', () => {
  it('has an expectation for every corpus file', () => {
    expect(files.map((f) => basename(f)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files.map((f) => [basename(f), f]))('%s: expected counts, valid findings, unique Ids', (name, file) => {
    const report = parseFile(file);
    const findings = findingsOf(report);
    const suppressed = report.drafts.filter((d) => d.state === 'SUPPRESSED').length;
    expect({ active: report.drafts.length - suppressed, suppressed }).toEqual(EXPECTED[name]);
    expect(problemsOf(findings)).toEqual([]);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
    expect(report.warnings).toEqual([]);
  });

  it('dd__single_vuln.xml: severity word "Moderate" → MEDIUM', () => {
    const draft = onlyByRuleId(parseFile(byName('dd__single_vuln.xml')), 'CVE-0000-0001');
    expect(draft.severity).toEqual({ label: 'MEDIUM', original: 'Moderate' });
    expect(draft.title).toBe('org.owasp:library@6.7.8: CVE-0000-0001');
  });

  it('dd__multiple_vulnerabilities_has_multiple_findings.xml: 7 + 2 suppressed, related dependencies not duplicated', () => {
    const report = parseFile(byName('dd__multiple_vulnerabilities_has_multiple_findings.xml'));
    expect(report.stats).toEqual({ dependencies: 6, vulnerableDependencies: 5, vulnerabilities: 7, suppressed: 2 });
    const ear1 = report.drafts.find((d) => d.location.endsWith('adapter-ear1.ear/dom4j-2.1.1.jar'));
    expect(ear1?.resources[0]?.Details?.Other?.relatedPaths).toBe('/var/lib/adapter-ear8.ear/dom4j-2.1.1.jar; /var/lib/adapter-ear1.ear/dom4j-extensions-2.1.1.jar');
    // adapter-ear8 is only a related path: it is listed, never a finding of its own.
    expect(report.drafts.filter((d) => d.productFields?.FilePath?.includes('adapter-ear8'))).toEqual([]);
    expect(onlyByRuleId(report, 'CVE-2020-7608').vulnerabilities?.[0]?.Cvss).toEqual([{ BaseScore: 7.5, BaseVector: 'AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N', Source: 'OSSINDEX' }]);
    expect(onlyByRuleId(report, '1500').severity).toEqual({ label: 'LOW', original: 'low' });
    const suppressed = report.drafts.filter((d) => d.state === 'SUPPRESSED');
    expect(suppressed.map((d) => [d.ruleId, d.severity.label, d.stateReason])).toEqual([
      ['CVE-2019-7238', 'CRITICAL', 'no suppression note'],
      ['CVE-2017-1000487', 'CRITICAL', 'This is our reason for not to upgrade it.'],
    ]);
    const counts = report.drafts.filter((d) => d.state !== 'SUPPRESSED').reduce<Record<string, number>>((acc, d) => ({ ...acc, [d.severity.label]: (acc[d.severity.label] ?? 0) + 1 }), {});
    expect(counts).toEqual({ HIGH: 6, LOW: 1 });
  });

  it('dd__version-6.5.3.xml: CVE-2020-9488 LOW from CVSS 3.1 3.7', () => {
    const report = parseFile(byName('dd__version-6.5.3.xml'));
    const draft = onlyByRuleId(report, 'CVE-2020-9488');
    expect(draft.severity).toEqual({ label: 'LOW', original: '3.7' });
    expect(draft.vulnerabilities?.[0]?.Cvss?.[0]).toEqual({ Version: '3.1', BaseScore: 3.7, BaseVector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N', Source: 'NVD' });
    expect(draft.vulnerabilities?.[0]?.VulnerablePackages?.[0]).toMatchObject({ Name: 'org.apache.logging.log4j:log4j-api', Version: '2.12.4', FixedInVersion: '2.13.2' });
    expect(draft.types).toEqual([CVE_TYPE, 'Software and Configuration Checks/Vulnerabilities/CWE-295']);
    expect(report.toolVersion).toBe('6.5.3');
  });

  it('dcsonar__reportWithCvssV4.json: v4 6.9 wins over v3 6.1 → MEDIUM, CWE-601', () => {
    const draft = onlyByRuleId(parseFile(byName('dcsonar__reportWithCvssV4.json')), 'CVE-2024-9329');
    expect(draft.severity).toEqual({ label: 'MEDIUM', original: '6.9' });
    expect(draft.vulnerabilities?.[0]?.Cvss?.map((c) => [c.Version, c.BaseScore])).toEqual([
      ['4.0', 6.9],
      ['3.1', 6.1],
    ]);
    expect(draft.types).toContain('Software and Configuration Checks/Vulnerabilities/CWE-601');
  });

  it('kaizoku73: RetireJS lowercase words, KEV entries, the copied bootstrap.min.js kept apart by path', () => {
    const report = parseFile(byName('kaizoku73__dependency-check-report.json'));
    expect(report.stats).toMatchObject({ dependencies: 92, vulnerableDependencies: 9, vulnerabilities: 45 });
    expect(report.drafts.filter((d) => d.vulnerabilities?.[0]?.ExploitAvailable === 'YES')).toHaveLength(3);
    expect(report.drafts.filter((d) => d.vulnerabilities?.[0]?.Vendor?.Name === 'RETIREJS').map((d) => d.severity.original).sort()).toEqual([
      'low',
      'low',
      'low',
      'low',
      'medium',
      'medium',
      'medium',
      'medium',
    ]);
    expect(byLocationPrefix(report, 'pkg:javascript/bootstrap@3.1.1#')).toBe(18);
  });

  it('terr: Go modules (virtual dependencies), v2-only CVEs scored from v2', () => {
    const report = parseFile(byName('terr__dependency-check-report.json'));
    const mysql = onlyByRuleId(report, 'CVE-2007-1420');
    expect(mysql.severity).toEqual({ label: 'LOW', original: '2.1' });
    expect(mysql.vulnerabilities?.[0]?.VulnerablePackages?.[0]).toMatchObject({ Name: 'github.com/go-sql-driver/mysql', PackageManager: 'golang', FilePath: '/src/go.mod' });
  });
});

function byLocationPrefix(report: ParsedReport, prefix: string): number {
  return report.drafts.filter((d) => d.location.startsWith(prefix)).length;
}
