import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag';

/** A customer-managed key with yearly rotation; the default key policy delegates to IAM in this account. */
export function createKey(scope: Construct, id: string, description: string): kms.Key {
  return new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/** Lets an AWS service principal use a key for this account's resources only (confused-deputy guard). */
export function allowServiceToUseKey(key: kms.Key, service: string, actions: string[], extraConditions: Record<string, Record<string, unknown>> = {}): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `Allow${service.split('.')[0]!.replace(/[^A-Za-z0-9]/g, '')}`,
      principals: [new iam.ServicePrincipal(service)],
      actions,
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID }, ...extraConditions },
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
  if (props.accessLogs && !(props.accessLogs.bucket instanceof s3.Bucket)) {
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
  return new logs.LogGroup(scope, id, {
    encryptionKey: key,
    retention: retentionFor(retentionDays),
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/** The closest CloudWatch Logs retention at or above the requested number of days. */
export function retentionFor(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays)
    .filter((v): v is logs.RetentionDays => typeof v === 'number' && v > 0 && v !== logs.RetentionDays.INFINITE)
    .sort((a, b) => a - b);
  return allowed.find((v) => v >= days) ?? allowed[allowed.length - 1]!;
}
