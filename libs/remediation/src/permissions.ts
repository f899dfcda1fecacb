import type { IamPolicyStatement } from '@devsecops/aws-conventions';
import type { ControlId } from './config';

/**
 * What the auto-remediator needs, per playbook, so the CDK app grants only the allow-listed ones.
 * Placeholders (Fn::Sub syntax) besides the pseudo parameters:
 * - `${CodeBuildParameterPrefix}`: CODEBUILD_PARAMETER_PREFIX without the leading slash (default `codebuild`);
 * - `${CodeBuildServiceRoleArnPattern}`: the CodeBuild service roles the remediator may add an inline policy to;
 * - `${BucketName}`: one statement per pipeline bucket;
 * - `${KeyArn}`, `${TrailArn}`: the keys and trails it may change (or a `*` pattern);
 * - `${ParameterKmsKeyArn}`, `${ReportTopicArn}`: only with the optional statements.
 */
export const AUTO_REMEDIATOR_BASE_PERMISSIONS: readonly IamPolicyStatement[] = [
  {
    Sid: 'RecordOnFindings',
    Effect: 'Allow',
    Action: ['securityhub:BatchUpdateFindings'],
    Resource: ['arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:hub/default'],
  },
];

export const AUTO_REMEDIATOR_PLAYBOOK_PERMISSIONS: Readonly<Record<ControlId, readonly IamPolicyStatement[]>> = {
  'CodeBuild.2': [
    {
      Sid: 'CodeBuild2ReadAndUpdateProject',
      Effect: 'Allow',
      Action: ['codebuild:BatchGetProjects', 'codebuild:UpdateProject'],
      Resource: ['arn:${AWS::Partition}:codebuild:${AWS::Region}:${AWS::AccountId}:project/*'],
    },
    {
      Sid: 'CodeBuild2WriteParameters',
      Effect: 'Allow',
      Action: ['ssm:PutParameter', 'ssm:AddTagsToResource'],
      Resource: ['arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${CodeBuildParameterPrefix}/*'],
    },
    {
      // DescribeParameters has no resource-level permissions.
      Sid: 'CodeBuild2VerifyParameters',
      Effect: 'Allow',
      Action: ['ssm:DescribeParameters'],
      Resource: ['*'],
    },
    {
      Sid: 'CodeBuild2GrantRoleRead',
      Effect: 'Allow',
      Action: ['iam:GetRolePolicy', 'iam:PutRolePolicy'],
      Resource: ['${CodeBuildServiceRoleArnPattern}'],
    },
  ],
  'CloudTrail.4': [
    {
      Sid: 'CloudTrail4ValidateLogs',
      Effect: 'Allow',
      Action: ['cloudtrail:GetTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:ListTags'],
      Resource: ['${TrailArn}'],
    },
  ],
  'S3.5': [
    {
      Sid: 'S35RequireTls',
      Effect: 'Allow',
      Action: ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:GetBucketTagging'],
      Resource: ['arn:${AWS::Partition}:s3:::${BucketName}'],
    },
  ],
  'S3.8': [
    {
      Sid: 'S38BlockPublicAccess',
      Effect: 'Allow',
      Action: ['s3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock', 's3:GetBucketTagging'],
      Resource: ['arn:${AWS::Partition}:s3:::${BucketName}'],
    },
  ],
  'KMS.4': [
    {
      Sid: 'Kms4RotateKey',
      Effect: 'Allow',
      Action: ['kms:GetKeyRotationStatus', 'kms:EnableKeyRotation', 'kms:ListResourceTags'],
      Resource: ['${KeyArn}'],
    },
  ],
};

/** With CODEBUILD_PARAMETER_KMS_KEY_ARN: encrypt the SecureStrings with that key. */
export const AUTO_REMEDIATOR_PARAMETER_KEY_PERMISSIONS: readonly IamPolicyStatement[] = [
  {
    Sid: 'CodeBuild2EncryptParameters',
    Effect: 'Allow',
    Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
    Resource: ['${ParameterKmsKeyArn}'],
  },
];

/** With LEAKED_KEY_ACTION=deactivate: find the leaked key's user and set the key Inactive. */
export const AUTO_REMEDIATOR_DEACTIVATE_KEY_PERMISSIONS: readonly IamPolicyStatement[] = [
  {
    Sid: 'CodeBuild2DeactivateLeakedKey',
    Effect: 'Allow',
    Action: ['iam:GetAccessKeyLastUsed', 'iam:UpdateAccessKey'],
    Resource: ['arn:${AWS::Partition}:iam::${AWS::AccountId}:user/*'],
  },
];

/** With REPORT_TOPIC_ARN. */
export const AUTO_REMEDIATOR_REPORT_PERMISSIONS: readonly IamPolicyStatement[] = [
  { Sid: 'PublishReports', Effect: 'Allow', Action: ['sns:Publish'], Resource: ['${ReportTopicArn}'] },
];

/** Base permissions plus those of the given playbooks. */
export function autoRemediatorPermissions(playbooks: readonly ControlId[]): IamPolicyStatement[] {
  return [...AUTO_REMEDIATOR_BASE_PERMISSIONS, ...playbooks.flatMap((id) => AUTO_REMEDIATOR_PLAYBOOK_PERMISSIONS[id])];
}

/** Every permission of every playbook (optional statements excluded). */
export const AUTO_REMEDIATOR_PERMISSIONS: readonly IamPolicyStatement[] = autoRemediatorPermissions(Object.keys(AUTO_REMEDIATOR_PLAYBOOK_PERMISSIONS) as ControlId[]);
