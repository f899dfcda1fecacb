import { DEFAULT_REMEDIATOR_NAME, remediationConfigFromEnv } from './config';

describe('remediationConfigFromEnv', () => {
  it('is safe by default: dry run, no playbook, no account', () => {
    expect(remediationConfigFromEnv({})).toEqual({
      name: DEFAULT_REMEDIATOR_NAME,
      dryRun: true,
      allowedPlaybooks: [],
      allowedAccounts: [],
      allowedResources: [],
      codeBuild: { parameterPrefix: '/codebuild', leakedKeyAction: 'report' },
    });
  });

  it('reads every variable', () => {
    // Act
    const config = remediationConfigFromEnv({
      REMEDIATOR_NAME: 'pipeline-remediator',
      DRY_RUN: 'false',
      ALLOWED_PLAYBOOKS: 'CloudTrail.4, S3.5',
      ALLOWED_ACCOUNTS: '123456789012',
      REQUIRED_RESOURCE_TAG: 'auto-remediate=true',
      ALLOWED_RESOURCES: 'arn:aws:s3:::pipeline-*',
      CODEBUILD_PARAMETER_PREFIX: '/devsecops/codebuild/',
      CODEBUILD_PARAMETER_KMS_KEY_ARN: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      LEAKED_KEY_ACTION: 'deactivate',
      REPORT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:remediation',
    });
    // Assert
    expect(config).toEqual({
      name: 'pipeline-remediator',
      dryRun: false,
      allowedPlaybooks: ['CloudTrail.4', 'S3.5'],
      allowedAccounts: ['123456789012'],
      requiredTag: { key: 'auto-remediate', value: 'true' },
      allowedResources: ['arn:aws:s3:::pipeline-*'],
      codeBuild: {
        parameterPrefix: '/devsecops/codebuild',
        parameterKmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        leakedKeyAction: 'deactivate',
      },
      reportTopicArn: 'arn:aws:sns:us-east-1:123456789012:remediation',
    });
  });

  it('names every bad variable', () => {
    expect(() => remediationConfigFromEnv({ DRY_RUN: 'maybe', ALLOWED_PLAYBOOKS: 'IAM.1', ALLOWED_ACCOUNTS: '42', CODEBUILD_PARAMETER_KMS_KEY_ARN: 'alias/x', LEAKED_KEY_ACTION: 'delete' })).toThrow(
      /DRY_RUN: must be true or false; ALLOWED_PLAYBOOKS: unknown playbook\(s\) IAM\.1.*; ALLOWED_ACCOUNTS: must be 12-digit.*CODEBUILD_PARAMETER_KMS_KEY_ARN: must be a KMS key ARN.*LEAKED_KEY_ACTION/,
    );
  });
});
