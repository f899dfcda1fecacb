import { GetBucketPolicyCommand, GetBucketTaggingCommand, GetPublicAccessBlockCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { remediationConfigFromEnv } from '../config';
import { testClients } from '../__fixtures__/clients';
import type { PlaybookContext, RemediationTarget } from '../playbook';
import { deniesInsecureTransport, planPublicAccessBlock, planSslOnlyPolicy, s35, s38 } from './s3';

const BUCKET_ARN = 'arn:aws:s3:::pipeline-artifact-bucket-123456789012';
const target = (controlId: 'S3.5' | 'S3.8'): RemediationTarget => ({
  controlId,
  resourceType: 'AwsS3Bucket',
  arn: BUCKET_ARN,
  name: 'pipeline-artifact-bucket-123456789012',
  region: 'us-east-1',
  accountId: '123456789012',
  partition: 'aws',
});

/** The reference pipeline's artifact bucket policy: SSE required, non-TLS denied on objects only (seed-pipeline.md §3). */
const SEED_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Id: 'SSEAndSSLPolicy',
  Statement: [
    { Sid: 'DenyUnEncryptedObjectUploads', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `${BUCKET_ARN}/*`, Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } },
    { Sid: 'DenyInsecureConnections', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `${BUCKET_ARN}/*`, Condition: { Bool: { 'aws:SecureTransport': false } } },
  ],
});

describe('planSslOnlyPolicy', () => {
  it('adds the full deny-non-TLS statement to a policy that covers objects only, keeping the rest', () => {
    // Act
    const plan = planSslOnlyPolicy(target('S3.5'), SEED_POLICY);
    // Assert
    const policy = JSON.parse(plan.state!.policy);
    expect(policy.Id).toBe('SSEAndSSLPolicy');
    expect(policy.Statement).toHaveLength(3);
    expect(policy.Statement[2]).toEqual({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(plan.steps[0]!.description).toMatch(/2 existing statement\(s\) kept/);
  });

  it('creates a policy for a bucket without one', () => {
    const plan = planSslOnlyPolicy(target('S3.5'), undefined);
    expect(JSON.parse(plan.state!.policy)).toMatchObject({ Version: '2012-10-17', Statement: [{ Sid: 'DenyInsecureTransport' }] });
  });

  it('plans nothing when a statement already denies non-TLS on bucket and objects', () => {
    const merged = planSslOnlyPolicy(target('S3.5'), SEED_POLICY).state!.policy;
    expect(planSslOnlyPolicy(target('S3.5'), merged)).toMatchObject({ compliant: true, steps: [] });
  });

  it('picks another Sid when DenyInsecureTransport is taken', () => {
    const taken = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 's3:GetObject', Resource: `${BUCKET_ARN}/*` }] });
    expect(JSON.parse(planSslOnlyPolicy(target('S3.5'), taken).state!.policy).Statement[1].Sid).toBe('DenyInsecureTransportRemediated');
  });

  it('refuses to go over the 20 KB policy limit', () => {
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Big', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: Array.from({ length: 400 }, (_, i) => `${BUCKET_ARN}/prefix-${i}/*`) }] });
    expect(() => planSslOnlyPolicy(target('S3.5'), big)).toThrow(/exceed 20480 bytes/);
  });
});

describe('deniesInsecureTransport', () => {
  const statement = { Effect: 'Deny', Principal: { AWS: '*' }, Action: ['s3:*'], Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
  it.each([
    ['the full statement', statement, true],
    ['a wildcard resource', { ...statement, Resource: `${BUCKET_ARN}*` }, true],
    ['an Allow', { ...statement, Effect: 'Allow' }, false],
    ['one principal only', { ...statement, Principal: { AWS: 'arn:aws:iam::1:root' } }, false],
    ['GetObject only', { ...statement, Action: 's3:GetObject' }, false],
    ['objects only', { ...statement, Resource: `${BUCKET_ARN}/*` }, false],
    ['no condition', { ...statement, Condition: undefined }, false],
  ])('%s → %s', (_, s, expected) => {
    expect(deniesInsecureTransport(s as never, BUCKET_ARN)).toBe(expected);
  });
});

describe('planPublicAccessBlock', () => {
  it('lists the settings that are off', () => {
    const plan = planPublicAccessBlock(target('S3.8'), { BlockPublicAcls: true, IgnorePublicAcls: false });
    expect(plan.steps).toEqual([
      { action: 's3:PutBucketPublicAccessBlock', description: 'block public access on bucket pipeline-artifact-bucket-123456789012 (was off: IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets)' },
    ]);
  });

  it('plans nothing when all four are on', () => {
    expect(planPublicAccessBlock(target('S3.8'), { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }).compliant).toBe(true);
  });
});

describe('the S3 playbooks', () => {
  const s3 = mockClient(S3Client);
  const ctx: PlaybookContext = { clients: testClients(), config: remediationConfigFromEnv({}) };
  const notFound = (name: string) => Object.assign(new Error(name), { name });

  beforeEach(() => s3.reset());

  it('S3.5 writes the merged policy and verifies it by reading it back', async () => {
    // Arrange
    s3.on(GetBucketPolicyCommand).resolvesOnce({ Policy: SEED_POLICY });
    const plan = await s35.plan(target('S3.5'), ctx);
    s3.on(GetBucketPolicyCommand).resolves({ Policy: plan.state!.policy });
    // Act
    await s35.apply(plan, ctx);
    const verification = await s35.verify(plan, ctx);
    // Assert
    expect(s3).toHaveReceivedCommandWith(PutBucketPolicyCommand, { Bucket: 'pipeline-artifact-bucket-123456789012', Policy: plan.state!.policy });
    expect(verification).toEqual({ ok: true, detail: 'the bucket policy denies non-TLS requests' });
  });

  it('S3.5 treats a bucket without policy as one to fix', async () => {
    s3.on(GetBucketPolicyCommand).rejects(notFound('NoSuchBucketPolicy'));
    const plan = await s35.plan(target('S3.5'), ctx);
    expect(plan.compliant).toBe(false);
    expect(await s35.verify(plan, ctx)).toEqual({ ok: false, detail: 'the bucket policy still allows non-TLS requests' });
  });

  it('S3.8 blocks public access and verifies it', async () => {
    s3.on(GetPublicAccessBlockCommand).rejectsOnce(notFound('NoSuchPublicAccessBlockConfiguration')).resolves({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    });
    const plan = await s38.plan(target('S3.8'), ctx);
    await s38.apply(plan, ctx);
    expect(s3).toHaveReceivedCommandWith(PutPublicAccessBlockCommand, {
      Bucket: 'pipeline-artifact-bucket-123456789012',
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    });
    expect(await s38.verify(plan, ctx)).toEqual({ ok: true, detail: 'all four public access block settings are on' });
  });

  it('reads bucket tags, none being an empty set', async () => {
    s3.on(GetBucketTaggingCommand).rejectsOnce(notFound('NoSuchTagSet')).resolves({ TagSet: [{ Key: 'auto-remediate', Value: 'true' }] });
    expect(await s38.readTags(target('S3.8'), ctx)).toEqual({});
    expect(await s38.readTags(target('S3.8'), ctx)).toEqual({ 'auto-remediate': 'true' });
  });
});
