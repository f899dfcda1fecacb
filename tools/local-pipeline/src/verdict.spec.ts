import type { AwsSecurityFinding } from '@devsecops/asff';
import type { TimelineStep } from './runner';
import { verdictLines } from './verdict';

const gate = (stage: string, passed: boolean, blocking: { tool: string; blocking: number }[] = []): TimelineStep => ({
  stage,
  title: `${stage} gate`,
  startedAt: 0,
  durationMs: 0,
  status: 'ok',
  detail: { kind: 'gate', passed, failOn: ['HIGH'], blocking },
});
const approval = (status?: string): TimelineStep => ({
  stage: 'Approval',
  title: 'Approval notifier',
  startedAt: 0,
  durationMs: 0,
  status: 'ok',
  detail: { kind: 'approval', ...(status ? { decision: { pipelineName: 'p', stageName: 'Approval', actionName: 'a', status, summary: 'Rejected by policy: 3 active HIGH (limit 0)' } } : {}) },
});
const context = { reportPath: 'tmp/local-pipeline/report.html', storePath: 'tmp/local-pipeline/securityhub.json', region: 'eu-west-1' };

describe('verdictLines', () => {
  it('says where the pipeline would have stopped and why, and that later steps ran only for the demo', () => {
    // Arrange
    const steps = [gate('Scan', false, [{ tool: 'dependency-check', blocking: 5 }, { tool: 'semgrep', blocking: 4 }]), gate('DAST', false, [{ tool: 'zap', blocking: 1 }]), approval('Rejected')];

    // Act
    const lines = verdictLines({ steps, findings: [] }, context);

    // Assert
    expect(lines).toContain('    Scan        FAILED (9 blocking: 5 dependency-check, 4 semgrep; fail on HIGH) → stopped before staging');
    expect(lines.find((l) => l.includes('DAST'))).toContain('shown here anyway');
    expect(lines.find((l) => l.includes('Approval '))).toContain('auto-rejected by policy: "Rejected by policy: 3 active HIGH (limit 0)"');
    expect(lines).toContain('    Production  not deployed (stopped at Scan)');
    expect(lines).toContain('      npx findings convert your-report.json --format html --output report.html');
  });

  it('fails closed when a gate gave no answer, and deploys only when every gate passed', () => {
    // Act
    const unanswered = verdictLines({ steps: [gate('DAST', true), approval()], findings: [] }, context);
    const clean = verdictLines({ steps: [gate('Scan', true), gate('DAST', true), approval()], findings: [] }, context);

    // Assert
    expect(unanswered.find((l) => l.includes('Scan '))).toContain('FAILED, the gate fails closed');
    expect(clean).toContain('    Production  deployed after approval');
  });

  it('explains the findings that are not active', () => {
    // Arrange
    const suppressed: AwsSecurityFinding = {
      Id: 'x',
      Workflow: { Status: 'SUPPRESSED' },
      RecordState: 'ARCHIVED',
      ProductFields: { 'devsecops/Tool': 'dependency-check' },
      Vulnerabilities: [{ Id: 'CVE-2022-42889', VulnerablePackages: [{ Name: 'org.apache.commons:commons-text' }] }],
    } as unknown as AwsSecurityFinding;
    const fixed = { Id: 'y', RecordState: 'ARCHIVED', ProductFields: { 'devsecops/Tool': 'zap' } } as unknown as AwsSecurityFinding;
    const reviewed = { Id: 'z', Title: 'Weak hashing', RecordState: 'ARCHIVED', ProductFields: { 'devsecops/Tool': 'sonarqube', 'devsecops/State': 'RESOLVED', 'devsecops/StateReason': 'reviewed as safe' } } as unknown as AwsSecurityFinding;

    // Act
    const lines = verdictLines({ steps: [gate('Scan', true), gate('DAST', true)], findings: [suppressed, fixed, reviewed] }, context);

    // Assert
    expect(lines).toContain('      1 suppressed in Dependency-Check: commons-text CVE-2022-42889');
    expect(lines).toContain('      1 archived: fixed, no longer reported by the latest scan of their tool');
    expect(lines).toContain('      1 closed in SonarQube: Weak hashing (reviewed as safe)');
  });
});
