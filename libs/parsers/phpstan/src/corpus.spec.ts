import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { readReport } from '@devsecops/report-input';
import { describeCorpus, sharedFixtures } from '@devsecops/test-support';
import { checkFindings } from './__fixtures__/support';
import { phpstanParser } from './phpstan-parser';

/** Findings per file, counted by hand from each report's messages (never from its totals). */
const EXPECTED: Record<string, { findings: number; global: number; files: number; warnings: number }> = {
  'obsidian__phpstan-report.json': { findings: 82, global: 0, files: 30, warnings: 0 },
  'lintersamples__phpstan.json': { findings: 4, global: 3, files: 1, warnings: 0 },
  'wireninja__phpstan-results.json': { findings: 121, global: 0, files: 38, warnings: 0 },
  // totals.file_errors says 1, totals.errors 0: the report holds 3 file messages.
  'sonarphp__phpstan-report.json': { findings: 3, global: 0, files: 2, warnings: 1 },
  'sonarphp__phpstan-report-no-issue.json': { findings: 0, global: 0, files: 0, warnings: 0 },
  'sonarphp__phpstan-with-context-in-path.json': { findings: 1, global: 0, files: 1, warnings: 0 },
};

const files = sharedFixtures('phpstan');

describeCorpus('phpstan')('PHPStan corpus (/work/shared/fixtures/phpstan)', () => {
  it('has an expectation for every corpus file', () => {
    expect(files.map((f) => basename(f)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files.map((f) => [basename(f), f]))('%s: every message is a valid finding with a unique Id', (name, path) => {
    // Arrange
    const doc = readReport(readFileSync(path), name);
    const expected = EXPECTED[name]!;

    // Act
    const report = phpstanParser.parse(doc);
    const { findings, problems, duplicateIds } = checkFindings(report);

    // Assert
    expect(phpstanParser.detect(doc)).toBe(true);
    expect(report.drafts).toHaveLength(expected.findings);
    expect(report.stats).toMatchObject({ globalErrors: expected.global, files: expected.files });
    expect(report.warnings).toHaveLength(expected.warnings);
    expect(problems).toEqual([]);
    expect(duplicateIds).toEqual([]);
    // Nothing from the build machine survives into a finding.
    expect(findings.filter((f) => /\/Users\/|\/home\//.test(JSON.stringify(f)))).toEqual([]);
  });

  it('obsidian: every finding is an unmatched ignore without a line, INFORMATIONAL, under app/', () => {
    // Act
    const report = phpstanParser.parse(readReport(readFileSync(files.find((f) => f.includes('obsidian'))!), 'obsidian'));

    // Assert
    expect(new Set(report.drafts.map((d) => `${d.ruleId}/${d.severity.label}/${d.productFields?.['line'] ?? 'no line'}`))).toEqual(
      new Set(['ignore.unmatched/INFORMATIONAL/no line']),
    );
    expect(report.drafts.every((d) => d.resources[0]!.Id!.startsWith('app/Domains/'))).toBe(true);
  });

  it('wireninja: 121 findings in 38 file keys (35 paths: three traits in two class contexts each), non-ignorable ones at the default', () => {
    // Act
    const report = phpstanParser.parse(readReport(readFileSync(files.find((f) => f.includes('wireninja'))!), 'wireninja'));

    // Assert
    const bySeverity = report.drafts.reduce<Record<string, number>>((acc, d) => ({ ...acc, [d.severity.label]: (acc[d.severity.label] ?? 0) + 1 }), {});
    expect(bySeverity).toEqual({ LOW: 119, MEDIUM: 2 });
    expect(report.stats?.['files']).toBe(38);
    expect(new Set(report.drafts.map((d) => d.resources[0]!.Id)).size).toBe(35);
    expect(report.drafts.filter((d) => d.productFields?.['context']).length).toBeGreaterThan(0);
    expect(report.drafts.every((d) => d.resources[0]!.Id!.startsWith('src/'))).toBe(true);
    // 73 messages carry a tip; one tip is a type description without a link.
    expect(report.drafts.filter((d) => d.remediation).length).toBe(73);
    expect(report.drafts.filter((d) => d.remediation?.url).length).toBe(72);
  });

  it('lintersamples: three global errors and one file error in public/', () => {
    // Act
    const report = phpstanParser.parse(readReport(readFileSync(files.find((f) => f.includes('lintersamples'))!), 'lintersamples'));

    // Assert
    expect(report.drafts.map((d) => d.location.split('#')[0])).toEqual(['public/webhook.php', 'global', 'global', 'global']);
    expect(checkFindings(report).findings.map((f) => f.Resources![0]!.Id)).toEqual(['public/webhook.php', 'hospital/patient-portal', 'hospital/patient-portal', 'hospital/patient-portal']);
  });

  it('with-context-in-path: the suffix is stripped and kept as context', () => {
    // Act
    const [draft] = phpstanParser.parse(readReport(readFileSync(files.find((f) => f.includes('context-in-path'))!), 'ctx')).drafts;

    // Assert
    expect(draft!.resources[0]).toMatchObject({ Id: 'phpstan/file3.php', Details: { Other: { context: 'class Bar', line: '6' } } });
  });
});
