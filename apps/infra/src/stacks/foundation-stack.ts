import { Aws, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { PipelineConfig } from '../config';
import { acknowledgeNoReplication, allowLogsToUseKey, allowServiceToUseKey, createKey, createSecureBucket } from '../constructs/storage';
import { acknowledge, acknowledgeControl } from '../nag';
import { notificationsTopicName } from '../names';
import { publishFoundationValues } from '../shared-parameters';

export interface FoundationStackProps extends StackProps {
  config: PipelineConfig;
}

/**
 * What every other stack shares and what outlives any one function: keys, the reports bucket, the access-log
 * bucket and the SNS topics, published as SSM parameters (shared-parameters.ts). Nothing here references
 * another stack.
 */
export class FoundationStack extends Stack {
  /** Reports, dead-letter queues. */
  readonly dataKey: kms.Key;
  /** Every CloudWatch log group of the installation. */
  readonly logsKey: kms.Key;
  /** SNS topics: EventBridge and CloudWatch alarms may use it for the notifications topic only. */
  readonly notificationsKey: kms.Key;
  readonly accessLogsBucket: s3.Bucket;
  readonly reportsBucket: s3.Bucket;
  /** Pipeline state changes, Lambda alarms, CloudTrail alerts. */
  readonly notificationsTopic: sns.Topic;
  /** The manual approval action's NotificationArn: it triggers the approval notifier. */
  readonly approvalTopic: sns.Topic;
  /** Approvers' mailing list, written to by the approval notifier. */
  readonly approversTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: FoundationStackProps) {
    super(scope, id, props);
    const { config } = props;

    const p = Aws.PARTITION;
    const r = Aws.REGION;
    const a = Aws.ACCOUNT_ID;

    this.dataKey = createKey(this, 'DataKey', `${config.name}: scan reports and dead-letter queues`);
    // EventBridge writes events it could not deliver to the (encrypted) dead-letter queues of its targets. The
    // EventBridge User Guide (targets, "uses AWS KMS encryption") documents this statement without any condition;
    // SQS always passes the queue ARN as encryption context, so the key serves this account's queues here only.
    allowServiceToUseKey(this.dataKey, 'AllowEventBridgeDeadLetterQueues', 'events.amazonaws.com', ['kms:GenerateDataKey', 'kms:Decrypt'], {
      ArnLike: { 'kms:EncryptionContext:aws:sqs:arn': `arn:${p}:sqs:${r}:${a}:*` },
    });

    this.logsKey = createKey(this, 'LogsKey', `${config.name}: CloudWatch Logs`);
    allowLogsToUseKey(this.logsKey);

    this.notificationsKey = createKey(this, 'NotificationsKey', `${config.name}: SNS topics`);
    // SNS passes the topic ARN as encryption context; the notifications topic has a fixed name so the key policy
    // can name it without a reference cycle (the topic refers to the key).
    const notificationsTopicArn = `arn:${p}:sns:${r}:${a}:${notificationsTopicName(config.name)}`;
    const toNotificationsTopic = { 'kms:EncryptionContext:aws:sns:topicArn': notificationsTopicArn };
    // SNS Developer Guide (sns-key-management): aws:SourceAccount and aws:SourceArn in a key policy are not
    // supported for EventBridge-to-encrypted-topic delivery (they made every pipeline-state mail fail silently,
    // awslabs/landing-zone-accelerator-on-aws#407). The encryption context is what scopes it.
    allowServiceToUseKey(this.notificationsKey, 'AllowEventBridgeToNotificationsTopic', 'events.amazonaws.com', ['kms:GenerateDataKey', 'kms:Decrypt'], {
      StringEquals: toNotificationsTopic,
    });
    // CloudWatch alarms: the SNS guide's example scopes to the alarms (aws:SourceArn) and the topic.
    allowServiceToUseKey(this.notificationsKey, 'AllowCloudWatchAlarmsToNotificationsTopic', 'cloudwatch.amazonaws.com', ['kms:GenerateDataKey', 'kms:Decrypt'], {
      ArnLike: { 'aws:SourceArn': `arn:${p}:cloudwatch:${r}:${a}:alarm:*` },
      StringEquals: toNotificationsTopic,
    });

    this.accessLogsBucket = createSecureBucket(this, 'AccessLogsBucket', {
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
    });
    // Buckets in the other stacks log here too; they are matched by account rather than by name.
    this.accessLogsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3ServerAccessLogsFromThisAccount',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.accessLogsBucket.arnForObjects('*')],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    acknowledge(
      this.accessLogsBucket,
      'This is the server access log target; logging it into itself would loop, and S3 cannot deliver access logs to an SSE-KMS bucket, so it uses SSE-S3.',
      'AwsSolutions-S1',
      'HIPAA.Security-S3BucketLoggingEnabled',
      'NIST.800.53.R5-S3BucketLoggingEnabled',
      'HIPAA.Security-S3DefaultEncryptionKMS',
      'NIST.800.53.R5-S3DefaultEncryptionKMS',
    );
    acknowledgeControl(
      this.accessLogsBucket,
      'CT.S3.PR: this is the server access log target; logging it into itself would loop, and S3 server access logging cannot deliver to an SSE-KMS bucket, so it uses SSE-S3.',
      's3_bucket_logging_enabled_check',
      's3_bucket_default_encryption_kms_check',
    );
    acknowledgeNoReplication(this.accessLogsBucket);

    this.reportsBucket = createSecureBucket(this, 'ReportsBucket', {
      encryptionKey: this.dataKey,
      accessLogs: { bucket: this.accessLogsBucket, prefix: 'reports-bucket/' },
      lifecycleRules: [{ id: 'expire-reports', expiration: Duration.days(config.reports.retentionDays) }],
    });
    // Reports must be encrypted with this installation's key, not with another key the uploader picks.
    this.reportsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyOtherEncryptionKeys',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.reportsBucket.arnForObjects('*')],
        conditions: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': this.dataKey.keyArn } },
      }),
    );
    acknowledgeNoReplication(this.reportsBucket);

    this.notificationsTopic = this.topic('NotificationsTopic', `${config.name} pipeline notifications`, config.notifications.emails, notificationsTopicName(config.name));
    for (const service of ['events.amazonaws.com', 'cloudwatch.amazonaws.com']) {
      this.notificationsTopic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `Allow${service.split('.')[0]}Publish`,
          principals: [new iam.ServicePrincipal(service)],
          actions: ['sns:Publish'],
          resources: [this.notificationsTopic.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
      );
    }
    this.approvalTopic = this.topic('ApprovalTopic', `${config.name} approval requests`, []);
    this.approversTopic = this.topic('ApproversTopic', `${config.name} approvers`, config.approval.emails);

    publishFoundationValues(this, config.name, {
      reportsBucketName: this.reportsBucket.bucketName,
      reportsBucketArn: this.reportsBucket.bucketArn,
      accessLogsBucketName: this.accessLogsBucket.bucketName,
      dataKeyArn: this.dataKey.keyArn,
      logsKeyArn: this.logsKey.keyArn,
      notificationsKeyArn: this.notificationsKey.keyArn,
      notificationsTopicArn: this.notificationsTopic.topicArn,
      approvalTopicArn: this.approvalTopic.topicArn,
      approversTopicArn: this.approversTopic.topicArn,
    });
  }

  private topic(id: string, displayName: string, emails: readonly string[], topicName?: string): sns.Topic {
    const topic = new sns.Topic(this, id, { displayName, masterKey: this.notificationsKey, enforceSSL: true, ...(topicName ? { topicName } : {}) });
    for (const email of emails) topic.addSubscription(new subscriptions.EmailSubscription(email));
    return topic;
  }
}
