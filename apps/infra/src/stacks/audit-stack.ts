import { Aws, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as awsConfig from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import type { Construct } from 'constructs';
import type { PipelineConfig } from '../config';
import { acknowledgeNoReplication, createKey, createLogGroup, createSecureBucket } from '../constructs/storage';
import { trailNameFor } from '../function-wiring';
import { acknowledge, acknowledgeInlinePolicies, wildcardResourceFinding } from '../nag';
import { importFoundation, type FoundationRefs } from '../shared-parameters';

export interface AuditStackProps extends StackProps {
  config: PipelineConfig;
}

/** The managed Config rules the reference pipeline deployed, kept (with a recorder when the account has none). */
export const CONFIG_RULES = {
  CodeBuildEnvVarCredentials: awsConfig.ManagedRuleIdentifiers.CODEBUILD_PROJECT_ENVVAR_AWSCRED_CHECK,
  CodeBuildSourceRepoUrl: awsConfig.ManagedRuleIdentifiers.CODEBUILD_PROJECT_SOURCE_REPO_URL_CHECK,
  CloudTrailLogFileValidation: awsConfig.ManagedRuleIdentifiers.CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED,
} as const;

/** Resource types the optional recorder records: only what the three rules evaluate (recording everything costs). */
export const RECORDED_RESOURCE_TYPES = ['AWS::CodeBuild::Project', 'AWS::CloudTrail::Trail'];

/**
 * Account-level audit: the CloudTrail trail (or an existing one), AWS Config rules (and optionally a recorder)
 * and optionally Security Hub itself.
 */
export class AuditStack extends Stack {
  readonly trail?: cloudtrail.Trail;
  readonly auditKey?: kms.Key;
  readonly auditBucket?: s3.Bucket;
  readonly trailName: string;

  constructor(scope: Construct, id: string, props: AuditStackProps) {
    super(scope, id, props);
    const { config } = props;
    const foundation = importFoundation(this, config.name);
    this.trailName = trailNameFor(config);

    const needsBucket = config.cloudTrail.mode === 'create' || config.awsConfig.createRecorder;
    if (needsBucket) {
      this.auditKey = createKey(this, 'AuditKey', `${config.name}: CloudTrail log files and AWS Config snapshots`);
      this.auditBucket = createSecureBucket(this, 'AuditBucket', {
        encryptionKey: this.auditKey,
        accessLogs: { bucket: foundation.accessLogsBucket, prefix: 'audit-bucket/' },
      });
      acknowledgeNoReplication(this.auditBucket);
    }

    if (config.cloudTrail.mode === 'create') this.trail = this.createTrail(config.cloudTrail, foundation);

    const recorder = config.awsConfig.createRecorder ? this.createRecorder() : undefined;
    for (const [id, identifier] of Object.entries(CONFIG_RULES)) {
      const rule = new awsConfig.ManagedRule(this, id, {
        identifier,
        ...(identifier === CONFIG_RULES.CloudTrailLogFileValidation
          ? { maximumExecutionFrequency: awsConfig.MaximumExecutionFrequency.TWENTY_FOUR_HOURS }
          : { ruleScope: awsConfig.RuleScope.fromResources([awsConfig.ResourceType.CODEBUILD_PROJECT]) }),
      });
      // Config rules fail to create (NoAvailableConfigurationRecorderException) before a recorder exists.
      if (recorder) rule.node.addDependency(recorder);
    }

    if (config.securityHub.enable) {
      new securityhub.CfnHub(this, 'SecurityHub', {
        enableDefaultStandards: true,
        controlFindingGenerator: 'SECURITY_CONTROL',
        autoEnableControls: true,
      });
    }
    acknowledgeInlinePolicies(this);
  }

  private createTrail(options: Extract<PipelineConfig['cloudTrail'], { mode: 'create' }>, foundation: FoundationRefs): cloudtrail.Trail {
    const key = this.auditKey!;
    const trailArn = `arn:${Aws.PARTITION}:cloudtrail:${Aws.REGION}:${Aws.ACCOUNT_ID}:trail/${this.trailName}`;
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToEncryptLogs',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${Aws.PARTITION}:cloudtrail:*:${Aws.ACCOUNT_ID}:trail/*` },
        },
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToDescribeKey',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
      }),
    );
    const trail = new cloudtrail.Trail(this, 'Trail', {
      trailName: this.trailName,
      bucket: this.auditBucket,
      s3KeyPrefix: 'cloudtrail',
      encryptionKey: key,
      enableFileValidation: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      managementEvents: cloudtrail.ReadWriteType.ALL,
      ...(options.cloudWatchLogs
        ? { sendToCloudWatchLogs: true, cloudWatchLogGroup: createLogGroup(this, 'TrailLogGroup', foundation.logsKey, options.retentionDays) }
        : {}),
    });
    return trail;
  }

  private createRecorder(): awsConfig.CfnConfigurationRecorder {
    const bucket = this.auditBucket!;
    const key = this.auditKey!;
    const role = new iam.Role(this, 'ConfigRecorderRole', {
      assumedBy: new iam.ServicePrincipal('config.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')],
    });
    acknowledge(
      role,
      'AWS_ConfigRole is the AWS-maintained read-only policy for the recorder; it tracks new resource types as AWS adds them, which a hand-written copy would not.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]',
    );
    role.addToPolicy(new iam.PolicyStatement({ sid: 'CheckBucketAcl', actions: ['s3:GetBucketAcl'], resources: [bucket.bucketArn] }));
    const snapshots = bucket.arnForObjects(`config/AWSLogs/${Aws.ACCOUNT_ID}/Config/*`);
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DeliverSnapshots',
        actions: ['s3:PutObject'],
        resources: [snapshots],
        conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );
    acknowledge(role, 'AWS Config names its snapshot and history objects by date and id under its fixed config/AWSLogs/<account>/Config/ prefix.', wildcardResourceFinding(role, snapshots));
    role.addToPolicy(new iam.PolicyStatement({ sid: 'EncryptSnapshots', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }));

    const recorder = new awsConfig.CfnConfigurationRecorder(this, 'ConfigRecorder', {
      roleArn: role.roleArn,
      recordingGroup: { allSupported: false, includeGlobalResourceTypes: false, resourceTypes: RECORDED_RESOURCE_TYPES },
    });
    const channel = new awsConfig.CfnDeliveryChannel(this, 'ConfigDeliveryChannel', {
      s3BucketName: bucket.bucketName,
      s3KeyPrefix: 'config',
      s3KmsKeyArn: key.keyArn,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    channel.addResourceDependency(recorder);
    return recorder;
  }
}
