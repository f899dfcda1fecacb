import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { HandlerError } from '@devsecops/lambda-middleware';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { captureConsole, lambdaContext as contextFor } from '../../../libs/approval/src/__fixtures__/lambda';
import { ACCESS_KEY, ALERT_TOPIC, EXPECTED_PIPELINE, SECRET_KEY, SONAR_TOKEN, createProject, eventBridge, putParameter, stopLogging, updatePipeline } from '../../../libs/cloudtrail-alerts/src/__fixtures__/events';
import { consoleUpdateTrail, createProjectFromResponse, sendCommand } from '../../../libs/cloudtrail-alerts/src/__fixtures__/real-records';

const lambdaContext = contextFor('cloudtrail-alerter');
const securityHub = mockClient(SecurityHubClient);
const sns = mockClient(SNSClient);
let main: typeof import('./main');

beforeAll(async () => {
  process.env.ALERT_TOPIC_ARN = ALERT_TOPIC;
  process.env.EXPECTED_PIPELINE = EXPECTED_PIPELINE;
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
  main = await import('./main');
});

afterAll(() => {
  delete process.env.ALERT_TOPIC_ARN;
  delete process.env.EXPECTED_PIPELINE;
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  delete process.env.POWERTOOLS_LOGGER_LOG_EVENT;
});

beforeEach(() => {
  securityHub.reset();
  sns.reset();
  securityHub.on(BatchImportFindingsCommand).resolves({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] });
  sns.on(PublishCommand).resolves({ MessageId: 'a-1' });
});

describe('cloudtrail-alerter handler', () => {
  it('alerts on an UpdatePipeline that removes the approval', async () => {
    // Act
    const { result } = await captureConsole(() => main.handler(eventBridge(updatePipeline({ withoutApproval: true })), lambdaContext));
    // Assert
    expect(result).toMatchObject({ status: 'alerted', eventName: 'UpdatePipeline', severity: 'CRITICAL', imported: true, mailed: true });
    const mail = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(mail.Message).toContain('Why: updates pipeline patient-portal-pipeline: removes stage Manual-Approval; updates pipeline patient-portal-pipeline: removes approval action ApprovalRequired');
  });

  it('rates a console trail edit that changes nothing MEDIUM Audit Trail Change, not HIGH Defense Evasion', async () => {
    // Act
    const { result } = await captureConsole(() => main.handler(eventBridge(consoleUpdateTrail()), lambdaContext));
    // Assert
    expect(result).toMatchObject({ status: 'alerted', eventName: 'UpdateTrail', severity: 'MEDIUM' });
    const finding = securityHub.commandCalls(BatchImportFindingsCommand)[0]!.args[0].input.Findings![0]!;
    expect(finding.Types).toEqual(['Software and Configuration Checks/AWS Security Best Practices/Audit Trail Change']);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input.Subject).toMatch(/^\[MEDIUM\] UpdateTrail on trail patient-portal-trail/);
  });

  it('alerts on SSM SendCommand as Execution and on a CodeBuild CreateProject named only in its response', async () => {
    // Act
    const command = await captureConsole(() => main.handler(eventBridge(sendCommand()), lambdaContext));
    const project = await captureConsole(() => main.handler(eventBridge(createProjectFromResponse()), lambdaContext));
    // Assert
    expect(command.result).toMatchObject({ eventName: 'SendCommand', severity: 'MEDIUM' });
    expect(project.result).toMatchObject({ eventName: 'CreateProject', severity: 'HIGH' });
    const [commandFinding, projectFinding] = securityHub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings![0]!);
    expect(commandFinding!.Types).toEqual(['TTPs/Execution']);
    expect(projectFinding!.Title).toMatch(/^CreateProject on project patient-portal-sca by /);
    expect(projectFinding!.Resources![0]).toMatchObject({ Type: 'AwsCodeBuildProject', Id: 'arn:aws:codebuild:us-east-1:123456789012:project/patient-portal-sca' });
    expect(JSON.stringify(securityHub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input)) + project.output).not.toContain(ACCESS_KEY);
  });

  it('keeps secrets out of logs, alerts and findings, even with DEBUG and event logging on', async () => {
    // Act
    const outputs: string[] = [];
    for (const detail of [createProject(), putParameter('String'), updatePipeline()]) {
      const { output, error } = await captureConsole(() => main.handler(eventBridge(detail), lambdaContext));
      expect(error).toBeUndefined();
      outputs.push(output);
    }
    // Assert
    const sent = JSON.stringify([...securityHub.commandCalls(BatchImportFindingsCommand), ...sns.commandCalls(PublishCommand)].map((c) => c.args[0].input));
    const everything = outputs.join('\n') + sent;
    expect(everything).toContain('Alert delivered');
    for (const secret of [ACCESS_KEY, SECRET_KEY, SONAR_TOKEN]) expect(everything).not.toContain(secret);
  });

  it('refuses an event that is not a CloudTrail API call', async () => {
    const { error } = await captureConsole(() => main.handler({ ...eventBridge(stopLogging()), 'detail-type': 'EC2 Instance State-change Notification' }, lambdaContext));
    expect(error).toBeInstanceOf(HandlerError);
    expect(error).toMatchObject({ name: 'InvalidEvent', message: expect.stringContaining('detail-type') });
  });

  it('fails with AlertNotDelivered when Security Hub is down, after mailing', async () => {
    securityHub.on(BatchImportFindingsCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'InternalException' }));
    const { error } = await captureConsole(() => main.handler(eventBridge(stopLogging()), lambdaContext));
    expect(error).toMatchObject({ name: 'AlertNotDelivered', message: expect.stringContaining('Security Hub import failed: InternalException') });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });
});
