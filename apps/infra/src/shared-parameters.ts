import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';

/**
 * The Foundation stack publishes what the other stacks use as SSM parameters; they read them at deploy time.
 * No CloudFormation exports: a function or the pipeline can be redeployed (or the Foundation updated) without
 * the export lock-in of cross-stack references, and every stack stays deployable on its own.
 */
export const FOUNDATION_VALUES = [
  'reportsBucketName',
  'reportsBucketArn',
  'accessLogsBucketName',
  'dataKeyArn',
  'logsKeyArn',
  'notificationsKeyArn',
  'notificationsTopicArn',
  'approvalTopicArn',
  'approversTopicArn',
] as const;
export type FoundationValue = (typeof FOUNDATION_VALUES)[number];
export type FoundationValues = Record<FoundationValue, string>;

export function foundationParameterName(prefix: string, value: FoundationValue): string {
  return `/${prefix}/foundation/${value.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Written by the Foundation stack. */
export function publishFoundationValues(scope: Construct, prefix: string, values: FoundationValues): void {
  for (const name of FOUNDATION_VALUES) {
    new ssm.StringParameter(scope, `Parameter-${name}`, {
      parameterName: foundationParameterName(prefix, name),
      stringValue: values[name],
      description: `${prefix} foundation: ${name} (read by the pipeline, audit and function stacks)`,
    });
  }
}

/** The Foundation's resources as seen from another stack: references resolved by CloudFormation at deploy time. */
export interface FoundationRefs {
  values: FoundationValues;
  reportsBucket: s3.IBucket;
  accessLogsBucket: s3.IBucket;
  dataKey: kms.IKey;
  logsKey: kms.IKey;
  notificationsKey: kms.IKey;
  notificationsTopic: sns.ITopic;
  approvalTopic: sns.ITopic;
  approversTopic: sns.ITopic;
}

/**
 * References are created on first use, so a stack declares (as CloudFormation parameters) only the values it
 * really reads.
 */
export function importFoundation(scope: Construct, prefix: string): FoundationRefs {
  const cache = new Map<string, unknown>();
  const once = <T>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  const values = {} as FoundationValues;
  for (const name of FOUNDATION_VALUES) {
    Object.defineProperty(values, name, {
      enumerable: true,
      get: () => once(name, () => ssm.StringParameter.valueForStringParameter(scope, foundationParameterName(prefix, name))),
    });
  }
  return {
    values,
    get reportsBucket() {
      return once('ReportsBucketRef', () => s3.Bucket.fromBucketAttributes(scope, 'ReportsBucketRef', { bucketName: values.reportsBucketName, bucketArn: values.reportsBucketArn }));
    },
    get accessLogsBucket() {
      return once('AccessLogsBucketRef', () => s3.Bucket.fromBucketName(scope, 'AccessLogsBucketRef', values.accessLogsBucketName));
    },
    get dataKey() {
      return once('DataKeyRef', () => kms.Key.fromKeyArn(scope, 'DataKeyRef', values.dataKeyArn));
    },
    get logsKey() {
      return once('LogsKeyRef', () => kms.Key.fromKeyArn(scope, 'LogsKeyRef', values.logsKeyArn));
    },
    get notificationsKey() {
      return once('NotificationsKeyRef', () => kms.Key.fromKeyArn(scope, 'NotificationsKeyRef', values.notificationsKeyArn));
    },
    get notificationsTopic() {
      return once('NotificationsTopicRef', () => sns.Topic.fromTopicArn(scope, 'NotificationsTopicRef', values.notificationsTopicArn));
    },
    get approvalTopic() {
      return once('ApprovalTopicRef', () => sns.Topic.fromTopicArn(scope, 'ApprovalTopicRef', values.approvalTopicArn));
    },
    get approversTopic() {
      return once('ApproversTopicRef', () => sns.Topic.fromTopicArn(scope, 'ApproversTopicRef', values.approversTopicArn));
    },
  };
}
