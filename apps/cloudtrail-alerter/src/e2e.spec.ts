import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { validateFinding } from '@devsecops/asff';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { mockClient } from 'aws-sdk-client-mock';
import { captureConsole, lambdaContext as contextFor } from '../../../libs/approval/src/__fixtures__/lambda';
import { ACCESS_KEY, ALERT_TOPIC, SECRET_KEY, createProject, eventBridge, stopLogging } from '../../../libs/cloudtrail-alerts/src/__fixtures__/events';

/** The handler with the real Security Hub client against securityhub-local; SNS is mocked. */
const lambdaContext = contextFor('cloudtrail-alerter');
const sns = mockClient(SNSClient);
let local: SecurityHubLocal;
let main: typeof import('./main');

beforeAll(async () => {
  local = await startSecurityHubLocal({ port: 0, throttling: false, accountId: '123456789012' });
  process.env.SECURITYHUB_ENDPOINT = local.endpoint;
  process.env.ALERT_TOPIC_ARN = ALERT_TOPIC;
  main = await import('./main');
});

afterAll(async () => {
  await local.close();
  delete process.env.SECURITYHUB_ENDPOINT;
  delete process.env.ALERT_TOPIC_ARN;
});

beforeEach(() => {
  local.reset();
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'a-1' });
});

describe('cloudtrail-alerter against securityhub-local', () => {
  it('puts a StopLogging alert in the same pane as the scan findings, once per event', async () => {
    // Act: the same event delivered twice (EventBridge is at-least-once)
    await captureConsole(() => main.handler(eventBridge(stopLogging()), lambdaContext));
    await captureConsole(() => main.handler(eventBridge(stopLogging()), lambdaContext));
    // Assert
    const stored = local.findings();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      Severity: { Label: 'CRITICAL' },
      Types: ['TTPs/Defense Evasion/StopLogging'],
      Resources: [expect.objectContaining({ Type: 'AwsCloudTrailTrail', Id: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/patient-portal-trail' })],
      ProductFields: expect.objectContaining({ 'devsecops/Tool': 'cloudtrail-alerter' }),
    });
    expect(validateFinding(stored[0]!)).toEqual([]);
    expect(local.stats().imports).toMatchObject({ created: 1, failed: 0 });
  });

  it('stores no CodeBuild environment value, and the finding is found by the usual filters', async () => {
    // Act
    const { error } = await captureConsole(() => main.handler(eventBridge(createProject()), lambdaContext));
    // Assert
    expect(error).toBeUndefined();
    const client = new SecurityHubClient({ endpoint: local.endpoint, region: 'us-east-1' });
    const { Findings } = await client.send(new GetFindingsCommand({ Filters: { ResourceType: [{ Value: 'AwsCodeBuildProject', Comparison: 'EQUALS' }], SeverityLabel: [{ Value: 'HIGH', Comparison: 'EQUALS' }] } }));
    client.destroy();
    expect(Findings).toHaveLength(1);
    const text = JSON.stringify(Findings);
    expect(text).not.toContain(ACCESS_KEY);
    expect(text).not.toContain(SECRET_KEY);
    expect(Findings![0]!.Types).toContain('Sensitive Data Identifications/Passwords');
  });
});
