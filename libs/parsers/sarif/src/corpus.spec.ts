import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { isActive } from '@devsecops/asff';
import { readReport } from '@devsecops/report-input';
import { describeCorpus, sharedFixtures } from '@devsecops/test-support';
import { checkFindings } from './__fixtures__/support';
import { sarifParser } from './sarif-parser';

/** Counted in the files themselves: results (× locations) of kind fail, and which are suppressed. */
const EXPECTED: Record<string, { tool: string; active: number; suppressed: number; labels: Record<string, number> }> = {
  'dd__codeQL-output.sarif': { tool: 'codeql', active: 72, suppressed: 0, labels: { LOW: 57, HIGH: 11, MEDIUM: 4 } },
  'dd__suppression_test.sarif': { tool: 'codescanner', active: 2, suppressed: 3, labels: { LOW: 5 } },
  'dd__no_runs.sarif': { tool: 'sarif', active: 0, suppressed: 0, labels: {} },
  // security-severity on every rule: 13 × 9.8, 2 × 8.8, 1 × 8.0, 4 × 7.5, 1 × 7.4.
  'austimkelly__trivy-results.sarif': { tool: 'trivy', active: 21, suppressed: 0, labels: { CRITICAL: 13, HIGH: 8 } },
  'swatisharma__semgrep.sarif': { tool: 'semgrep', active: 7, suppressed: 0, labels: { MEDIUM: 7 } },
  'secobserve__eslint.sarif': { tool: 'eslint', active: 5, suppressed: 5, labels: { LOW: 6, MEDIUM: 4 } },
};

const files = sharedFixtures('sarif');

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

describeCorpus('sarif')('SARIF corpus (/work/shared/fixtures/sarif)', () => {
  it('has an expectation for every corpus file', () => {
    expect(files.map((f) => basename(f)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files.map((f) => [basename(f), f]))('%s: every result is a valid finding with a unique Id', (name, path) => {
    // Arrange
    const doc = readReport(readFileSync(path), name);
    const expected = EXPECTED[name]!;

    // Act
    const report = sarifParser.parse(doc);
    const { findings, problems, duplicateIds } = checkFindings(report);

    // Assert
    expect(sarifParser.detect(doc)).toBe(true);
    expect(report.tool).toBe(expected.tool);
    expect(findings.filter(isActive)).toHaveLength(expected.active);
    expect(findings.filter((f) => f.Workflow?.Status === 'SUPPRESSED')).toHaveLength(expected.suppressed);
    expect(countBy(report.drafts, (d) => d.severity.label)).toEqual(expected.labels);
    expect(problems).toEqual([]);
    expect(duplicateIds).toEqual([]);
    expect(report.warnings).toEqual([]);
    // Every finding names its real tool for Security Hub.
    expect(findings.every((f) => f.GeneratorId!.startsWith(`${expected.tool}/`) && f.ProductFields?.[`devsecops/${expected.tool}/tool`])).toBe(true);
  });

  it('codeQL: finding 7 is good/mod_user.py line 33, HIGH, as DefectDojo asserts', () => {
    // Act
    const report = sarifParser.parse(readReport(readFileSync(files.find((f) => f.includes('codeQL'))!), 'codeql'));

    // Assert
    expect(report.drafts[7]).toMatchObject({ severity: { label: 'HIGH' }, resources: [{ Id: 'good/mod_user.py', Details: { Other: { startLine: '33' } } }] });
    expect(report.drafts.every((d) => d.identity?.includes('primaryLocationLineHash='))).toBe(true);
  });

  it('trivy: every finding is a CVE with its rule security-severity as Original and in-image paths without a leading slash', () => {
    // Act
    const report = sarifParser.parse(readReport(readFileSync(files.find((f) => f.includes('trivy'))!), 'trivy'));

    // Assert
    expect(report.drafts.every((d) => d.vulnerabilities?.[0]?.Id === d.ruleId && /^\d+\.\d$/.test(d.severity.original))).toBe(true);
    expect(report.drafts.every((d) => !d.location.startsWith('/'))).toBe(true);
  });

  it('trivy: package and installed version from the message, in VulnerablePackages and the title; fixed versions where Trivy has one', () => {
    // Act
    const report = sarifParser.parse(readReport(readFileSync(files.find((f) => f.includes('trivy'))!), 'trivy'));
    const packages = report.drafts.map((d) => d.vulnerabilities?.[0]?.VulnerablePackages?.[0]);

    // Assert
    expect(packages.every((p) => p?.Name && p.Version)).toBe(true);
    expect(report.drafts.every((d, i) => d.title === `${packages[i]!.Name}@${packages[i]!.Version}: ${d.ruleId}`)).toBe(true);
    expect(packages.filter((p) => p?.FixedInVersion)).toHaveLength(16);
    expect(report.drafts[0]!.title).toBe('linux-libc-dev@5.15.0-97.107: CVE-2024-26597');
  });

  it('semgrep: identity from matchBasedId/v1 and CWE from titled tags', () => {
    // Act
    const report = sarifParser.parse(readReport(readFileSync(files.find((f) => f.includes('semgrep'))!), 'semgrep'));

    // Assert
    expect(report.drafts.every((d) => d.identity?.includes('|matchBasedId/v1='))).toBe(true);
    expect(report.drafts.every((d) => /^CWE-\d+/.test(d.productFields?.['cwe'] ?? ''))).toBe(true);
  });

  it('suppression_test: file:///C:/code/… becomes a bare file name; suppressed ones say why', () => {
    // Act
    const report = sarifParser.parse(readReport(readFileSync(files.find((f) => f.includes('suppression'))!), 'suppression'));

    // Assert
    expect(report.drafts.map((d) => `${d.location}:${d.state ?? 'ACTIVE'}`)).toEqual([
      'file1.c:SUPPRESSED',
      'file2.c:SUPPRESSED',
      'file3.c:SUPPRESSED',
      'file4.c:ACTIVE',
      'file5.c:ACTIVE',
    ]);
    expect(report.drafts[2]!.stateReason).toBe('suppressed inSource');
  });
});
