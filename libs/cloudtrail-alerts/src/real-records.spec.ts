/**
 * The alerter on CloudTrail records shaped as AWS delivers them (src/__fixtures__/real-records.ts): what a console
 * edit, a CLI call, StartLogging, CreateTrail, SSM SendCommand and CodeBuild's CreateProject really carry.
 */
import { ALERT_TOPIC, EXPECTED_PIPELINE } from './__fixtures__/events';
import { TRAIL_BUCKET, cliUpdateTrail, consoleUpdateTrail, createProjectFromResponse, createTrail, sendCommand, startLogging } from './__fixtures__/real-records';
import { alerterConfigFromEnv, type AlerterConfig } from './config';
import { describeChange } from './describe';
import type { CloudTrailDetail } from './event';
import { judgeChange, trailStateOf, trailWeakenings } from './severity';

const config: AlerterConfig = alerterConfigFromEnv({ ALERT_TOPIC_ARN: ALERT_TOPIC, EXPECTED_PIPELINE });
const withBuckets: AlerterConfig = alerterConfigFromEnv({ ALERT_TOPIC_ARN: ALERT_TOPIC, TRAIL_LOG_BUCKETS: `${TRAIL_BUCKET},org-cloudtrail-*` });

function judge(detail: CloudTrailDetail, c: AlerterConfig = config) {
  return judgeChange(describeChange(detail, '123456789012'), detail.requestParameters, c, detail.responseElements);
}

describe('UpdateTrail from the console (every field sent again)', () => {
  it('is not Defense Evasion when bucket, key and every setting are unchanged', () => {
    // Act
    const judgement = judge(consoleUpdateTrail());
    // Assert
    expect(judgement.severity).toBe('MEDIUM');
    expect(judgement.types).toEqual(['Software and Configuration Checks/AWS Security Best Practices/Audit Trail Change']);
    expect(judgement.reasons.join(' ')).not.toMatch(/removes|turns .* off|single-Region|sends the logs/);
  });

  it('says the bucket was not checked when no log bucket is configured, and checks it when one is', () => {
    expect(judge(consoleUpdateTrail()).reasons).toContain(`updates trail patient-portal-trail: logs go to bucket ${TRAIL_BUCKET} (not checked against a previous bucket: set TRAIL_LOG_BUCKETS)`);
    expect(judge(consoleUpdateTrail(), withBuckets)).toMatchObject({ severity: 'MEDIUM', reasons: [expect.stringMatching(/nothing that weakens it/)] });
  });

  it.each([
    ['validation turned off', { enableLogFileValidation: false }, 'turns log file validation off'],
    ['made single-Region', { isMultiRegionTrail: false }, 'makes the trail single-Region'],
    ['global service events off', { includeGlobalServiceEvents: false }, 'stops recording global service events'],
    ['the KMS key removed', { kmsKeyId: '' }, 'removes the KMS encryption of the logs (kmsKeyId cleared)'],
    ['CloudWatch Logs delivery removed', { cloudWatchLogsLogGroupArn: '', cloudWatchLogsRoleArn: '' }, 'stops delivery to CloudWatch Logs'],
  ])('is HIGH Defense Evasion when one setting is weakened: %s', (_, change, reason) => {
    // Act
    const judgement = judge(consoleUpdateTrail(change));
    // Assert
    expect(judgement.severity).toBe('HIGH');
    expect(judgement.types).toContain('TTPs/Defense Evasion/UpdateTrail');
    expect(judgement.reasons).toEqual([`updates trail patient-portal-trail: ${reason}`]);
  });

  it('is HIGH when the logs go to a bucket that is not one of the trail’s log buckets', () => {
    const judgement = judge(consoleUpdateTrail({ s3BucketName: 'exfil-bucket-999999999999' }), withBuckets);
    expect(judgement.severity).toBe('HIGH');
    expect(judgement.reasons).toEqual([`updates trail patient-portal-trail: sends the logs to bucket exfil-bucket-999999999999, not one of the trail's log buckets (${TRAIL_BUCKET}, org-cloudtrail-*)`]);
    expect(judge(consoleUpdateTrail({ s3BucketName: 'org-cloudtrail-logs' }), withBuckets).severity).toBe('MEDIUM');
  });

  it('keeps a new KMS key (a key change, not a removal) at MEDIUM', () => {
    expect(judge(consoleUpdateTrail({ kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/00000000-1111-2222-3333-444444444444' })).severity).toBe('MEDIUM');
  });
});

describe('UpdateTrail from the CLI (only the changed field sent)', () => {
  it.each([
    [{ enableLogFileValidation: false }, 'HIGH'],
    [{ kmsKeyId: '' }, 'HIGH'],
    [{ enableLogFileValidation: true }, 'MEDIUM'],
    [{ snsTopicName: 'trail-deliveries' }, 'MEDIUM'],
  ])('%j is %s', (parameters, severity) => {
    expect(judge(cliUpdateTrail(parameters)).severity).toBe(severity);
  });
});

describe('trailStateOf and trailWeakenings', () => {
  it('reads the trail after the call from UpdateTrail’s responseElements', () => {
    expect(trailStateOf(consoleUpdateTrail({ kmsKeyId: '' }).responseElements)).toEqual({
      name: 'patient-portal-trail',
      s3BucketName: TRAIL_BUCKET,
      logFileValidationEnabled: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      cloudWatchLogsLogGroupArn: expect.stringContaining(':log-group:'),
    });
    expect(trailStateOf(null)).toBeUndefined();
  });

  it('does not claim a weakening the trail after the call contradicts', () => {
    expect(trailWeakenings({ enableLogFileValidation: false }, { logFileValidationEnabled: true })).toEqual([]);
    expect(trailWeakenings({ kmsKeyId: '' }, { kmsKeyId: 'arn:aws:kms:us-east-1:1:key/k' })).toEqual([]);
  });
});

describe('other trail calls', () => {
  it('rates StartLogging LOW: logging is back on', () => {
    const judgement = judge(startLogging());
    expect(judgement).toMatchObject({ severity: 'LOW', types: ['Software and Configuration Checks/AWS Security Best Practices/Audit Trail Change'] });
    expect(judgement.reasons[0]).toMatch(/^turns logging back on for trail patient-portal-trail/);
  });

  it('rates a CreateTrail with CloudTrail’s defaults (no validation, single-Region, no KMS) MEDIUM, naming the gaps', () => {
    const judgement = judge(createTrail());
    expect(judgement.severity).toBe('MEDIUM');
    expect(judgement.reasons).toEqual(['creates trail patient-portal-trail without log file validation, single-Region, without KMS encryption']);
  });
});

describe('calls without a row of their own', () => {
  it('types SSM SendCommand as Execution, not as a scanner secret change', () => {
    // Act
    const change = describeChange(sendCommand(), '123456789012');
    const judgement = judge(sendCommand());
    // Assert
    expect(change.resources).toEqual([]);
    expect(judgement.types).toEqual(['TTPs/Execution']);
    expect(judgement.severity).toBe('MEDIUM');
    expect(judgement.reasons).toEqual(['SendCommand (Systems Manager)']);
    expect(JSON.stringify(judgement)).not.toMatch(/Scanner Secret/);
  });

  it.each([
    ['codepipeline.amazonaws.com', 'StopPipelineExecution', { pipelineName: 'patient-portal-pipeline', pipelineExecutionId: 'e-1', abandon: true }, 'TTPs/Impact'],
    ['codebuild.amazonaws.com', 'StartBuild', { projectName: 'patient-portal-sca' }, 'TTPs/Execution'],
    ['codepipeline.amazonaws.com', 'PutWebhook', { webhook: { name: 'w' } }, 'Software and Configuration Checks/AWS Security Best Practices/Pipeline Change'],
  ])('types %s %s by what it does', (eventSource, eventName, requestParameters, type) => {
    const detail = { ...sendCommand(), eventSource, eventName, requestParameters, responseElements: null };
    expect(judge(detail).types).toEqual([type]);
  });
});

describe('CodeBuild CreateProject as CodeBuild records it', () => {
  it('names the project from responseElements when the request does not', () => {
    // Act
    const change = describeChange(createProjectFromResponse(), '123456789012');
    // Assert
    expect(change.resources).toEqual([{ kind: 'project', name: 'patient-portal-sca', arn: 'arn:aws:codebuild:us-east-1:123456789012:project/patient-portal-sca' }]);
    expect(judge(createProjectFromResponse()).reasons[0]).toBe('creates build project patient-portal-sca');
  });

  it('finds PLAINTEXT credentials in the project of the response', () => {
    const judgement = judge(createProjectFromResponse());
    expect(judgement.severity).toBe('HIGH');
    expect(judgement.reasons).toContain('puts secrets in PLAINTEXT environment variables: AWS_ACCESS_KEY_ID');
    expect(JSON.stringify(judgement)).not.toContain('AKIA');
  });

  it('stays LOW for a project without secrets', () => {
    expect(judge(createProjectFromResponse([{ name: 'REPORT_NAME', value: 'dc-report', type: 'PLAINTEXT' }])).severity).toBe('LOW');
  });
});
