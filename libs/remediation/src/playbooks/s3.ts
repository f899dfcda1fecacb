import {
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import { errorName, type Plan, type Playbook, type PlaybookContext, type RemediationTarget } from '../playbook';

/** Bucket policies are limited to 20 KB. */
export const BUCKET_POLICY_MAX_BYTES = 20 * 1024;
export const TLS_STATEMENT_SID = 'DenyInsecureTransport';

interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement?: Statement | Statement[];
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function everyone(principal: unknown): boolean {
  if (principal === '*') return true;
  const aws = (principal as { AWS?: unknown } | undefined)?.AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

function coversResource(resources: string[], wanted: string): boolean {
  return resources.some((r) => r === wanted || r === '*' || (r.endsWith('*') && wanted.startsWith(r.slice(0, -1))));
}

/** True for a statement denying every S3 action to everyone on the bucket and its objects without TLS. */
export function deniesInsecureTransport(statement: Statement, bucketArn: string): boolean {
  const secure = statement.Condition?.Bool?.['aws:SecureTransport'];
  const actions = asArray(statement.Action);
  const resources = asArray(statement.Resource);
  return (
    statement.Effect === 'Deny' &&
    everyone(statement.Principal) &&
    actions.some((a) => a === 's3:*' || a === '*') &&
    coversResource(resources, bucketArn) &&
    coversResource(resources, `${bucketArn}/*`) &&
    (secure === 'false' || secure === false)
  );
}

export interface SslPolicyState {
  bucket: string;
  policy: string;
}

/**
 * Plan for S3.5 (pure): merge a deny-non-TLS statement into the bucket policy, keeping every existing statement.
 * A statement that only covers objects (the reference pipeline's bug) is kept, and the full one added.
 */
export function planSslOnlyPolicy(target: RemediationTarget, currentPolicy: string | undefined): Plan<SslPolicyState | null> {
  const doc: PolicyDocument = currentPolicy ? (JSON.parse(currentPolicy) as PolicyDocument) : { Version: '2012-10-17' };
  const statements = asArray(doc.Statement);
  if (statements.some((s) => deniesInsecureTransport(s, target.arn))) {
    return { target, compliant: true, steps: [], followUps: [], secrets: [], state: null };
  }
  const sids = new Set(statements.map((s) => s.Sid));
  const sid = sids.has(TLS_STATEMENT_SID) ? `${TLS_STATEMENT_SID}Remediated` : TLS_STATEMENT_SID;
  const merged: PolicyDocument = {
    ...doc,
    Version: doc.Version ?? '2012-10-17',
    Statement: [
      ...statements,
      {
        Sid: sid,
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [target.arn, `${target.arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
  const policy = JSON.stringify(merged);
  if (Buffer.byteLength(policy) > BUCKET_POLICY_MAX_BYTES) {
    throw Object.assign(new Error(`bucket ${target.name}: the policy would exceed ${BUCKET_POLICY_MAX_BYTES} bytes`), { name: 'PolicyTooLarge' });
  }
  return {
    target,
    compliant: false,
    steps: [{ action: 's3:PutBucketPolicy', description: `add statement ${sid} denying non-TLS requests to bucket ${target.name} (${statements.length} existing statement(s) kept)` }],
    followUps: [],
    secrets: [],
    state: { bucket: target.name, policy },
  };
}

async function readBucketPolicy(target: RemediationTarget, ctx: PlaybookContext): Promise<string | undefined> {
  try {
    return (await ctx.clients.s3(target.region).send(new GetBucketPolicyCommand({ Bucket: target.name }))).Policy;
  } catch (error) {
    if (errorName(error) === 'NoSuchBucketPolicy') return undefined;
    throw error;
  }
}

async function readBucketTags(target: RemediationTarget, ctx: PlaybookContext): Promise<Record<string, string>> {
  try {
    const out = await ctx.clients.s3(target.region).send(new GetBucketTaggingCommand({ Bucket: target.name }));
    return Object.fromEntries((out.TagSet ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? '']));
  } catch (error) {
    if (errorName(error) === 'NoSuchTagSet') return {};
    throw error;
  }
}

export const s35: Playbook<SslPolicyState | null> = {
  controlId: 'S3.5',
  configRule: 'S3_BUCKET_SSL_REQUESTS_ONLY',
  resourceType: 'AwsS3Bucket',
  title: 'Require TLS in the bucket policy',
  readTags: readBucketTags,
  async plan(target, ctx) {
    return planSslOnlyPolicy(target, await readBucketPolicy(target, ctx));
  },
  async apply(plan, ctx) {
    if (!plan.state) return;
    await ctx.clients.s3(plan.target.region).send(new PutBucketPolicyCommand({ Bucket: plan.state.bucket, Policy: plan.state.policy }));
  },
  async verify(plan, ctx) {
    const policy = await readBucketPolicy(plan.target, ctx);
    const ok = !!policy && asArray((JSON.parse(policy) as PolicyDocument).Statement).some((s) => deniesInsecureTransport(s, plan.target.arn));
    return { ok, detail: ok ? 'the bucket policy denies non-TLS requests' : 'the bucket policy still allows non-TLS requests' };
  },
};

const FULL_BLOCK: Required<PublicAccessBlockConfiguration> = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

/** The settings still off (pure). */
export function publicAccessGaps(current: PublicAccessBlockConfiguration | undefined): string[] {
  return (Object.keys(FULL_BLOCK) as (keyof PublicAccessBlockConfiguration)[]).filter((k) => current?.[k] !== true);
}

/** Plan for S3.8 (pure): turn on the four public access block settings. */
export function planPublicAccessBlock(target: RemediationTarget, current: PublicAccessBlockConfiguration | undefined): Plan<null> {
  const gaps = publicAccessGaps(current);
  return {
    target,
    compliant: gaps.length === 0,
    steps: gaps.length === 0 ? [] : [{ action: 's3:PutBucketPublicAccessBlock', description: `block public access on bucket ${target.name} (was off: ${gaps.join(', ')})` }],
    followUps: [],
    secrets: [],
    state: null,
  };
}

async function readPublicAccessBlock(target: RemediationTarget, ctx: PlaybookContext): Promise<PublicAccessBlockConfiguration | undefined> {
  try {
    return (await ctx.clients.s3(target.region).send(new GetPublicAccessBlockCommand({ Bucket: target.name }))).PublicAccessBlockConfiguration;
  } catch (error) {
    if (errorName(error) === 'NoSuchPublicAccessBlockConfiguration') return undefined;
    throw error;
  }
}

export const s38: Playbook<null> = {
  controlId: 'S3.8',
  configRule: 'S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED',
  resourceType: 'AwsS3Bucket',
  title: 'Block public access on the bucket',
  readTags: readBucketTags,
  async plan(target, ctx) {
    return planPublicAccessBlock(target, await readPublicAccessBlock(target, ctx));
  },
  async apply(plan, ctx) {
    await ctx.clients.s3(plan.target.region).send(new PutPublicAccessBlockCommand({ Bucket: plan.target.name, PublicAccessBlockConfiguration: FULL_BLOCK }));
  },
  async verify(plan, ctx) {
    const gaps = publicAccessGaps(await readPublicAccessBlock(plan.target, ctx));
    return { ok: gaps.length === 0, detail: gaps.length === 0 ? 'all four public access block settings are on' : `still off: ${gaps.join(', ')}` };
  },
};
