import {
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  PutApprovalResultCommand,
} from '@aws-sdk/client-codepipeline';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { HandlerError } from '@devsecops/lambda-middleware';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { APPROVERS_TOPIC, TOKEN, approvalMessage, pipelineDeclaration, pipelineExecution, pipelineState, scanFinding, snsEvent } from '../../../libs/approval/src/__fixtures__/approval';
import { captureConsole, lambdaContext as contextFor } from '../../../libs/approval/src/__fixtures__/lambda';
import { CODESTAR_APPROVAL_ACTION_STARTED, CODESTAR_PIPELINE_SUCCEEDED, PLAIN_TEXT } from '../../../libs/approval/src/__fixtures__/topic-messages';

const lambdaContext = contextFor('approval-notifier');

const codePipeline = mockClient(CodePipelineClient);
const securityHub = mockClient(SecurityHubClient);
const sns = mockClient(SNSClient);

let main: typeof import('./main');

beforeAll(async () => {
  process.env.APPROVERS_TOPIC_ARN = APPROVERS_TOPIC;
  // The most talkative settings: even then the token must not be logged.
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
  main = await import('./main');
});

afterAll(() => {
  delete process.env.APPROVERS_TOPIC_ARN;
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  delete process.env.POWERTOOLS_LOGGER_LOG_EVENT;
});

beforeEach(() => {
  codePipeline.reset();
  securityHub.reset();
  sns.reset();
  codePipeline.on(GetPipelineStateCommand).resolves(pipelineState());
  codePipeline.on(GetPipelineExecutionCommand).resolves(pipelineExecution());
  codePipeline.on(GetPipelineCommand).resolves(pipelineDeclaration());
  codePipeline.on(PutApprovalResultCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('approval-notifier handler', () => {
  it('notifies the approvers of each approval in the SNS event', async () => {
    // Arrange
    securityHub.on(GetFindingsCommand).resolves({ Findings: [scanFinding(1, 'HIGH')] });
    // Act
    const { result } = await captureConsole(() => main.handler(snsEvent(), lambdaContext));
    // Assert
    expect(result).toEqual({ notified: [expect.objectContaining({ pipelineName: 'patient-portal-pipeline', decision: 'manual', mailMessageId: 'm-1' })] });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('never logs the approval token nor mails it, with DEBUG logging and event logging switched on', async () => {
    // Arrange: a rejection (the token is sent to PutApprovalResult) and an AWS error that echoes the token
    securityHub.on(GetFindingsCommand).resolves({ Findings: [scanFinding(1, 'CRITICAL')] });
    codePipeline.on(PutApprovalResultCommand).rejects(Object.assign(new Error(`Invalid token ${TOKEN}`), { name: 'InvalidApprovalTokenException' }));
    // Act
    const { result, output } = await captureConsole(() => main.handler(snsEvent(), lambdaContext));
    // Assert
    expect(result).toBeDefined();
    expect(output).toContain('Approvers notified'); // the logger did write
    expect(output).not.toContain(TOKEN);
    const mail = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(`${mail.Subject}\n${mail.Message}`).not.toContain(TOKEN);
    expect(codePipeline).toHaveReceivedCommandWith(PutApprovalResultCommand, { token: TOKEN });
  });

  it('refuses an event that is not an approval notification, without echoing the token', async () => {
    // Act
    const { error, output } = await captureConsole(() => main.handler(snsEvent({ region: 'us-east-1', approval: { token: TOKEN } }), lambdaContext));
    // Assert
    expect(error).toBeInstanceOf(HandlerError);
    expect((error as HandlerError).name).toBe('InvalidEvent');
    expect((error as HandlerError).message).toMatch(/pipelineName/);
    expect((error as HandlerError).message + output).not.toContain(TOKEN);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it.each([
    ['a CodeStar notification of the approval action', CODESTAR_APPROVAL_ACTION_STARTED, 'a CodeStar Notifications message'],
    ['a CodeStar notification of the pipeline', CODESTAR_PIPELINE_SUCCEEDED, 'a CodeStar Notifications message'],
    ['a plain-text test message', PLAIN_TEXT, 'not a JSON document (plain text)'],
  ])('logs and ignores %s on the approval topic, with no error (no retry, no alarm) and no call', async (_, message, reason) => {
    // Act
    const { result, error, output } = await captureConsole(() => main.handler(snsEvent(message), lambdaContext));
    // Assert
    expect(error).toBeUndefined();
    expect(result).toEqual({ notified: [], ignored: [{ messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e', reason }] });
    expect(output).toContain('Not an approval request: ignored');
    expect(codePipeline.calls()).toHaveLength(0);
    expect(securityHub.calls()).toHaveLength(0);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('skips an SNS record that is not a Notification (a subscription notice) and still handles the approval beside it', async () => {
    // Arrange
    securityHub.on(GetFindingsCommand).resolves({ Findings: [] });
    const event = snsEvent();
    const notice = (snsEvent('You have chosen to subscribe to the topic').Records as Array<{ Sns: Record<string, unknown> }>)[0]!;
    notice.Sns = { ...notice.Sns, Type: 'SubscriptionConfirmation', MessageId: 'notice-1' };
    (event.Records as unknown[]).unshift(notice);
    // Act
    const { result, error } = await captureConsole(() => main.handler(event, lambdaContext));
    // Assert
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ notified: [expect.objectContaining({ pipelineName: 'patient-portal-pipeline' })], ignored: [{ messageId: 'notice-1' }] });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('fails with NotificationFailed when the mail cannot be sent, after trying every record', async () => {
    // Arrange
    securityHub.on(GetFindingsCommand).resolves({ Findings: [] });
    sns.on(PublishCommand).rejects(Object.assign(new Error('Authorization error'), { name: 'AuthorizationErrorException' }));
    const event = snsEvent();
    (event.Records as unknown[]).push((snsEvent(approvalMessage({ stageName: 'Prod-Approval' })).Records as unknown[])[0]);
    // Act
    const { error } = await captureConsole(() => main.handler(event, lambdaContext));
    // Assert
    expect(error).toMatchObject({ name: 'NotificationFailed' });
    expect((error as Error).message).toContain('patient-portal-pipeline/Manual-Approval: AuthorizationErrorException');
    expect((error as Error).message).toContain('patient-portal-pipeline/Prod-Approval');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });
});
