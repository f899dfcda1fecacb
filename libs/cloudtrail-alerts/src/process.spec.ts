import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ALERT_TOPIC, EXPECTED_PIPELINE, TARGET, putParameter, stopLogging, updatePipeline } from './__fixtures__/events';
import { alerterConfigFromEnv } from './config';
import { AlertDeliveryError, processCloudTrailEvent, type AlerterDependencies } from './process';

const securityHub = mockClient(SecurityHubClient);
const sns = mockClient(SNSClient);
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function deps(env: Record<string, string> = {}): AlerterDependencies {
  return {
    securityHub: new SecurityHubClient({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    config: alerterConfigFromEnv({ ALERT_TOPIC_ARN: ALERT_TOPIC, EXPECTED_PIPELINE, ...env }),
    target: TARGET,
    logger: silent,
  };
}

beforeEach(() => {
  securityHub.reset();
  sns.reset();
  securityHub.on(BatchImportFindingsCommand).resolves({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] });
  sns.on(PublishCommand).resolves({ MessageId: 'alert-1' });
});

describe('processCloudTrailEvent', () => {
  it('imports a finding and mails the alert', async () => {
    // Act
    const outcome = await processCloudTrailEvent(stopLogging(), deps());
    // Assert
    expect(outcome).toMatchObject({ status: 'alerted', severity: 'CRITICAL', imported: true, mailed: true, mailMessageId: 'alert-1' });
    expect(securityHub).toHaveReceivedCommandWith(BatchImportFindingsCommand, { Findings: [expect.objectContaining({ Id: (outcome as { findingId: string }).findingId })] });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, { TopicArn: ALERT_TOPIC, Subject: expect.stringMatching(/^\[CRITICAL\] StopLogging/) });
  });

  it('ignores changes to resources it does not watch', async () => {
    const outcome = await processCloudTrailEvent(putParameter(), deps({ WATCHED_PARAMETERS: '/other/*' }));
    expect(outcome).toEqual({ status: 'ignored', eventId: 'evt-PutParameter-0001', eventName: 'PutParameter', reason: 'no watched resource' });
    expect(securityHub).not.toHaveReceivedCommand(BatchImportFindingsCommand);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('imports but does not mail below the mail threshold', async () => {
    const outcome = await processCloudTrailEvent(updatePipeline(), deps({ ALERT_MIN_SEVERITY: 'MEDIUM' }));
    expect(outcome).toMatchObject({ severity: 'LOW', imported: true, mailed: false });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('still mails when Security Hub refuses the finding, then fails so the event is retried', async () => {
    // Arrange
    securityHub.on(BatchImportFindingsCommand).resolves({ SuccessCount: 0, FailedCount: 1, FailedFindings: [{ Id: 'x', ErrorCode: 'InvalidAccess', ErrorMessage: 'Security Hub is not enabled' }] });
    // Act
    const error = (await processCloudTrailEvent(stopLogging(), deps()).catch((e: unknown) => e)) as AlertDeliveryError;
    // Assert
    expect(error).toBeInstanceOf(AlertDeliveryError);
    expect(error.message).toContain('Security Hub import failed: InvalidAccess: Security Hub is not enabled');
    expect(error.outcome).toMatchObject({ imported: false, mailed: true });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('fails when the alert cannot be mailed', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottledException' }));
    await expect(processCloudTrailEvent(stopLogging(), deps())).rejects.toThrow(/SNS publish failed: ThrottledException: throttled/);
  });

  it('skips the import when configured so', async () => {
    const outcome = await processCloudTrailEvent(stopLogging(), deps({ IMPORT_FINDINGS: 'false' }));
    expect(outcome).toMatchObject({ imported: false, mailed: true });
    expect(securityHub).not.toHaveReceivedCommand(BatchImportFindingsCommand);
  });

  it('ignores read-only calls', async () => {
    expect(await processCloudTrailEvent({ ...stopLogging(), readOnly: true }, deps())).toMatchObject({ status: 'ignored', reason: 'read-only call' });
  });
});
