import { parse as parseJunit, type TestSuites } from 'junit2json';
import { buildFinding, type AwsSecurityFinding, type FindingDraft, type ScanScope } from '@devsecops/asff';
import { compareWithBase, renderJunit, renderMarkdown, type ReportGate } from './index';

/*
 * The renderers over findings built here, without any parser (a parser change must not rebuild what renders).
 * The formats over real reports, each scanner's, are tested in apps/findings-cli/src/formats.
 */
const SCOPE: ScanScope = { awsAccountId: '111122223333', region: 'eu-west-1', partition: 'aws', tool: 'semgrep', repository: 'hospital/portal', branch: 'main' };
const NOW = '2026-12-02T10:00:00.000Z';

function finding(rule: string, file: string, label: FindingDraft['severity']['label']): AwsSecurityFinding {
  return buildFinding({ ruleId: rule, location: file, title: `${rule} in ${file}`, description: `${rule} found.`, severity: { label, original: label }, resources: [{ Type: 'Other', Id: file }] }, SCOPE, NOW);
}

const text = (chunks: Iterable<string>) => [...chunks].join('');
const sqli = finding('sql-injection', 'src/db.ts', 'HIGH');
const style = finding('unused-var', 'src/ui.ts', 'LOW');
const gate: ReportGate = { failOn: 'HIGH', passed: false, blocking: 1, blockingIds: new Set([sqli.Id!]) };

describe('renderJunit', () => {
  it('is one test case per finding, failed exactly when it blocks', async () => {
    // act
    const report = (await parseJunit(text(renderJunit({ findings: [sqli, style], gate })))) as TestSuites;
    // assert
    const cases = (report.testsuite ?? []).flatMap((s) => s.testcase ?? []);
    expect(cases).toHaveLength(2);
    expect(cases.filter((c) => c.failure).map((c) => c.name)).toEqual([expect.stringContaining('sql-injection')]);
    expect(report.failures).toBe(1);
  });
});

describe('renderMarkdown', () => {
  it('gives the verdict first, then the blocking findings and what changed since the base', () => {
    // arrange
    const changes = compareWithBase([sqli, style], [style, finding('xss', 'src/view.ts', 'MEDIUM')], 'main');
    // act
    const markdown = text(renderMarkdown({ findings: [sqli, style], gate, changes }));
    // assert
    expect(markdown).toMatch(/^## ❌ Security gate failed: 1 blocking/);
    expect(markdown).toContain('### Blocking (1)');
    expect(markdown).toContain('### Since main: 1 new, 1 fixed');
  });
});
