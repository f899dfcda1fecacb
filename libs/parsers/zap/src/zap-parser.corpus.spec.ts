import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { SeverityLabel } from '@devsecops/asff';
import { readReport } from '@devsecops/report-input';
import { describeCorpus, sharedFixtures } from '@devsecops/test-support';
import { findingsOf, problemsOf } from './__fixtures__/helpers';
import { zapParser } from './zap-parser';

interface Expected {
  version: string;
  /** Alerts per site, in report order. */
  perSite: number[];
  instances: number;
  labels: Partial<Record<SeverityLabel, number>>;
}

/** Counted from the files themselves (see the corpus README and scanners.md §7). */
const EXPECTED: Record<string, Expected> = {
  'dd__dvwa_baseline_dojo.xml': { version: 'D-2021-03-29', perSite: [19], instances: 124, labels: { MEDIUM: 4, LOW: 8, INFORMATIONAL: 7 } },
  'dd__empty_2.9.0.xml': { version: '2.9.0', perSite: [0], instances: 0, labels: {} },
  'lightbroker__dast_public-firing-range.json': {
    version: '2.14.0',
    perSite: [0, 39],
    instances: 712,
    labels: { HIGH: 6, MEDIUM: 12, LOW: 11, INFORMATIONAL: 10 },
  },
  'stemdo__report_xml-2.16.xml': { version: '2.16.0', perSite: [4], instances: 12, labels: { MEDIUM: 1, LOW: 2, INFORMATIONAL: 1 } },
  'llowgn__report_json-2.14.json': { version: '2.14.0', perSite: [15], instances: 50, labels: { MEDIUM: 3, LOW: 4, INFORMATIONAL: 8 } },
};

function parseFile(path: string) {
  const doc = readReport(readFileSync(path), basename(path));
  return { doc, report: zapParser.parse(doc) };
}

function countBy<T>(items: readonly T[], key: (item: T) => string | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = key(item) ?? '';
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

describeCorpus('zap')('zapParser on the shared ZAP corpus', () => {
  const files = sharedFixtures('zap');

  it.each(files.map((f) => [basename(f), f]))('%s: detected, every finding valid, Ids unique', (_name, path) => {
    // Arrange / Act
    const { doc, report } = parseFile(path);
    const findings = findingsOf(report);

    // Assert
    expect(zapParser.detect(doc)).toBe(true);
    expect(problemsOf(findings)).toEqual([]);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
  });

  const known = files.filter((f) => EXPECTED[basename(f)]);
  it.each(known.map((f) => [basename(f), f]))('%s: alerts per site, instances and severities as counted', (name, path) => {
    // Arrange
    const expected = EXPECTED[name]!;

    // Act
    const { report } = parseFile(path);
    const findings = findingsOf(report);
    const perSite = countBy(report.drafts, (d) => d.productFields?.Site);

    // Assert
    expect(report.toolVersion).toBe(expected.version);
    expect(report.drafts).toHaveLength(expected.perSite.reduce((a, b) => a + b, 0));
    expect(report.stats).toMatchObject({ sites: expected.perSite.length, alerts: report.drafts.length, instances: expected.instances });
    expect(Object.values(perSite).sort()).toEqual(expected.perSite.filter((n) => n > 0).sort());
    expect(countBy(findings, (f) => f.Severity?.Label)).toEqual(expected.labels);
  });

  it('DVWA (DefectDojo sample): first and last alerts as DefectDojo asserts them', () => {
    // Arrange
    const path = files.find((f) => basename(f) === 'dd__dvwa_baseline_dojo.xml');
    if (!path) return;

    // Act
    const findings = findingsOf(parseFile(path).report);
    const first = findings[0]!;
    const last = findings[18]!;

    // Assert
    expect([first.Title, first.Severity?.Label, first.GeneratorId, first.Resources!.length]).toEqual([
      'X-Frame-Options Header Not Set',
      'MEDIUM',
      'zap/10020',
      11,
    ]);
    expect(first.Resources!.map((r) => r.Id)).toContain('http://172.17.0.2/vulnerabilities/sqli_blind/');
    expect([last.Title, last.Severity?.Label, last.GeneratorId, last.Resources!.length]).toEqual(['Private IP Disclosure', 'LOW', 'zap/2', 2]);
    expect(last.Description).toContain('3 instance(s) on 2 URL(s)');
  });

  it('lightbroker: the http site holds no alerts, every finding is on the https site', () => {
    // Arrange
    const path = files.find((f) => basename(f).startsWith('lightbroker__'));
    if (!path) return;

    // Act
    const { report } = parseFile(path);

    // Assert
    expect(new Set(report.drafts.map((d) => d.productFields?.Site))).toEqual(new Set(['https://public-firing-range.appspot.com']));
    expect(report.drafts.filter((d) => d.ruleId.startsWith('10055-'))).toHaveLength(4);
  });
});
