import { COMMIT, TARGET, TOKEN, approvalMessage, scanFinding } from './__fixtures__/approval';
import { summarizeRevision } from './findings';
import { composeMail, rejectionSummary, reviewLink, type MailInput } from './mail';
import { DEFAULT_APPROVAL_POLICY, evaluatePolicy } from './policy';

const located = { pipelineExecutionId: 'exec-1', repository: 'patient-portal', branch: 'main', revision: { revisionId: COMMIT, revisionUrl: 'https://example.com/commit' } };

function input(overrides: Partial<MailInput> = {}): MailInput {
  const summary = summarizeRevision([scanFinding(1, 'CRITICAL'), scanFinding(2, 'HIGH', { tool: 'sonarqube' })], TARGET, 10);
  const decision = evaluatePolicy(DEFAULT_APPROVAL_POLICY, summary);
  return { message: approvalMessage(), partition: 'aws', located, summary, decision, rejection: { status: 'rejected' }, ...overrides };
}

describe('composeMail', () => {
  it('names pipeline, stage, commit, counts, top findings with links, the decision and the review link', () => {
    // Act
    const mail = composeMail(input());
    // Assert
    expect(mail.subject).toBe('Rejected: patient-portal-pipeline/Manual-Approval @ 0123456789ab - 1 CRITICAL, 1 HIGH');
    expect(mail.body).toContain('Pipeline: patient-portal-pipeline');
    expect(mail.body).toContain('Stage: Manual-Approval, action: ApprovalRequired');
    expect(mail.body).toContain(`Commit: ${COMMIT}`);
    expect(mail.body).toContain('By severity: CRITICAL 1, HIGH 1, MEDIUM 0, LOW 0, INFORMATIONAL 0');
    expect(mail.body).toContain('  sonarqube: CRITICAL 0, HIGH 1');
    expect(mail.body).toMatch(/1\. \[CRITICAL\] dependency-check: Problem 1 \(critical\).*\n   https:\/\/console\.aws\.amazon\.com\/securityhub\/home\?region=us-east-1#\/findings\?search=Id/);
    expect(mail.body).toContain('Decision: REJECTED automatically. Rejected by policy: 1 active CRITICAL (limit 0).');
    expect(mail.body).toContain('Review: https://console.aws.amazon.com/codepipeline/home?region=us-east-1#/view/patient-portal-pipeline');
  });

  it('never contains the approval token, even where the pipeline put it', () => {
    // Arrange: the review link embeds the token; a careless pipeline author also put it in customData
    const message = approvalMessage({ customData: `token ${TOKEN}`, externalEntityLink: `https://x.example.com/?t=${TOKEN}` });
    // Act
    const mail = composeMail(input({ message }));
    // Assert
    expect(mail.body).not.toContain(TOKEN);
    expect(mail.subject).not.toContain(TOKEN);
  });

  it('says the findings could not be read and that a person decides', () => {
    // Arrange
    const decision = evaluatePolicy(DEFAULT_APPROVAL_POLICY, undefined, 'Security Hub could not be read: TimeoutError: socket hang up');
    // Act
    const mail = composeMail(input({ summary: undefined, findingsProblem: 'Security Hub could not be read: TimeoutError: socket hang up', decision, rejection: { status: 'not-attempted' } }));
    // Assert
    expect(mail.subject).toBe('Approval needed: patient-portal-pipeline/Manual-Approval @ 0123456789ab - findings unavailable');
    expect(mail.body).toContain('Findings: could not be read. Security Hub could not be read: TimeoutError: socket hang up');
    expect(mail.body).toContain('auto-rejection never happens on missing data');
  });

  it('asks for a manual rejection when the automatic one failed', () => {
    const mail = composeMail(input({ rejection: { status: 'failed', code: 'InvalidApprovalTokenException', message: 'bad token' } }));
    expect(mail.subject).toMatch(/^Rejection failed:/);
    expect(mail.body).toContain('the automatic rejection failed (InvalidApprovalTokenException: bad token)');
  });

  it('redacts credentials the pipeline author put in customData', () => {
    const mail = composeMail(input({ message: approvalMessage({ customData: 'use password=hunter2 and AKIAIOSFODNN7EXAMPLE' }) }));
    expect(mail.body).not.toContain('hunter2');
    expect(mail.body).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });
});

describe('reviewLink', () => {
  it('passes the console review link through when it does not embed the token', () => {
    const message = approvalMessage({ approvalReviewLink: 'https://console.aws.amazon.com/codesuite/codepipeline/pipelines/p/view?region=us-east-1' });
    expect(reviewLink(message, 'aws')).toBe('https://console.aws.amazon.com/codesuite/codepipeline/pipelines/p/view?region=us-east-1');
  });

  it('uses the console pipeline page of the partition when no link is usable', () => {
    const message = { ...approvalMessage(), consoleLink: undefined, region: 'us-gov-west-1' };
    expect(reviewLink(message, 'aws-us-gov')).toBe('https://console.amazonaws-us-gov.com/codesuite/codepipeline/pipelines/patient-portal-pipeline/view?region=us-gov-west-1');
  });
});

describe('rejectionSummary', () => {
  it('fits PutApprovalResult (512 characters) and names the commit', () => {
    // Arrange
    const decision = { outcome: 'reject' as const, violations: [], reason: 'x'.repeat(600) };
    // Act
    const summary = rejectionSummary(decision, located, TOKEN);
    // Assert
    expect(summary.length).toBeLessThanOrEqual(512);
    expect(rejectionSummary({ ...decision, reason: 'Rejected by policy: 1 active CRITICAL (limit 0).' }, located, TOKEN)).toBe(
      'Rejected by policy: 1 active CRITICAL (limit 0). Commit 0123456789ab of patient-portal@main. Automatic rejection by the devsecops approval policy; details were mailed to the approvers.',
    );
  });
});
