import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIELD, findingFingerprint } from '@devsecops/asff';
import { GATE_NOW as NOW, testFinding as finding } from '@devsecops/test-support';
import { readEpssCsv, readKevCatalog } from './exploits';
import { evaluateGate, GATE_NOTE_AUTHOR, NOTE_TEXT_LIMIT, suppressionNote, type Decision } from './gate';
import { formatGateText, gateJson } from './output';
import { readOpenVex } from './openvex';
import { readSuppressionsFile } from './suppressions-file';

const fixture = (name: string) => readFileSync(join(__dirname, '__fixtures__', name));

const log4shell = finding({ rule: 'CVE-2021-44228', cve: 'CVE-2021-44228', severity: 'CRITICAL', location: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' });
const lodash = finding({ rule: 'CVE-2021-23337', cve: 'CVE-2021-23337', severity: 'HIGH', location: 'pkg:npm/lodash@4.17.15' });
const jackson = finding({ rule: 'CVE-2020-36518', cve: 'CVE-2020-36518', severity: 'HIGH', location: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10' });
const jquery = finding({ rule: 'CVE-2020-11022', cve: 'CVE-2020-11022', severity: 'MEDIUM', location: 'pkg:javascript/jquery@1.12.4' });
const sqli = finding({ rule: 'java.spring.security.audit.spring-sqli.spring-sqli', severity: 'HIGH', location: 'src/main/java/PatientSearchDao.java', line: 57 });
const md5 = finding({ rule: 'java.lang.security.audit.crypto.weak-hash.use-of-md5', severity: 'MEDIUM', location: 'src/main/java/util/Checksums.java' });
const phpArg = finding({ tool: 'phpstan', rule: 'argument.type', severity: 'HIGH', location: 'admin/src/Controller/PatientController.php' });

const state = (status: Decision['workflowStatus'], note?: Partial<NonNullable<Decision['note']>>): Decision => ({
  workflowStatus: status,
  ...(note ? { note: { text: note.text ?? 'note', updatedBy: note.updatedBy ?? 'sec-engineer', updatedAt: '2026-11-30T00:00:00Z' } } : {}),
});

describe('evaluateGate: threshold and Security Hub decisions', () => {
  it('blocks active findings at or above the threshold, sorted by severity then age, and says why', () => {
    const older = finding({ rule: 'x.old', severity: 'HIGH', location: 'src/Old.java', firstObservedAt: '2026-01-01T00:00:00.000Z' });
    const verdict = evaluateGate([sqli, jquery, log4shell, older], { failOn: 'HIGH', failOnKev: false, now: NOW });
    expect(verdict.passed).toBe(false);
    expect(verdict.findings.map((f) => f.rule)).toEqual(['CVE-2021-44228', 'x.old', sqli.ProductFields![FIELD.rule]]);
    expect(verdict.findings[0]).toMatchObject({ severity: 'CRITICAL', tool: 'dependency-check', location: 'log4j-core@2.14.1 → 9.9.9', reasons: [{ kind: 'threshold' }] });
    expect(verdict.findings[2]!.location).toBe('src/main/java/PatientSearchDao.java:57');
    expect(verdict.findings[0]!.consoleUrl).toContain('securityhub/home?region=eu-west-1');
    expect(verdict.summary).toBe('gate FAILED: 3 blocking (1 CRITICAL, 2 HIGH) · 0 suppressed');
  });

  it('NONE turns the threshold off; tool-side suppressed and closed findings never count', () => {
    const toolSuppressed = finding({ rule: 'r1', severity: 'CRITICAL', location: 'a.java', state: 'SUPPRESSED' });
    const closed = finding({ rule: 'r2', severity: 'CRITICAL', location: 'b.java', state: 'RESOLVED' });
    expect(evaluateGate([sqli], { failOn: 'NONE', now: NOW }).passed).toBe(true);
    expect(evaluateGate([toolSuppressed, closed], { failOn: 'LOW', now: NOW }).blocking).toBe(0);
  });

  it('a finding SUPPRESSED in Security Hub never blocks; who suppressed it and the Note are listed', () => {
    const decisions = new Map([[sqli.Id!, state('SUPPRESSED', { text: 'false positive: parameterised upstream', updatedBy: 'arn:aws:iam::123456789012:user/alice' })]]);
    const verdict = evaluateGate([sqli], { failOn: 'HIGH', decisions, now: NOW });
    expect(verdict.passed).toBe(true);
    expect(verdict.suppressed[0]).toMatchObject({ by: 'arn:aws:iam::123456789012:user/alice', note: 'false positive: parameterised upstream', source: 'security-hub' });
    expect(verdict.updates).toEqual([]);
    expect(formatGateText(verdict)).toContain('by arn:aws:iam::123456789012:user/alice (security-hub): false positive');
  });

  it('RESOLVED holds while the content is unchanged; a changed finding is re-opened and blocks', () => {
    const decisions = new Map([[sqli.Id!, state('RESOLVED', { text: 'fixed in review' })]]);
    expect(evaluateGate([sqli], { failOn: 'HIGH', decisions, now: NOW }).passed).toBe(true);
    const changed = evaluateGate([sqli], { failOn: 'HIGH', decisions, changedIds: new Set([sqli.Id!]), now: NOW });
    expect(changed.blocking).toBe(1);
    expect(changed.updates).toEqual([expect.objectContaining({ id: sqli.Id, status: 'NEW' })]);
  });

  it('an unmappable severity counts as HIGH and says so', () => {
    const odd = { ...sqli, Severity: { Label: 'SEVERE' as never, Original: 'severe-ish' }, FindingProviderFields: { Severity: { Label: 'SEVERE' as never } } };
    const verdict = evaluateGate([odd], { failOn: 'HIGH', now: NOW });
    expect(verdict.findings[0]).toMatchObject({ severity: 'HIGH', severityNote: 'severity "severe-ish" cannot be mapped: counted as HIGH' });
    expect(verdict.findings[0]!.reasons[0]!.detail).toContain('cannot be mapped');
  });
});

describe('evaluateGate: fail closed', () => {
  it('an incomplete scan never passes as clean, even with no finding', () => {
    const verdict = evaluateGate([], { failOn: 'HIGH', incomplete: 'semgrep reported executionSuccessful=false', now: NOW });
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toBe('gate FAILED: 0 blocking · 0 suppressed · scan incomplete: semgrep reported executionSuccessful=false');
  });

  it('decisions that could not be read fail the gate unless onDecisionReadError is ignore', () => {
    expect(evaluateGate([jquery], { failOn: 'HIGH', decisionsUnavailable: 'AccessDenied', now: NOW }).passed).toBe(false);
    expect(evaluateGate([jquery], { failOn: 'HIGH', decisionsUnavailable: 'AccessDenied', onDecisionReadError: 'ignore', now: NOW }).passed).toBe(true);
  });

  it('new mode without the base branch fails closed', () => {
    const verdict = evaluateGate([jquery], { failOn: 'HIGH', mode: 'new', baseBranch: 'main', baseUnavailable: 'GetFindings throttled', now: NOW });
    expect(verdict.passed).toBe(false);
    expect(verdict.problems[0]).toBe('the base branch main could not be read: GetFindings throttled');
  });
});

describe('evaluateGate: suppressions file', () => {
  const file = readSuppressionsFile(fixture('suppressions.yaml').toString(), '.devsecops/suppressions.yaml', { commit: 'abcdef1234567890' });

  it('refuses entries without reason, owner or expiry, naming file and line; the rest applies', () => {
    expect(file.problems).toEqual([
      { source: '.devsecops/suppressions.yaml', line: 22, message: 'entry without reason: every suppression needs a reason, an owner and an expires date' },
    ]);
    expect(file.entries.map((e) => e.match.kind)).toEqual(['cve-package', 'tool-rule', 'rule-path', 'id']);
    expect(file.entries[0]!.line).toBe(3);
  });

  it('matches CVE + versionless purl, tool + rule and rule + path glob; writes SUPPRESSED with the Note', () => {
    const decisions = new Map<string, Decision>([[lodash.Id!, state('NEW')], [md5.Id!, state('NEW')], [phpArg.Id!, state('NEW')]]);
    const verdict = evaluateGate([lodash, md5, phpArg], { failOn: 'MEDIUM', suppressions: file.entries, suppressionProblems: file.problems, decisions, now: NOW });
    expect(verdict.passed).toBe(true);
    expect(verdict.suppressed.map((s) => s.source)).toEqual([
      '.devsecops/suppressions.yaml:3',
      '.devsecops/suppressions.yaml:13',
      '.devsecops/suppressions.yaml:8',
    ]);
    expect(verdict.updates.map((u) => u.status)).toEqual(['SUPPRESSED', 'SUPPRESSED', 'SUPPRESSED']);
    expect(verdict.updates[0]!.note).toBe(
      'Suppressed by .devsecops/suppressions.yaml:3@abcdef123456: template() is never called with user input · owner jane.doe@example.org · expires 2027-06-30',
    );
    // The admin entry expires 2026-12-10: within 14 days of NOW.
    expect(verdict.summary).toBe('gate passed: 0 blocking · 3 suppressed (1 expiring within 14 days) · 1 invalid suppression entry');
    expect(formatGateText(verdict)).toContain('invalid suppression .devsecops/suppressions.yaml:22: entry without reason');
  });

  it('writes nothing for a finding Security Hub already holds SUPPRESSED', () => {
    const decisions = new Map([[lodash.Id!, state('SUPPRESSED', { updatedBy: GATE_NOTE_AUTHOR })]]);
    expect(evaluateGate([lodash], { failOn: 'HIGH', suppressions: file.entries, decisions, now: NOW }).updates).toEqual([]);
  });

  it('an expired entry re-opens the finding (NEW with a Note) and it blocks again', () => {
    const later = new Date('2026-12-10T00:00:00.000Z');
    const decisions = new Map([[phpArg.Id!, state('SUPPRESSED', { updatedBy: GATE_NOTE_AUTHOR, text: 'Suppressed by …' })]]);
    const verdict = evaluateGate([phpArg], { failOn: 'HIGH', suppressions: file.entries, decisions, now: later });
    expect(verdict.blocking).toBe(1);
    expect(verdict.updates).toEqual([
      { id: phpArg.Id, productArn: phpArg.ProductArn, status: 'NEW', note: expect.stringContaining('Suppression expired on 2026-12-10 (.devsecops/suppressions.yaml:13') },
    ]);
    expect(verdict.summary).toContain('1 re-opened (suppression expired)');
  });

  it('a person\'s suppression in Security Hub stands when no file entry is about it', () => {
    const decisions = new Map([[sqli.Id!, state('SUPPRESSED', { updatedBy: 'alice' })]]);
    expect(evaluateGate([sqli], { failOn: 'HIGH', suppressions: file.entries, decisions, now: NOW }).passed).toBe(true);
  });

  it('reports entries that match nothing in the scans they apply to as stale', () => {
    const zap = finding({ tool: 'zap', rule: '10010', severity: 'LOW', location: 'https://staging.example' });
    const verdict = evaluateGate([zap], { failOn: 'HIGH', suppressions: file.entries, now: NOW });
    expect(verdict.staleSuppressions).toEqual([{ source: '.devsecops/suppressions.yaml:18', match: 'id devsecops/zap/10010/unknown', owner: 'ops@example.org' }]);
  });

  it('a malformed YAML file is one error naming the file and line', () => {
    expect(() => readSuppressionsFile('suppressions:\n  - id: [unclosed\n', 's.yaml')).toThrow(/^s\.yaml: line \d+: /);
  });

  it('the Note fits Security Hub\'s 512 characters', () => {
    const long = { ...file.entries[0]!, reason: 'x'.repeat(800) };
    expect(suppressionNote(long).length).toBe(NOTE_TEXT_LIMIT);
  });
});

describe('evaluateGate: OpenVEX', () => {
  const vex = readOpenVex(fixture('openvex.json').toString(), 'vex/portal.openvex.json');

  it('not_affected with a justification suppresses the CVE for the subcomponent purl; without one it is refused', () => {
    expect(vex.problems).toEqual([{ source: 'vex/portal.openvex.json', line: 0, message: 'statements[1]: not_affected needs a justification (or an impact_statement)' }]);
    const verdict = evaluateGate([jackson, jquery], { failOn: 'MEDIUM', suppressions: vex.entries, now: NOW });
    expect(verdict.suppressed.map((s) => s.rule)).toEqual(['CVE-2020-36518']);
    expect(verdict.suppressed[0]!.note).toContain('vulnerable_code_not_in_execute_path');
    expect(verdict.blocking).toBe(1);
  });

  it('fixed suppresses; a later under_investigation statement lifts an earlier not_affected', () => {
    const doc = {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      author: 'psirt',
      timestamp: '2026-11-01T00:00:00Z',
      statements: [
        { vulnerability: { name: 'CVE-2021-44228' }, products: [{ '@id': 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' }], status: 'fixed' },
        { vulnerability: { name: 'CVE-2021-23337' }, products: [{ '@id': 'pkg:npm/lodash' }], status: 'not_affected', justification: 'component_not_present', timestamp: '2026-11-02T00:00:00Z' },
        { vulnerability: { name: 'CVE-2021-23337' }, products: [{ '@id': 'pkg:npm/lodash' }], status: 'under_investigation', timestamp: '2026-11-03T00:00:00Z' },
      ],
    };
    const entries = readOpenVex(JSON.stringify(doc), 'v.json').entries;
    const verdict = evaluateGate([log4shell, lodash], { failOn: 'HIGH', failOnKev: false, suppressions: entries, now: NOW });
    expect(verdict.suppressed.map((s) => s.rule)).toEqual(['CVE-2021-44228']);
    expect(verdict.findings.map((f) => f.rule)).toEqual(['CVE-2021-23337']);
  });
});

describe('evaluateGate: new mode, SLA, KEV, EPSS', () => {
  it('new mode blocks only findings not open on the base branch and counts the others as existing', () => {
    const feature = (f: typeof sqli) => finding({ rule: f.ProductFields![FIELD.rule]!, severity: f.Severity!.Label as never, location: f.ProductFields![FIELD.location]!, branch: 'feature/x' });
    const onMain = [sqli, md5].map((f) => f.ProductFields![FIELD.fingerprint]!);
    const newOne = finding({ rule: 'java.xss', severity: 'HIGH', location: 'src/New.java', branch: 'feature/x' });
    const verdict = evaluateGate([feature(sqli), feature(md5), newOne], { failOn: 'HIGH', mode: 'new', baseBranch: 'main', baseOpen: new Set(onMain), now: NOW });
    expect(verdict.findings.map((f) => f.rule)).toEqual(['java.xss']);
    expect(verdict.existing).toBe(2);
    expect(verdict.summary).toBe('gate FAILED: 1 blocking (1 new HIGH) · 2 existing · 0 suppressed');
    expect(feature(sqli).ProductFields![FIELD.fingerprint]).toBe(findingFingerprint('semgrep', sqli.ProductFields![FIELD.rule]!, 'src/main/java/PatientSearchDao.java'));
  });

  it('an existing finding blocks once it is open longer than its SLA, counted from FirstObservedAt', () => {
    const old = finding({ rule: 'old', severity: 'MEDIUM', location: 'a.java', firstObservedAt: '2026-08-01T00:00:00.000Z' });
    const young = finding({ rule: 'young', severity: 'MEDIUM', location: 'b.java', firstObservedAt: '2026-11-20T00:00:00.000Z' });
    const decisions = new Map<string, Decision>([[young.Id!, { workflowStatus: 'NEW', firstObservedAt: '2026-11-25T00:00:00.000Z' }]]);
    const verdict = evaluateGate([old, young], { failOn: 'HIGH', slaDays: { MEDIUM: 90 }, decisions, now: NOW });
    expect(verdict.findings.map((f) => [f.rule, f.reasons])).toEqual([['old', [{ kind: 'SLA', detail: 'open 122 days, SLA 90 for MEDIUM' }]]]);
    expect(verdict.summary).toContain('1 over SLA');
  });

  it('a KEV finding blocks at any severity unless suppressed; this can be switched off', () => {
    const kev = readKevCatalog(fixture('kev-subset.json').toString(), 'kev.json');
    const spring = finding({ rule: 'CVE-2022-22965', cve: 'CVE-2022-22965', severity: 'LOW', location: 'pkg:maven/org.springframework/spring-beans@5.3.17' });
    const verdict = evaluateGate([spring], { failOn: 'CRITICAL', kev, now: NOW });
    expect(verdict.findings[0]!.reasons).toEqual([{ kind: 'KEV', detail: 'in CISA KEV since 2022-04-04' }]);
    expect(verdict.summary).toBe('gate FAILED: 1 blocking (1 KEV) · 0 suppressed');
    expect(evaluateGate([spring], { failOn: 'CRITICAL', kev, failOnKev: false, now: NOW }).passed).toBe(true);
  });

  it('--fail-on-epss blocks at or above the score from the EPSS file', () => {
    const epss = readEpssCsv(fixture('epss-subset.csv.gz'), 'epss.csv.gz');
    const lodashOld = finding({ rule: 'CVE-2020-8203', cve: 'CVE-2020-8203', severity: 'LOW', location: 'pkg:npm/lodash@4.17.15' });
    const log4j2 = finding({ rule: 'CVE-2021-45046', cve: 'CVE-2021-45046', severity: 'LOW', location: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' });
    const verdict = evaluateGate([lodashOld, log4j2], { failOn: 'CRITICAL', epss, failOnEpss: 0.5, now: NOW });
    expect(verdict.findings.map((f) => [f.rule, f.reasons[0]!.detail])).toEqual([['CVE-2021-45046', 'EPSS 0.94245 ≥ 0.5']]);
  });

  it('JSON output has the summary and the blocking list, not the internal updates', () => {
    const json = gateJson(evaluateGate([sqli], { failOn: 'HIGH', now: NOW }));
    expect(json).toMatchObject({ passed: false, blocking: 1, findings: [expect.objectContaining({ id: sqli.Id })] });
    expect(json).not.toHaveProperty('updates');
  });
});
