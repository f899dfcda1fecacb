import {
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  PutApprovalResultCommand,
} from '@aws-sdk/client-codepipeline';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { APPROVERS_TOPIC, COMMIT, TOKEN, pipelineDeclaration, pipelineExecution, pipelineState, scanFinding, snsEvent } from '../../../libs/approval/src/__fixtures__/approval';
import { captureConsole, lambdaContext as contextFor } from '../../../libs/approval/src/__fixtures__/lambda';

const lambdaContext = contextFor('approval-notifier');

/** The handler with the real Security Hub client against securityhub-local; CodePipeline and SNS are mocked. */
let local: SecurityHubLocal;
let main: typeof import('./main');
const codePipeline = mockClient(CodePipelineClient);
const sns = mockClient(SNSClient);

beforeAll(async () => {
  local = await startSecurityHubLocal({ port: 0, throttling: false });
  process.env.SECURITYHUB_ENDPOINT = local.endpoint;
  process.env.APPROVERS_TOPIC_ARN = APPROVERS_TOPIC;
  process.env.APPROVAL_POLICY = JSON.stringify({ maxActive: { CRITICAL: 0, HIGH: 500 } });
  main = await import('./main');
});

afterAll(async () => {
  await local.close();
  for (const key of ['SECURITYHUB_ENDPOINT', 'APPROVERS_TOPIC_ARN', 'APPROVAL_POLICY']) delete process.env[key];
});

beforeEach(() => {
  local.reset();
  local.setFaults();
  codePipeline.reset();
  sns.reset();
  codePipeline.on(GetPipelineStateCommand).resolves(pipelineState());
  codePipeline.on(GetPipelineExecutionCommand).resolves(pipelineExecution());
  codePipeline.on(GetPipelineCommand).resolves(pipelineDeclaration());
  codePipeline.on(PutApprovalResultCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

function mail() {
  return sns.commandCalls(PublishCommand)[0]!.args[0].input;
}

describe('approval-notifier against securityhub-local', () => {
  it('reads every page of the commit’s active findings and ignores other commits, archived and suppressed ones', async () => {
    // Arrange: 230 HIGH findings of the commit (3 pages), one archived CRITICAL, one suppressed CRITICAL, one on another commit
    const ours = Array.from({ length: 230 }, (_, i) => scanFinding(i, 'HIGH', { tool: i % 2 ? 'sonarqube' : 'zap' }));
    local.importFindings([
      ...ours,
      { ...scanFinding(1000, 'CRITICAL'), RecordState: 'ARCHIVED' },
      { ...scanFinding(1001, 'CRITICAL'), Workflow: { Status: 'SUPPRESSED' } },
      scanFinding(1002, 'CRITICAL', { commit: 'f'.repeat(40) }),
    ]);
    // Act
    const { result } = await captureConsole(() => main.handler(snsEvent(), lambdaContext));
    // Assert
    expect(result).toEqual({
      notified: [expect.objectContaining({ commit: COMMIT, decision: 'manual', findings: expect.objectContaining({ total: 230, complete: true }) })],
    });
    // 3 pages of the commit's findings, then one read of what the revision fixed (the mail's "Fixed" list).
    expect(local.stats().requests.GetFindings).toBe(4);
    expect(mail().Message).toContain('By severity: CRITICAL 0, HIGH 230');
    expect(mail().Message).toContain('  sonarqube: CRITICAL 0, HIGH 115');
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
  });

  it('stays within the GetFindings quota (3 rps, burst 6) over many pages', async () => {
    // Arrange: 750 findings = 8 pages, more than the burst; the server enforces the real quotas
    local.importFindings(Array.from({ length: 750 }, (_, i) => scanFinding(i, 'LOW')));
    local.setThrottling(true);
    // Act
    const { result } = await captureConsole(() => main.handler(snsEvent(), lambdaContext));
    local.setThrottling(false);
    // Assert
    expect(result).toEqual({ notified: [expect.objectContaining({ findings: expect.objectContaining({ total: 750, complete: true }) })] });
    // 8 pages, then one read of what the revision fixed, through the same limiter.
    expect(local.stats().requests.GetFindings).toBe(9);
    expect(local.stats().throttled).toBe(0);
  });

  it('rejects the approval when the commit has an active CRITICAL finding', async () => {
    // Arrange
    local.importFindings([scanFinding(1, 'CRITICAL'), scanFinding(2, 'LOW')]);
    // Act
    const { result } = await captureConsole(() => main.handler(snsEvent(), lambdaContext));
    // Assert
    expect(result).toEqual({ notified: [expect.objectContaining({ decision: 'reject', rejection: 'rejected' })] });
    expect(codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, { token: TOKEN, result: { status: 'Rejected', summary: expect.any(String) } });
    expect(mail().Subject).toBe('Rejected: patient-portal-pipeline/Manual-Approval @ 0123456789ab - 1 CRITICAL, 1 LOW');
    expect(mail().Message).not.toContain(TOKEN);
  });

  it('mails without rejecting when Security Hub keeps failing', async () => {
    // Arrange
    local.importFindings([scanFinding(1, 'CRITICAL')]);
    local.setFaults({ serverErrorRate: 1, operations: ['GetFindings'] });
    // Act
    const { result } = await captureConsole(() => main.handler(snsEvent(), lambdaContext));
    // Assert
    expect(result).toEqual({ notified: [expect.objectContaining({ decision: 'manual', rejection: 'not-attempted' })] });
    expect(codePipeline).not.toHaveReceivedCommand(PutApprovalResultCommand);
    expect(mail().Message).toContain('Findings: could not be read. Security Hub could not be read');
  });
});
