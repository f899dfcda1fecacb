import {
  ApprovalAlreadyCompletedException,
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  InvalidApprovalTokenException,
  PutApprovalResultCommand,
} from '@aws-sdk/client-codepipeline';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { APPROVERS_TOPIC, COMMIT, TARGET, TOKEN, approvalMessage, pipelineDeclaration, pipelineExecution, pipelineState, scanFinding } from './__fixtures__/approval';
import { approvalConfigFromEnv } from './config';
import { notifyApprovers, type NotifierDependencies } from './notify';

const codePipeline = mockClient(CodePipelineClient);
const securityHub = mockClient(SecurityHubClient);
const sns = mockClient(SNSClient);

function deps(env: Record<string, string> = {}): NotifierDependencies & { logged: string[] } {
  const logged: string[] = [];
  const log = (message: string, ...extra: unknown[]) => void logged.push(JSON.stringify([message, ...extra]));
  return {
    codePipeline: () => new CodePipelineClient({ region: 'us-east-1' }),
    securityHub: new SecurityHubClient({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    config: approvalConfigFromEnv({ APPROVERS_TOPIC_ARN: APPROVERS_TOPIC, ...env }),
    target: TARGET,
    logger: { debug: log, info: log, warn: log, error: log },
    limiter: { acquire: async () => undefined, drain: () => undefined },
    logged,
  };
}

function published(): { Subject?: string; Message?: string; TopicArn?: string } {
  const calls = sns.commandCalls(PublishCommand);
  expect(calls).toHaveLength(1);
  return calls[0]!.args[0].input;
}

beforeEach(() => {
  codePipeline.reset();
  securityHub.reset();
  sns.reset();
  codePipeline.on(GetPipelineStateCommand).resolves(pipelineState());
  codePipeline.on(GetPipelineExecutionCommand).resolves(pipelineExecution());
  codePipeline.on(GetPipelineCommand).resolves(pipelineDeclaration());
  codePipeline.on(PutApprovalResultCommand).resolves({ approvedAt: new Date('2026-11-22T12:00:00Z') });
  sns.on(PublishCommand).resolves({ MessageId: 'mail-1' });
});

describe('notifyApprovers', () => {
  it('rejects a commit with an active CRITICAL and mails why', async () => {
    // Arrange
    securityHub.on(GetFindingsCommand).resolves({ Findings: [scanFinding(1, 'CRITICAL'), scanFinding(2, 'MEDIUM')] });
    const d = deps();
    // Act
    const outcome = await notifyApprovers(approvalMessage(), d);
    // Assert
    expect(outcome).toMatchObject({ commit: COMMIT, decision: 'reject', rejection: 'rejected', mailMessageId: 'mail-1', findings: { total: 2 } });
    expect(codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, {
      pipelineName: 'patient-portal-pipeline',
      stageName: 'Manual-Approval',
      actionName: 'ApprovalRequired',
      token: TOKEN,
      result: { status: 'Rejected', summary: expect.stringContaining('1 active CRITICAL') },
    });
    expect(securityHub).toHaveReceivedCommandWith(GetFindingsCommand, {
      Filters: expect.objectContaining({ ProductFields: expect.arrayContaining([{ Key: 'devsecops/Commit', Value: COMMIT, Comparison: 'EQUALS' }]) }),
    });
    const mail = published();
    expect(mail.TopicArn).toBe(APPROVERS_TOPIC);
    expect(mail.Subject).toMatch(/^Rejected:/);
    expect(mail.Message).toContain('REJECTED automatically');
  });

  it('leaves a clean commit to the approvers without calling PutApprovalResult', async () => {
    securityHub.on(GetFindingsCommand).resolves({ Findings: [scanFinding(1, 'HIGH')] });
    const outcome = await notifyApprovers(approvalMessage(), deps());
    expect(outcome).toMatchObject({ decision: 'manual', rejection: 'not-attempted' });
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(published().Subject).toBe('Approval needed: patient-portal-pipeline/Manual-Approval @ 0123456789ab - 1 HIGH');
  });

  it('still mails when Security Hub is unreachable, says so, and does not reject', async () => {
    // Arrange
    securityHub.on(GetFindingsCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { name: 'TimeoutError' }));
    // Act
    const outcome = await notifyApprovers(approvalMessage(), deps());
    // Assert
    expect(outcome).toMatchObject({ decision: 'manual', rejection: 'not-attempted', findings: { unavailable: expect.stringContaining('TimeoutError') } });
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(published().Message).toContain('Findings: could not be read. Security Hub could not be read: TimeoutError: connect ECONNREFUSED');
  });

  it('still mails when the revision cannot be found, and reads no findings', async () => {
    codePipeline.on(GetPipelineStateCommand).rejects(Object.assign(new Error('Access denied'), { name: 'AccessDeniedException' }));
    const outcome = await notifyApprovers(approvalMessage(), deps());
    expect(outcome).toMatchObject({ decision: 'manual', findings: { unavailable: 'the commit being approved is unknown' } });
    expect(securityHub).not.toHaveReceivedCommand(GetFindingsCommand);
    expect(published().Message).toContain('Commit: unknown (CodePipeline: AccessDeniedException: Access denied)');
  });

  it('treats an approval already completed as done (a retried invocation)', async () => {
    securityHub.on(GetFindingsCommand).resolves({ Findings: [scanFinding(1, 'CRITICAL')] });
    codePipeline.on(PutApprovalResultCommand).rejects(new ApprovalAlreadyCompletedException({ message: 'already completed', $metadata: {} }));
    const outcome = await notifyApprovers(approvalMessage(), deps());
    expect(outcome.rejection).toBe('already-completed');
    expect(published().Message).toContain('had already been completed');
  });

  it('reports a failed rejection in the mail without the token, even if AWS echoes it', async () => {
    // Arrange
    securityHub.on(GetFindingsCommand).resolves({ Findings: [scanFinding(1, 'CRITICAL')] });
    codePipeline.on(PutApprovalResultCommand).rejects(new InvalidApprovalTokenException({ message: `token ${TOKEN} is invalid`, $metadata: {} }));
    const d = deps();
    // Act
    const outcome = await notifyApprovers(approvalMessage(), d);
    // Assert
    expect(outcome.rejection).toBe('failed');
    const mail = published();
    expect(mail.Message).toContain('InvalidApprovalTokenException');
    expect(mail.Message).not.toContain(TOKEN);
    expect(d.logged.join('\n')).not.toContain(TOKEN);
  });

  it('does not read findings without a repository, and says what to configure', async () => {
    codePipeline.on(GetPipelineCommand).resolves({ pipeline: { name: 'p', roleArn: 'r', stages: [] } });
    const outcome = await notifyApprovers(approvalMessage(), deps());
    expect(outcome.findings).toEqual({ unavailable: expect.stringContaining('repository is unknown (set REPOSITORY/BRANCH') });
    expect(securityHub).not.toHaveReceivedCommand(GetFindingsCommand);
  });

  it("tags each mail with its pipeline's name, so an application's approvers can filter on their own pipeline", async () => {
    securityHub.on(GetFindingsCommand).resolves({ Findings: [] });

    await notifyApprovers(approvalMessage(), deps());

    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.MessageAttributes).toEqual({ pipeline: { DataType: 'String', StringValue: approvalMessage().approval.pipelineName } });
  });

  it('fails when the mail cannot be sent, so that Lambda retries', async () => {
    securityHub.on(GetFindingsCommand).resolves({ Findings: [] });
    sns.on(PublishCommand).rejects(Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException' }));
    await expect(notifyApprovers(approvalMessage(), deps())).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});
