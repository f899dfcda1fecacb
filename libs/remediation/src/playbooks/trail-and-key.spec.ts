import { CloudTrailClient, GetTrailCommand, ListTagsCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { EnableKeyRotationCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { remediationConfigFromEnv } from '../config';
import { testClients } from '../__fixtures__/clients';
import type { RemediationTarget } from '../playbook';
import { cloudTrail4 } from './cloudtrail-4';
import { kms4 } from './kms-4';

const cloudTrail = mockClient(CloudTrailClient);
const kms = mockClient(KMSClient);
const config = remediationConfigFromEnv({});

beforeEach(() => {
  cloudTrail.reset();
  kms.reset();
});

describe('the CloudTrail.4 playbook', () => {
  const trail: RemediationTarget = {
    controlId: 'CloudTrail.4',
    resourceType: 'AwsCloudTrailTrail',
    arn: 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/patient-portal-trail',
    name: 'patient-portal-trail',
    region: 'us-east-1',
    accountId: '123456789012',
    partition: 'aws',
  };

  it('enables validation in the trail’s home Region and verifies with GetTrail', async () => {
    // Arrange
    const clients = testClients();
    cloudTrail.on(GetTrailCommand).resolvesOnce({ Trail: { Name: 'patient-portal-trail', LogFileValidationEnabled: false } }).resolves({ Trail: { LogFileValidationEnabled: true } });
    // Act
    const plan = await cloudTrail4.plan(trail, { clients, config });
    await cloudTrail4.apply(plan, { clients, config });
    const verification = await cloudTrail4.verify(plan, { clients, config });
    // Assert
    expect(plan.steps).toEqual([{ action: 'cloudtrail:UpdateTrail', description: 'enable log file validation on trail patient-portal-trail' }]);
    expect(cloudTrail).toHaveReceivedCommandWith(UpdateTrailCommand, { Name: trail.arn, EnableLogFileValidation: true });
    expect(verification.ok).toBe(true);
    expect(new Set(clients.regions)).toEqual(new Set(['eu-west-1']));
  });

  it('plans nothing when validation is already on', async () => {
    cloudTrail.on(GetTrailCommand).resolves({ Trail: { LogFileValidationEnabled: true } });
    expect(await cloudTrail4.plan(trail, { clients: testClients(), config })).toMatchObject({ compliant: true, steps: [] });
  });

  it('reads the trail tags', async () => {
    cloudTrail.on(ListTagsCommand).resolves({ ResourceTagList: [{ ResourceId: trail.arn, TagsList: [{ Key: 'owner', Value: 'secops' }] }] });
    expect(await cloudTrail4.readTags(trail, { clients: testClients(), config })).toEqual({ owner: 'secops' });
  });
});

describe('the KMS.4 playbook', () => {
  const key: RemediationTarget = {
    controlId: 'KMS.4',
    resourceType: 'AwsKmsKey',
    arn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    name: '1234abcd-12ab-34cd-56ef-1234567890ab',
    region: 'us-east-1',
    accountId: '123456789012',
    partition: 'aws',
  };

  it('enables rotation and verifies with GetKeyRotationStatus', async () => {
    kms.on(GetKeyRotationStatusCommand).resolvesOnce({ KeyRotationEnabled: false }).resolves({ KeyRotationEnabled: true });
    const ctx = { clients: testClients(), config };
    const plan = await kms4.plan(key, ctx);
    await kms4.apply(plan, ctx);
    expect(kms).toHaveReceivedCommandWith(EnableKeyRotationCommand, { KeyId: key.arn });
    expect(await kms4.verify(plan, ctx)).toEqual({ ok: true, detail: 'GetKeyRotationStatus reports rotation on' });
  });

  it('reports a verification failure when rotation stays off', async () => {
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    const ctx = { clients: testClients(), config };
    const plan = await kms4.plan(key, ctx);
    expect(await kms4.verify(plan, ctx)).toEqual({ ok: false, detail: 'GetKeyRotationStatus still reports rotation off' });
  });
});
