import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { GATE_NOW, testFinding } from '@devsecops/test-support';
import { composeMail } from './mail';
import { evaluatePolicy, ApprovalPolicySchema } from './policy';
import { revisionChanges, revisionGate } from './revision-gate';
import { summarizeRevision } from './findings';
import { approvalMessage } from './__fixtures__/approval';

const TARGET = { awsAccountId: '123456789012', region: 'eu-west-1', partition: 'aws' as const };

/** As GetFindings returns them: Workflow and Note from Security Hub. */
function held(finding: AwsSecurityFinding, workflow: 'NEW' | 'SUPPRESSED', note?: string): AwsSecurityFinding {
  return { ...finding, Workflow: { Status: workflow }, ...(note ? { Note: { Text: note, UpdatedBy: 'alice@example.org', UpdatedAt: '2026-11-30T00:00:00Z' } } : {}) };
}

const sqli = held(testFinding({ rule: 'java.sqli', severity: 'HIGH', location: 'src/Dao.java' }), 'NEW');
const md5 = held(testFinding({ rule: 'java.md5', severity: 'HIGH', location: 'src/Md5.java' }), 'SUPPRESSED', 'MD5 only names cache files');
const log4j = held(testFinding({ rule: 'CVE-2021-44228', cve: 'CVE-2021-44228', severity: 'LOW', location: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' }), 'NEW');
log4j.Vulnerabilities![0]!.ExploitAvailable = 'YES';
const expired = held(testFinding({ rule: 'java.xss', severity: 'MEDIUM', location: 'src/View.java' }), 'NEW', 'Suppression expired on 2026-11-30 (.devsecops/suppressions.yaml:3, owner bob): re-opened by the gate.');

describe('the approval notifier applies the scans\' gate', () => {
  const policy = ApprovalPolicySchema.parse({ maxActive: {}, gate: { failOn: 'HIGH' } });

  it('suppressed findings never count; KEV blocks at any severity', () => {
    const verdict = revisionGate([sqli, md5, log4j], policy, TARGET, GATE_NOW);
    expect(verdict.findings.map((f) => [f.rule, f.reasons.map((r) => r.kind)])).toEqual([
      ['java.sqli', ['threshold']],
      ['CVE-2021-44228', ['KEV']],
    ]);
    expect(verdict.suppressed).toEqual([expect.objectContaining({ rule: 'java.md5', by: 'alice@example.org', note: 'MD5 only names cache files' })]);
  });

  it('rejects when the gate fails, and the mail lists what this revision changes with links', () => {
    const active = [sqli, log4j, expired];
    const verdict = revisionGate([...active, md5], policy, TARGET, GATE_NOW);
    const summary = summarizeRevision(active, TARGET, 10);
    const decision = evaluatePolicy(policy, summary, undefined, verdict);
    expect(decision.outcome).toBe('reject');
    expect(decision.reason).toBe(`Rejected by policy: ${verdict.summary}.`);
    const changes = revisionChanges(active, [md5], [], TARGET);
    expect(changes.added.map((f) => f.id)).toEqual(active.map((f) => f.Id));
    expect(changes.suppressed.map((f) => f.note)).toEqual(['alice@example.org: MD5 only names cache files']);
    expect(changes.expired.map((f) => f.id)).toEqual([expired.Id]);
    expect(changes.kev.map((f) => f.id)).toEqual([log4j.Id]);
    const mail = composeMail({ message: approvalMessage(), partition: 'aws', summary, changes, gate: verdict, decision, rejection: { status: 'rejected' } });
    expect(mail.body).toContain('What this revision changes:');
    expect(mail.body).toContain('Suppressed (1):\n  [HIGH] semgrep: java.md5 in src/Md5.java (src/Md5.java:1) - alice@example.org: MD5 only names cache files\n    https://');
    expect(mail.body).toContain('Known exploited (CISA KEV) (1):');
    expect(mail.body).toContain(verdict.summary);
  });

  it('without a gate in the policy the verdict never rejects', () => {
    const none = ApprovalPolicySchema.parse({});
    const verdict = revisionGate([sqli, log4j], none, TARGET, GATE_NOW);
    expect(verdict.passed).toBe(true);
  });
});
