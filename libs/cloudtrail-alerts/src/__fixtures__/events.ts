import type { AwsTarget } from '@devsecops/asff';
import type { CloudTrailDetail } from '../event';

export const TARGET: AwsTarget = { awsAccountId: '123456789012', region: 'us-east-1', partition: 'aws' };
export const ALERT_TOPIC = 'arn:aws:sns:us-east-1:123456789012:pipeline-alerts';
export const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const SONAR_TOKEN = 'squ_0123456789abcdef0123456789abcdef01234567';

/** userIdentity of a person working through an assumed role (IAM Identity Center style). */
export const assumedRole = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEID:alice@example.com',
  arn: 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com',
  accountId: '123456789012',
  accessKeyId: 'ASIAEXAMPLEKEYID1234',
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: 'AROAEXAMPLEID',
      arn: 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef',
      accountId: '123456789012',
      userName: 'AWSReservedSSO_Admin_0123456789abcdef',
    },
    attributes: { creationDate: '2026-11-22T10:00:00Z', mfaAuthenticated: 'false' },
  },
};

function record(eventSource: string, eventName: string, requestParameters: Record<string, unknown> | null, extra: Partial<CloudTrailDetail> = {}): CloudTrailDetail & Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: assumedRole,
    eventTime: '2026-11-22T11:58:03Z',
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.23',
    userAgent: 'aws-cli/2.27.50 md/awscrt#0.26.1 ua/2.1 os/linux#6.8 md/arch#x86_64 lang/python#3.13.4 cfg/retry-mode#standard',
    requestParameters,
    responseElements: null,
    requestID: 'c0ffee00-1111-2222-3333-444444444444',
    eventID: `evt-${eventName}-0001`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    eventCategory: 'Management',
    ...extra,
  };
}

/** The declaration UpdatePipeline carries: Source → Scan (SCA ∥ SAST) → Approval → Deploy. */
export function pipelineDeclaration(options: { withoutScan?: boolean; withoutApproval?: boolean } = {}) {
  const build = (name: string, project: string, category = 'Test') => ({
    name,
    actionTypeId: { category, owner: 'AWS', provider: 'CodeBuild', version: '1' },
    runOrder: 1,
    configuration: {
      ProjectName: project,
      EnvironmentVariables: JSON.stringify([
        { name: 'SONAR_TOKEN', value: SONAR_TOKEN, type: 'PLAINTEXT' },
        { name: 'STAGE', value: 'scan', type: 'PLAINTEXT' },
      ]),
    },
    inputArtifacts: [{ name: 'SourceOutput' }],
  });
  const stages = [
    {
      name: 'Source',
      actions: [
        {
          name: 'Source',
          actionTypeId: { category: 'Source', owner: 'AWS', provider: 'CodeCommit', version: '1' },
          configuration: { RepositoryName: 'patient-portal', BranchName: 'main', PollForSourceChanges: 'false' },
          outputArtifacts: [{ name: 'SourceOutput' }],
        },
      ],
    },
    ...(options.withoutScan ? [] : [{ name: 'SCA-and-SAST-Analysis', actions: [build('SCAnalysis', 'sca'), build('SASTAnalysis', 'sast', 'Build')] }]),
    ...(options.withoutApproval
      ? []
      : [
          {
            name: 'Manual-Approval',
            actions: [
              {
                name: 'ApprovalRequired',
                actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
                configuration: { NotificationArn: 'arn:aws:sns:us-east-1:123456789012:approval-requests', CustomData: 'Check the scans' },
              },
            ],
          },
        ]),
    { name: 'Deploy', actions: [{ name: 'DeployStaging', actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'ElasticBeanstalk', version: '1' }, configuration: { ApplicationName: 'portal', EnvironmentName: 'staging' } }] },
  ];
  return {
    name: 'patient-portal-pipeline',
    roleArn: 'arn:aws:iam::123456789012:role/patient-portal-pipeline-role',
    artifactStore: { type: 'S3', location: 'pipeline-artifact-bucket-123456789012' },
    stages,
    version: 7,
    pipelineType: 'V2',
    executionMode: 'QUEUED',
  };
}

export const EXPECTED_PIPELINE = JSON.stringify({
  stages: ['Source', 'SCA-and-SAST-Analysis', 'Manual-Approval', 'Deploy'],
  actions: [
    { name: 'SCAnalysis', stage: 'SCA-and-SAST-Analysis', role: 'scan' },
    { name: 'SASTAnalysis', stage: 'SCA-and-SAST-Analysis', role: 'scan' },
    { name: 'ApprovalRequired', category: 'Approval', role: 'approval' },
  ],
});

export const updatePipeline = (options: Parameters<typeof pipelineDeclaration>[0] = {}) =>
  record('codepipeline.amazonaws.com', 'UpdatePipeline', { pipeline: pipelineDeclaration(options) });
export const deletePipeline = () => record('codepipeline.amazonaws.com', 'DeletePipeline', { name: 'patient-portal-pipeline' });

export const stopLogging = (extra: Partial<CloudTrailDetail> = {}) =>
  record('cloudtrail.amazonaws.com', 'StopLogging', { name: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/patient-portal-trail' }, extra);
export const deleteTrail = () => record('cloudtrail.amazonaws.com', 'DeleteTrail', { name: 'patient-portal-trail' });
export const updateTrail = (parameters: Record<string, unknown>) => record('cloudtrail.amazonaws.com', 'UpdateTrail', { name: 'patient-portal-trail', ...parameters });

/** CreateProject with plaintext AWS credentials and a token in its environment (the CodeBuild.2 leak). */
export const createProject = () =>
  record('codebuild.amazonaws.com', 'CreateProject', {
    name: 'sca',
    source: { type: 'CODEPIPELINE', buildspec: 'buildspec-owasp-depedency-check.yml' },
    artifacts: { type: 'CODEPIPELINE' },
    environment: {
      type: 'LINUX_CONTAINER',
      image: 'aws/codebuild/standard:7.0',
      computeType: 'BUILD_GENERAL1_SMALL',
      privilegedMode: true,
      environmentVariables: [
        { name: 'AWS_ACCESS_KEY_ID', value: ACCESS_KEY, type: 'PLAINTEXT' },
        { name: 'AWS_SECRET_ACCESS_KEY', value: SECRET_KEY, type: 'PLAINTEXT' },
        { name: 'SONAR_TOKEN', value: '/devsecops/scanners/sonar-token', type: 'PARAMETER_STORE' },
        { name: 'REPORT_NAME', value: 'dc-report', type: 'PLAINTEXT' },
      ],
      registryCredential: { credential: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub', credentialProvider: 'SECRETS_MANAGER' },
    },
    serviceRole: 'arn:aws:iam::123456789012:role/codebuild-sca',
    secondarySources: [{ type: 'GITHUB', location: `https://x-token:${SONAR_TOKEN}@github.com/hospital/rules.git`, sourceIdentifier: 'rules' }],
  });

export const putParameter = (type = 'SecureString') =>
  record('ssm.amazonaws.com', 'PutParameter', { name: '/devsecops/scanners/sonar-token', type, value: SONAR_TOKEN, overwrite: true, keyId: 'alias/aws/ssm' });
export const deleteParameters = () => record('ssm.amazonaws.com', 'DeleteParameters', { names: ['/devsecops/scanners/sonar-token', '/devsecops/scanners/zap-api-key'] });

/** An EventBridge event around a CloudTrail record. */
export function eventBridge(detail: Record<string, unknown>, source = `aws.${String(detail.eventSource).split('.')[0]}`): Record<string, unknown> {
  return {
    version: '0',
    id: '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': 'AWS API Call via CloudTrail',
    source,
    account: '123456789012',
    time: '2026-11-22T11:58:05Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}
