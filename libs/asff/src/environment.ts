import type { AwsTarget, Partition } from './types';

const PARTITION_BY_REGION_PREFIX: ReadonlyArray<[string, Partition]> = [
  ['us-gov-', 'aws-us-gov'],
  ['cn-', 'aws-cn'],
];
const PARTITIONS: readonly string[] = ['aws', 'aws-us-gov', 'aws-cn'];

export function isPartition(value: unknown): value is Partition {
  return typeof value === 'string' && PARTITIONS.includes(value);
}

/** The partition a Region belongs to, from its name (no API call). */
export function partitionForRegion(region: string): Partition {
  for (const [prefix, partition] of PARTITION_BY_REGION_PREFIX) {
    if (region.startsWith(prefix)) return partition;
  }
  return 'aws';
}

/** `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`, the account's own product. */
export function defaultProductArn(target: AwsTarget): string {
  return `arn:${target.partition}:securityhub:${target.region}:${target.awsAccountId}:product/${target.awsAccountId}/default`;
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Account, Region and partition from the Lambda's own environment: no STS call per invocation.
 * The account comes from AWS_ACCOUNT_ID (set by the CDK app), else from the function ARN in the invocation context.
 */
export function awsTargetFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  invokedFunctionArn?: string,
): AwsTarget {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('AWS_REGION is not set');
  const fromArn = invokedFunctionArn?.split(':');
  const awsAccountId = env.AWS_ACCOUNT_ID ?? fromArn?.[4];
  if (!awsAccountId || !ACCOUNT_ID.test(awsAccountId)) {
    throw new Error('The AWS account id is unknown: set AWS_ACCOUNT_ID to the 12-digit account id');
  }
  const arnPartition = fromArn?.[1];
  const partition = isPartition(arnPartition) ? arnPartition : partitionForRegion(region);
  return { awsAccountId, region, partition };
}
