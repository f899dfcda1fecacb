import fc from 'fast-check';
import { validateFinding } from '@devsecops/asff';
import { ACCESS_KEY, ALERT_TOPIC, EXPECTED_PIPELINE, SECRET_KEY, SONAR_TOKEN, TARGET, createProject, putParameter, stopLogging, updatePipeline } from './__fixtures__/events';
import { buildAlertFinding, composeAlertMessage } from './alert';
import { alerterConfigFromEnv } from './config';
import { describeChange } from './describe';
import type { CloudTrailDetail } from './event';
import { judgeChange } from './severity';

const config = alerterConfigFromEnv({ ALERT_TOPIC_ARN: ALERT_TOPIC, EXPECTED_PIPELINE });

function alert(detail: CloudTrailDetail) {
  const change = describeChange(detail, TARGET.awsAccountId);
  const judgement = judgeChange(change, detail.requestParameters, config);
  const finding = buildAlertFinding(change, judgement, TARGET);
  return { change, judgement, finding, message: composeAlertMessage(change, judgement, finding, TARGET) };
}

describe('buildAlertFinding', () => {
  it.each([
    ['StopLogging', stopLogging()],
    ['UpdatePipeline', updatePipeline({ withoutScan: true })],
    ['CreateProject', createProject()],
    ['PutParameter', putParameter()],
  ])('builds a valid finding for %s', (_, detail) => {
    expect(validateFinding(alert(detail).finding)).toEqual([]);
  });

  it('uses modeled resource types where they exist, Other with the ARN otherwise', () => {
    expect(alert(stopLogging()).finding.Resources![0]).toMatchObject({ Type: 'AwsCloudTrailTrail', Id: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/patient-portal-trail' });
    expect(alert(createProject()).finding.Resources![0]).toMatchObject({ Type: 'AwsCodeBuildProject', Id: 'arn:aws:codebuild:us-east-1:123456789012:project/sca' });
    expect(alert(updatePipeline()).finding.Resources![0]).toMatchObject({ Type: 'Other', Id: 'arn:aws:codepipeline:us-east-1:123456789012:patient-portal-pipeline' });
    expect(alert(putParameter()).finding.Resources![0]).toMatchObject({ Type: 'Other', Id: 'arn:aws:ssm:us-east-1:123456789012:parameter/devsecops/scanners/sonar-token' });
  });

  it('has an Id fixed by the event id, and the event time as CreatedAt and UpdatedAt', () => {
    // Act
    const first = alert(stopLogging()).finding;
    const again = alert(stopLogging()).finding;
    const other = alert(stopLogging({ eventID: 'evt-other' })).finding;
    // Assert
    expect(again.Id).toBe(first.Id);
    expect(other.Id).not.toBe(first.Id);
    expect(first).toMatchObject({ CreatedAt: '2026-11-22T11:58:03.000Z', UpdatedAt: '2026-11-22T11:58:03.000Z', Severity: { Label: 'CRITICAL' } });
    expect(first.Types).toEqual(['TTPs/Defense Evasion/StopLogging']);
  });

  it('records the API call in Action and the caller in ProductFields', () => {
    const { finding } = alert(stopLogging());
    expect(finding.Action).toEqual({
      ActionType: 'AWS_API_CALL',
      AwsApiCallAction: {
        Api: 'StopLogging',
        ServiceName: 'cloudtrail.amazonaws.com',
        FirstSeen: '2026-11-22T11:58:03.000Z',
        LastSeen: '2026-11-22T11:58:03.000Z',
        CallerType: 'remoteip',
        RemoteIpDetails: { IpAddressV4: '198.51.100.23' },
      },
    });
    expect(finding.ProductFields).toMatchObject({
      'devsecops/Tool': 'cloudtrail-alerter',
      'devsecops/cloudtrail-alerter/RoleSession': 'alice@example.com',
      'devsecops/cloudtrail-alerter/SourceIp': '198.51.100.23',
    });
  });

  it('puts no environment variable value nor secret anywhere in the finding or the message', () => {
    for (const detail of [createProject(), putParameter('String'), updatePipeline()]) {
      const { finding, message } = alert(detail);
      const text = JSON.stringify(finding) + message.subject + message.body;
      for (const secret of [ACCESS_KEY, SECRET_KEY, SONAR_TOKEN]) expect(text).not.toContain(secret);
    }
  });
});

describe('composeAlertMessage', () => {
  it('gives severity and change in the subject and the whole story in the body', () => {
    // Act
    const { message } = alert(stopLogging());
    // Assert
    expect(message.subject).toBe('[CRITICAL] StopLogging on trail patient-portal-trail by role AWSReservedSSO_Admin_0123456789abcd...');
    expect(message.subject.length).toBeLessThanOrEqual(99);
    expect(message.body).toContain('Who: arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com (AssumedRole)');
    expect(message.body).toContain('Role: arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef, session alice@example.com');
    expect(message.body).toContain('From: 198.51.100.23');
    expect(message.body).toContain('User agent: aws-cli/2.27.50');
    expect(message.body).toContain('When: 2026-11-22T11:58:03.000Z');
    expect(message.body).toContain('Security Hub: https://console.aws.amazon.com/securityhub/home?region=us-east-1#/findings?search=Id');
  });

  it('shows a failed call as such', () => {
    const { message } = alert(stopLogging({ errorCode: 'AccessDenied', errorMessage: 'not authorized' }));
    expect(message.subject).toMatch(/^\[HIGH\] Failed attempt: StopLogging/);
    expect(message.body).toContain('Error: AccessDenied: not authorized');
  });
});

describe('robustness', () => {
  const eventNames = ['UpdatePipeline', 'CreatePipeline', 'DeletePipeline', 'CreateProject', 'UpdateProject', 'DeleteProject', 'StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutParameter', 'DeleteParameters', 'LabelParameterVersion'];
  const sources: Record<string, string> = {
    Pipeline: 'codepipeline.amazonaws.com',
    Project: 'codebuild.amazonaws.com',
    Logging: 'cloudtrail.amazonaws.com',
    Trail: 'cloudtrail.amazonaws.com',
    Selectors: 'cloudtrail.amazonaws.com',
    Parameter: 'ssm.amazonaws.com',
    Parameters: 'ssm.amazonaws.com',
    ParameterVersion: 'ssm.amazonaws.com',
  };

  it('builds a valid finding whatever the request parameters hold', () => {
    fc.assert(
      fc.property(fc.constantFrom(...eventNames), fc.dictionary(fc.string(), fc.jsonValue()), fc.boolean(), (eventName, requestParameters, failed) => {
        const source = Object.entries(sources).find(([suffix]) => eventName.endsWith(suffix))![1];
        const detail = { ...stopLogging(failed ? { errorCode: 'AccessDenied' } : {}), eventName, eventSource: source, requestParameters };
        const { finding, message } = alert(detail);
        expect(validateFinding(finding)).toEqual([]);
        expect(message.subject.length).toBeLessThanOrEqual(99);
      }),
      { numRuns: 300 },
    );
  });
});
