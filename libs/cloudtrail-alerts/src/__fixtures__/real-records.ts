/**
 * CloudTrail records shaped as AWS delivers them (field names, nesting, what the request and the response carry),
 * from the AWS documentation and API references, with our own names and ids:
 * - UpdateTrail / CreateTrail: requestParameters as the API request (CloudTrail API Reference "UpdateTrail",
 *   "CreateTrail"), responseElements = the trail after the call (UpdateTrailResponse/CreateTrailResponse: name,
 *   s3BucketName, s3KeyPrefix, snsTopicName, snsTopicARN, includeGlobalServiceEvents, isMultiRegionTrail, trailARN,
 *   logFileValidationEnabled, cloudWatchLogsLogGroupArn, cloudWatchLogsRoleArn, kmsKeyId, isOrganizationTrail).
 *   A console "Edit trail" save sends every field again, unchanged ones included.
 * - StartLogging: `{"name": <trail ARN>}`, `responseElements: null`.
 * - SSM SendCommand: document parameters hidden by SSM (`HIDDEN_DUE_TO_SECURITY_REASONS`), the command in the response.
 * - CodeBuild CreateProject: requestParameters `{"awsActId": …}` only, the project in `responseElements.project`
 *   (CodeBuild User Guide, "About AWS CodeBuild log file entries").
 */
import type { CloudTrailDetail } from '../event';
import { ACCESS_KEY, assumedRole } from './events';

const ACCOUNT = '123456789012';
export const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/patient-portal-trail`;
export const TRAIL_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/8f1c2d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f`;
export const TRAIL_BUCKET = 'patient-portal-cloudtrail-123456789012';
const LOG_GROUP = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:aws-cloudtrail-logs-patient-portal:*`;
const LOG_ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/CloudTrailRoleForCloudWatchLogs_patient-portal`;

function record(eventSource: string, eventName: string, requestParameters: Record<string, unknown> | null, responseElements: unknown, extra: Partial<CloudTrailDetail> & Record<string, unknown> = {}): CloudTrailDetail & Record<string, unknown> {
  return {
    eventVersion: '1.11',
    userIdentity: assumedRole,
    eventTime: '2026-11-22T11:58:03Z',
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.23',
    userAgent: 'AWS Internal',
    requestParameters,
    responseElements,
    requestID: '3c6c1b9e-0f4e-4c1a-9a7d-2b8e5f6a7c8d',
    eventID: `real-${eventName}-${JSON.stringify(requestParameters).length}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'cloudtrail.us-east-1.amazonaws.com' },
    sessionCredentialFromConsole: 'true',
    ...extra,
  };
}

/** The trail as it is: multi-Region, global events, validation on, KMS-encrypted, CloudWatch Logs delivery. */
export function trailSettings(overrides: Record<string, unknown> = {}) {
  return {
    name: 'patient-portal-trail',
    s3BucketName: TRAIL_BUCKET,
    s3KeyPrefix: '',
    includeGlobalServiceEvents: true,
    isMultiRegionTrail: true,
    enableLogFileValidation: true,
    kmsKeyId: TRAIL_KEY,
    cloudWatchLogsLogGroupArn: LOG_GROUP,
    cloudWatchLogsRoleArn: LOG_ROLE,
    isOrganizationTrail: false,
    ...overrides,
  };
}

/** UpdateTrail's response for a request: the trail after the call (a cleared kmsKeyId or log group is absent). */
function trailAfter(request: Record<string, unknown>) {
  const { enableLogFileValidation, kmsKeyId, cloudWatchLogsLogGroupArn, cloudWatchLogsRoleArn, s3KeyPrefix, ...rest } = request;
  return {
    ...rest,
    ...(s3KeyPrefix ? { s3KeyPrefix } : {}),
    trailARN: TRAIL_ARN,
    logFileValidationEnabled: enableLogFileValidation,
    ...(kmsKeyId ? { kmsKeyId } : {}),
    ...(cloudWatchLogsLogGroupArn ? { cloudWatchLogsLogGroupArn, cloudWatchLogsRoleArn } : {}),
  };
}

/** A console "Edit trail" save: every field sent again; `changes` are what the person actually changed. */
export function consoleUpdateTrail(changes: Record<string, unknown> = {}) {
  const request = trailSettings(changes);
  return record('cloudtrail.amazonaws.com', 'UpdateTrail', request, trailAfter(request));
}

/** `aws cloudtrail update-trail --name … --<one option>`: only that field in the request. */
export function cliUpdateTrail(parameters: Record<string, unknown>) {
  const request = { name: 'patient-portal-trail', ...parameters };
  return record('cloudtrail.amazonaws.com', 'UpdateTrail', request, trailAfter(trailSettings(parameters)), {
    userAgent: 'aws-cli/2.27.50 md/awscrt#0.26.1 ua/2.1 os/linux#6.8 md/arch#x86_64 lang/python#3.13.4 md/command#cloudtrail.update-trail',
    sessionCredentialFromConsole: undefined,
  });
}

export const startLogging = () => record('cloudtrail.amazonaws.com', 'StartLogging', { name: TRAIL_ARN }, null);

/** CreateTrail as the CLI sends it (name and bucket only): CloudTrail's defaults in the response. */
export const createTrail = () =>
  record('cloudtrail.amazonaws.com', 'CreateTrail', { name: 'patient-portal-trail', s3BucketName: TRAIL_BUCKET }, {
    name: 'patient-portal-trail',
    s3BucketName: TRAIL_BUCKET,
    includeGlobalServiceEvents: true,
    isMultiRegionTrail: false,
    trailARN: TRAIL_ARN,
    logFileValidationEnabled: false,
    isOrganizationTrail: false,
  });

export const sendCommand = () =>
  record(
    'ssm.amazonaws.com',
    'SendCommand',
    { instanceIds: ['i-0123456789abcdef0'], documentName: 'AWS-RunShellScript', parameters: 'HIDDEN_DUE_TO_SECURITY_REASONS', interactive: false },
    {
      command: {
        commandId: '0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e',
        documentName: 'AWS-RunShellScript',
        documentVersion: '$DEFAULT',
        comment: '',
        expiresAfter: 'Nov 22, 2026, 1:58:03 PM',
        parameters: 'HIDDEN_DUE_TO_SECURITY_REASONS',
        instanceIds: ['i-0123456789abcdef0'],
        targets: [],
        requestedDateTime: 'Nov 22, 2026, 11:58:03 AM',
        status: 'Pending',
        statusDetails: 'Pending',
        targetCount: 1,
        completedCount: 0,
        errorCount: 0,
        deliveryTimedOutCount: 0,
        serviceRole: '',
        notificationConfig: { notificationArn: '', notificationEvents: [], notificationType: '' },
        cloudWatchOutputConfig: { cloudWatchLogGroupName: '', cloudWatchOutputEnabled: false },
        timeoutSeconds: 3600,
        alarmConfiguration: { ignorePollAlarmFailure: false, alarms: [] },
        triggeredAlarms: [],
      },
    },
    { userAgent: 'aws-cli/2.27.50 md/command#ssm.send-command', sessionCredentialFromConsole: undefined },
  );

/** CreateProject as CodeBuild records it: the request names nothing, the response has the project. */
export const createProjectFromResponse = (environmentVariables: { name: string; value: string; type: string }[] = [
  { name: 'AWS_ACCESS_KEY_ID', value: ACCESS_KEY, type: 'PLAINTEXT' },
  { name: 'REPORT_NAME', value: 'dc-report', type: 'PLAINTEXT' },
]) =>
  record('codebuild.amazonaws.com', 'CreateProject', { awsActId: ACCOUNT }, {
    project: {
      environment: { image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL', type: 'LINUX_CONTAINER', environmentVariables, privilegedMode: false, imagePullCredentialsType: 'CODEBUILD' },
      name: 'patient-portal-sca',
      description: 'OWASP Dependency-Check',
      arn: `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/patient-portal-sca`,
      encryptionKey: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/aws/s3`,
      timeoutInMinutes: 60,
      created: 'Nov 22, 2026 11:58:03 AM',
      artifacts: { type: 'CODEPIPELINE', packaging: 'NONE', encryptionDisabled: false },
      lastModified: 'Nov 22, 2026 11:58:03 AM',
      source: { type: 'CODEPIPELINE', insecureSsl: false },
      serviceRole: `arn:aws:iam::${ACCOUNT}:role/service-role/codebuild-patient-portal-sca`,
    },
  });
