import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge, acknowledgeControl } from '../nag';

/** A customer-managed key with yearly rotation; the default key policy delegates to IAM in this account. */
export function createKey(scope: Construct, id: string, description: string): kms.Key {
  const key = new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  acknowledgeControl(
    key,
    "CT.KMS.PR: the key's default statement delegates to IAM in this account (kms:* for the account root), as CDK and the KMS default key policy do; no IAM policy of this app grants kms:CreateGrant, and the service principals get only the actions and conditions listed in the key policy.",
    'kms_create_grant_aws_service_check',
  );
  return key;
}

/**
 * Lets an AWS service principal use a key, under the conditions that service supports. There is no default
 * condition on purpose: which keys a service sets in the KMS request context differs (EventBridge publishing
 * to an encrypted SNS topic sets no aws:SourceAccount/aws:SourceArn, so such a condition silently blocks it),
 * so every caller states the narrowest condition its service documents.
 */
export function allowServiceToUseKey(key: kms.Key, sid: string, service: string, actions: string[], conditions: Record<string, Record<string, unknown>>): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid,
      principals: [new iam.ServicePrincipal(service)],
      actions,
      resources: ['*'],
      conditions,
    }),
  );
}

/** CloudWatch Logs encrypts with the key only for log groups of this account and Region. */
export function allowLogsToUseKey(key: kms.Key): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogs',
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.${Aws.URL_SUFFIX}`)],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` },
      },
    }),
  );
}

export interface SecureBucketProps {
  /** SSE-KMS key; omitted only for the access-log bucket (S3 server access logging cannot write to SSE-KMS buckets). */
  encryptionKey?: kms.IKey;
  accessLogs?: { bucket: s3.IBucket; prefix: string };
  lifecycleRules?: s3.LifecycleRule[];
}

/** Private, versioned, TLS-only, owner-enforced bucket with access logging. */
export function createSecureBucket(scope: Construct, id: string, props: SecureBucketProps): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    ...(props.encryptionKey
      ? { encryption: s3.BucketEncryption.KMS, encryptionKey: props.encryptionKey, bucketKeyEnabled: true }
      : { encryption: s3.BucketEncryption.S3_MANAGED }),
    ...(props.accessLogs ? { serverAccessLogsBucket: props.accessLogs.bucket, serverAccessLogsPrefix: props.accessLogs.prefix } : {}),
    lifecycleRules: [
      { id: 'expire-noncurrent', noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ...(props.lifecycleRules ?? []),
    ],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  acknowledgeControl(
    bucket,
    'CT.S3.PR: no consumer reacts to object events here (reports are read by the parsers on invoke, artifacts by CodePipeline); Object Lock would block the lifecycle expiry these buckets rely on, and integrity comes from versioning, TLS-only access, KMS and (for the trail) CloudTrail log file validation.',
    's3_event_notifications_enabled_check',
    's3_bucket_object_lock_enabled_check',
  );
  if (props.accessLogs && !(props.accessLogs.bucket instanceof s3.Bucket)) {
    acknowledgeControl(
      bucket,
      'CT.S3.PR.2: server access logging is on; the target bucket is the Foundation access-log bucket, whose name is an SSM parameter resolved at deploy time, which the guard rule cannot follow.',
      's3_bucket_logging_enabled_check',
    );
    acknowledge(
      bucket,
      'The access-log bucket lives in the Foundation stack, whose policy admits S3 log delivery from every bucket of this account; editing it from here would create a cross-stack cycle.',
      'Annotation::@aws-cdk/aws-s3:accessLogsPolicyNotAdded',
    );
  }
  return bucket;
}

export function acknowledgeNoReplication(bucket: s3.Bucket): void {
  acknowledge(
    bucket,
    'Single-Region pipeline data (reports, artifacts, logs) that is reproducible or already duplicated by versioning; cross-Region replication would double storage and cross a data-residency boundary.',
    'HIPAA.Security-S3BucketReplicationEnabled',
    'NIST.800.53.R5-S3BucketReplicationEnabled',
  );
}

/** A KMS-encrypted log group with a retention period. */
export function createLogGroup(scope: Construct, id: string, key: kms.IKey, retentionDays: number): logs.LogGroup {
  const retention = retentionFor(retentionDays);
  const logGroup = new logs.LogGroup(scope, id, {
    encryptionKey: key,
    retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  if (!(key instanceof kms.Key)) {
    acknowledgeControl(
      logGroup,
      "CT.CLOUDWATCH.PR.3: the log group is encrypted with the Foundation logs key; its ARN is an SSM parameter resolved at deploy time, which the guard rule (a literal string) cannot follow.",
      'cloudwatch_log_group_encrypted_check',
    );
  }
  if (retention < 365) {
    acknowledgeControl(
      logGroup,
      `CT.CLOUDWATCH.PR.2: retention is the configured ${retention} days (lambda.logRetentionDays, cloudTrail.retentionDays); the audit record of the pipeline is the CloudTrail trail and Security Hub, and a year of build and function logs is a cost each installation chooses.`,
      'cloudwatch_log_group_retention_period_check',
    );
  }
  return logGroup;
}

/** The closest CloudWatch Logs retention at or above the requested number of days. */
export function retentionFor(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays)
    .filter((v): v is logs.RetentionDays => typeof v === 'number' && v > 0 && v !== logs.RetentionDays.INFINITE)
    .sort((a, b) => a - b);
  return allowed.find((v) => v >= days) ?? allowed[allowed.length - 1]!;
}
