import { Aws, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { PipelineConfig } from '../config';
import { acknowledgeNoReplication, allowLogsToUseKey, allowServiceToUseKey, createKey, createSecureBucket } from '../constructs/storage';
import { acknowledge } from '../nag';
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
  /** SNS topics: EventBridge and CloudWatch alarms may use it for this account only. */
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

    this.dataKey = createKey(this, 'DataKey', `${config.name}: scan reports and dead-letter queues`);
    // EventBridge writes undeliverable events to the (encrypted) dead-letter queues of its targets.
    allowServiceToUseKey(this.dataKey, 'events.amazonaws.com', ['kms:GenerateDataKey', 'kms:Decrypt']);

    this.logsKey = createKey(this, 'LogsKey', `${config.name}: CloudWatch Logs`);
    allowLogsToUseKey(this.logsKey);

    this.notificationsKey = createKey(this, 'NotificationsKey', `${config.name}: SNS topics`);
    allowServiceToUseKey(this.notificationsKey, 'events.amazonaws.com', ['kms:GenerateDataKey', 'kms:Decrypt']);
    allowServiceToUseKey(this.notificationsKey, 'cloudwatch.amazonaws.com', ['kms:GenerateDataKey', 'kms:Decrypt']);

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

    this.notificationsTopic = this.topic('NotificationsTopic', `${config.name} pipeline notifications`, config.notifications.emails);
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

  private topic(id: string, displayName: string, emails: readonly string[]): sns.Topic {
    const topic = new sns.Topic(this, id, { displayName, masterKey: this.notificationsKey, enforceSSL: true });
    for (const email of emails) topic.addSubscription(new subscriptions.EmailSubscription(email));
    return topic;
  }
}
