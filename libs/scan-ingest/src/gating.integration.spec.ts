/**
 * The triage loop against securityhub-local over real HTTP: decisions taken in Security Hub (BatchUpdateFindings)
 * and in the repository (suppressions file, OpenVEX) feed the one gate; the gate writes its decisions back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchUpdateFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { FIELD } from '@devsecops/asff';
import { GATE_NOTE_AUTHOR, readEpssCsv, readKevCatalog, readOpenVex, readSuppressionsFile, type GateData, type GateSettings } from '@devsecops/gate';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { testFinding, workspaceRoot } from '@devsecops/test-support';
import { DEFAULT_GATE_SETTINGS, importAndGate } from './gating';

jest.setTimeout(60_000);

const FIXTURES = join(workspaceRoot, 'libs/gate/src/__fixtures__');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const DAY = 86_400_000;

let local: SecurityHubLocal;
let client: SecurityHubClient;

beforeAll(async () => {
  local = await startSecurityHubLocal({ port: 0 });
  client = new SecurityHubClient({ endpoint: local.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1 });
});
afterAll(() => local.close());
beforeEach(() => {
  local.setFaults(undefined);
  local.reset();
});

const sqli = (branch = 'main') => testFinding({ rule: 'java.sqli', severity: 'HIGH', location: 'src/main/java/PatientSearchDao.java', line: 57, branch });
const md5 = (branch = 'main') => testFinding({ rule: 'java.md5', severity: 'MEDIUM', location: 'src/main/java/util/Checksums.java', branch });
const xss = (branch = 'main') => testFinding({ rule: 'java.xss', severity: 'HIGH', location: 'src/main/java/View.java', branch });
const lodash = () => testFinding({ rule: 'CVE-2021-23337', cve: 'CVE-2021-23337', severity: 'HIGH', location: 'pkg:npm/lodash@4.17.15' });
const jackson = () => testFinding({ rule: 'CVE-2020-36518', cve: 'CVE-2020-36518', severity: 'HIGH', location: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10' });
const spring = () => testFinding({ rule: 'CVE-2022-22965', cve: 'CVE-2022-22965', severity: 'LOW', location: 'pkg:maven/org.springframework/spring-beans@5.3.17' });
const log4j2 = () => testFinding({ rule: 'CVE-2021-45046', cve: 'CVE-2021-45046', severity: 'LOW', location: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' });

async function scan(findings: AwsSecurityFinding[], options: { settings?: Partial<GateSettings>; data?: Partial<GateData>; now?: Date } = {}) {
  const first = findings[0]!;
  const fields = first.ProductFields!;
  const now = options.now ?? new Date('2026-12-01T12:00:00.000Z');
  // As a scan at `now` builds them.
  const observed = findings.map((f) => ({ ...f, FirstObservedAt: now.toISOString(), LastObservedAt: now.toISOString() }));
  return importAndGate({
    client,
    scope: { awsAccountId: '123456789012', region: 'eu-west-1', partition: 'aws', tool: fields[FIELD.tool]!, repository: fields[FIELD.repository]!, branch: fields[FIELD.branch]! },
    findings: observed,
    settings: { ...DEFAULT_GATE_SETTINGS, ...options.settings },
    data: { suppressionProblems: [], ...options.data },
    now,
    importOptions: { maxRequestAttempts: 1, backoff: { baseMs: 1, maxMs: 1 } },
  });
}

function stored(id: string): AwsSecurityFinding {
  return local.findings().find((f) => f.Id === id)!;
}

async function triage(finding: AwsSecurityFinding, status: 'SUPPRESSED' | 'RESOLVED', text: string): Promise<void> {
  await client.send(
    new BatchUpdateFindingsCommand({ FindingIdentifiers: [{ Id: finding.Id, ProductArn: finding.ProductArn }], Workflow: { Status: status }, Note: { Text: text, UpdatedBy: 'alice@example.org' } }),
  );
}

describe('decisions taken in Security Hub', () => {
  it('a finding suppressed there (BatchUpdateFindings) no longer blocks the next import; who and why are listed', async () => {
    const first = await scan([sqli(), md5()]);
    expect(first.verdict).toMatchObject({ passed: false, blocking: 1 });
    await triage(sqli(), 'SUPPRESSED', 'False positive: the query is parameterised upstream');
    const next = await scan([sqli(), md5()], { now: new Date('2026-12-02T12:00:00.000Z') });
    expect(next.verdict.passed).toBe(true);
    expect(next.verdict.suppressed).toEqual([expect.objectContaining({ id: sqli().Id, by: 'alice@example.org', note: 'False positive: the query is parameterised upstream' })]);
    expect(next.decisions.updated).toEqual([]);
    expect(stored(sqli().Id!).Workflow?.Status).toBe('SUPPRESSED');
  });

  it('RESOLVED holds while the content is unchanged; Security Hub reopens it when it comes back, and it blocks', async () => {
    await scan([sqli(), md5()]);
    await triage(sqli(), 'RESOLVED', 'Fixed in review');
    expect((await scan([sqli(), md5()], { now: new Date('2026-12-02T00:00:00Z') })).verdict.passed).toBe(true);
    await scan([md5()], { now: new Date('2026-12-03T00:00:00Z') }); // sqli archived
    const back = await scan([sqli(), md5()], { now: new Date('2026-12-04T00:00:00Z') });
    expect(back.result.reactivated).toBe(1);
    expect(back.verdict.blocking).toBe(1);
    expect(stored(sqli().Id!).Workflow?.Status).toBe('NEW');
  });
});

describe('suppressions file', () => {
  const yaml = (entries: string) => readSuppressionsFile(`suppressions:\n${entries}`, '.devsecops/suppressions.yaml', { commit: 'c0ffee00c0ffee00' });

  it.each([
    ['id', () => `  - id: ${sqli().Id}\n`],
    ['tool + rule', () => '  - tool: semgrep\n    rule: java.sqli\n'],
    ['rule + path glob', () => '  - rule: java.sqli\n    path: "src/main/**/*Dao.java"\n'],
  ])('%s: imported, then SUPPRESSED through BatchUpdateFindings with reason, owner, expiry and commit in the Note', async (_kind, match) => {
    const file = yaml(`${match()}    reason: parameterised upstream\n    owner: jane@example.org\n    expires: 2027-03-31\n`);
    const { verdict, decisions } = await scan([sqli(), md5()], { data: { suppressions: file.entries } });
    expect(verdict.passed).toBe(true);
    expect(decisions.updated).toEqual([sqli().Id]);
    expect(stored(sqli().Id!).Workflow?.Status).toBe('SUPPRESSED');
    expect(stored(sqli().Id!).Note).toMatchObject({
      Text: 'Suppressed by .devsecops/suppressions.yaml:2@c0ffee00c0ff: parameterised upstream · owner jane@example.org · expires 2027-03-31',
      UpdatedBy: GATE_NOTE_AUTHOR,
    });
    // Nothing to change on the next run: no BatchUpdateFindings call.
    const again = await scan([sqli(), md5()], { data: { suppressions: file.entries }, now: new Date('2026-12-02T12:00:00Z') });
    expect(again.decisions.apiCalls).toBe(0);
  });

  it('CVE + package purl without version', async () => {
    const file = yaml('  - cve: CVE-2021-23337\n    package: pkg:npm/lodash\n    reason: template() never sees user input\n    owner: jane@example.org\n    expires: 2027-03-31\n');
    const { verdict } = await scan([lodash()], { data: { suppressions: file.entries } });
    expect(verdict.passed).toBe(true);
    expect(stored(lodash().Id!).Workflow?.Status).toBe('SUPPRESSED');
  });

  it('an expired entry re-opens the finding as NEW with a Note, and it blocks again', async () => {
    const file = yaml('  - tool: semgrep\n    rule: java.sqli\n    reason: accepted until the rewrite\n    owner: jane@example.org\n    expires: 2026-12-05\n');
    expect((await scan([sqli()], { data: { suppressions: file.entries } })).verdict.passed).toBe(true);
    const expired = await scan([sqli()], { data: { suppressions: file.entries }, now: new Date('2026-12-05T00:00:00Z') });
    expect(expired.verdict).toMatchObject({ passed: false, blocking: 1 });
    expect(expired.verdict.summary).toContain('1 re-opened (suppression expired)');
    expect(stored(sqli().Id!).Workflow?.Status).toBe('NEW');
    expect(stored(sqli().Id!).Note?.Text).toMatch(/^Suppression expired on 2026-12-05 \(\.devsecops\/suppressions\.yaml:2, owner jane@example\.org\)/);
  });

  it('reports a stale entry and refuses an entry without an owner, naming the line; the rest applies', async () => {
    const file = yaml(
      '  - tool: semgrep\n    rule: java.gone\n    reason: r\n    owner: o\n    expires: 2027-01-01\n' +
        '  - tool: semgrep\n    rule: java.md5\n    reason: r\n    expires: 2027-01-01\n' +
        '  - tool: semgrep\n    rule: java.sqli\n    reason: r\n    owner: o\n    expires: 2027-01-01\n',
    );
    const { verdict } = await scan([sqli(), md5()], { settings: { failOn: 'MEDIUM' }, data: { suppressions: file.entries, suppressionProblems: file.problems } });
    expect(verdict.staleSuppressions).toEqual([{ source: '.devsecops/suppressions.yaml:2', match: 'semgrep rule java.gone', owner: 'o' }]);
    expect(verdict.invalidSuppressions).toEqual([expect.objectContaining({ line: 7, message: expect.stringContaining('entry without owner') })]);
    expect(verdict.findings.map((f) => f.rule)).toEqual(['java.md5']);
    expect(verdict.summary).toBe('gate FAILED: 1 blocking (1 MEDIUM) · 1 suppressed · 1 stale suppression · 1 invalid suppression entry');
  });
});

describe('OpenVEX', () => {
  it('not_affected with a justification suppresses the CVE for the product purl, in Security Hub too', async () => {
    const vex = readOpenVex(fixture('openvex.json').toString(), 'vex/portal.openvex.json');
    const { verdict } = await scan([jackson(), lodash()], { data: { suppressions: vex.entries } });
    expect(verdict.findings.map((f) => f.rule)).toEqual(['CVE-2021-23337']);
    expect(stored(jackson().Id!).Workflow?.Status).toBe('SUPPRESSED');
    expect(stored(jackson().Id!).Note?.Text).toContain('OpenVEX: not_affected (vulnerable_code_not_in_execute_path');
  });
});

describe('new mode', () => {
  it('a feature branch with one new HIGH over a main that has several fails with exactly 1 blocking', async () => {
    await scan([sqli('main'), md5('main'), testFinding({ rule: 'java.path', severity: 'HIGH', location: 'src/Files.java' })]);
    const feature = await scan([sqli('feature/x'), md5('feature/x'), xss('feature/x')], { settings: { mode: 'new', baseBranch: 'main' } });
    expect(feature.verdict.blocking).toBe(1);
    expect(feature.verdict.findings[0]!.rule).toBe('java.xss');
    expect(feature.verdict.existing).toBe(2);
    expect(feature.verdict.summary).toBe('gate FAILED: 1 blocking (1 new HIGH) · 2 existing · 0 suppressed');
  });

  it('on the base branch itself, only what this import added is new', async () => {
    await scan([sqli(), md5()]);
    const next = await scan([sqli(), md5(), xss()], { settings: { mode: 'new', baseBranch: 'main' }, now: new Date('2026-12-02T00:00:00Z') });
    expect(next.verdict.findings.map((f) => f.rule)).toEqual(['java.xss']);
  });

  it('FirstObservedAt stays the first time the finding was seen across re-imports', async () => {
    await scan([sqli()], { now: new Date('2026-11-01T00:00:00Z') });
    const changed = testFinding({ rule: 'java.sqli', severity: 'CRITICAL', location: 'src/main/java/PatientSearchDao.java', line: 57 });
    await scan([changed], { now: new Date('2026-12-01T00:00:00Z') });
    expect(stored(sqli().Id!)).toMatchObject({ FirstObservedAt: '2026-11-01T00:00:00.000Z', LastObservedAt: '2026-12-01T00:00:00.000Z' });
  });
});

describe('SLA, KEV and EPSS', () => {
  it('an existing finding blocks once it is open longer than its SLA', async () => {
    const start = new Date('2026-09-01T00:00:00Z');
    await scan([md5()], { now: start });
    const within = await scan([md5()], { settings: { slaDays: { MEDIUM: 90 } }, now: new Date(start.getTime() + 60 * DAY) });
    expect(within.verdict.passed).toBe(true);
    const over = await scan([md5()], { settings: { slaDays: { MEDIUM: 90 } }, now: new Date(start.getTime() + 91 * DAY) });
    expect(over.verdict.findings[0]!.reasons).toEqual([{ kind: 'SLA', detail: 'open 91 days, SLA 90 for MEDIUM' }]);
  });

  it('a KEV finding blocks at any severity; Vulnerabilities[] carry ExploitAvailable and LastKnownExploitAt', async () => {
    const kev = readKevCatalog(fixture('kev-subset.json').toString(), 'kev.json');
    const { verdict } = await scan([spring()], { settings: { failOn: 'CRITICAL' }, data: { kev } });
    expect(verdict.findings[0]!.reasons).toEqual([{ kind: 'KEV', detail: 'in CISA KEV since 2022-04-04' }]);
    expect(stored(spring().Id!).Vulnerabilities![0]).toMatchObject({ ExploitAvailable: 'YES', LastKnownExploitAt: '2022-04-04T00:00:00.000Z' });
  });

  it('--fail-on-epss blocks at or above the score; EpssScore is stored', async () => {
    const epss = readEpssCsv(fixture('epss-subset.csv.gz'), 'epss.csv.gz');
    const { verdict } = await scan([log4j2(), md5()], { settings: { failOn: 'CRITICAL', failOnEpss: 0.5 }, data: { epss } });
    expect(verdict.findings.map((f) => f.rule)).toEqual(['CVE-2021-45046']);
    expect(stored(log4j2().Id!).Vulnerabilities![0]!.EpssScore).toBe(0.94245);
  });
});

describe('fail closed', () => {
  it('fails when Security Hub\'s decisions cannot be read, unless onDecisionReadError is ignore', async () => {
    local.setFaults({ serverErrorRate: 1, operations: ['GetFindings'] });
    const closed = await scan([md5()]);
    expect(closed.verdict.passed).toBe(false);
    expect(closed.verdict.problems[0]).toMatch(/^Security Hub's decisions could not be read: /);
    const open = await scan([md5()], { settings: { onDecisionReadError: 'ignore' } });
    expect(open.verdict.passed).toBe(true);
  });

  it('an incomplete scan never passes as clean', async () => {
    const { verdict } = await importAndGate({
      client,
      scope: { awsAccountId: '123456789012', region: 'eu-west-1', partition: 'aws', tool: 'semgrep', repository: 'hospital/portal', branch: 'main' },
      findings: [],
      settings: DEFAULT_GATE_SETTINGS,
      data: { suppressionProblems: [] },
      incomplete: 'semgrep reported executionSuccessful=false',
      now: new Date('2026-12-01T00:00:00Z'),
    });
    expect(verdict).toMatchObject({ passed: false, blocking: 0, problems: ['scan incomplete: semgrep reported executionSuccessful=false'] });
  });
});
