import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { assumedRoleCredentials, importAccountFor } from './accounts';

const OWN = '111111111111';
const WORKLOAD = '222222222222';
const TEMPLATE = 'arn:aws:iam::{account}:role/devsecops-findings-import';

describe('importAccountFor', () => {
  it.each([
    ['no account, no role: the own account', undefined, undefined, { awsAccountId: OWN }],
    ['the own account named explicitly', OWN, TEMPLATE, { awsAccountId: OWN }],
    ['a workload account through the template', WORKLOAD, TEMPLATE, { awsAccountId: WORKLOAD, roleArn: `arn:aws:iam::${WORKLOAD}:role/devsecops-findings-import` }],
    ['a fixed role: its account for every event', undefined, `arn:aws-us-gov:iam::${WORKLOAD}:role/import`, { awsAccountId: WORKLOAD, roleArn: `arn:aws-us-gov:iam::${WORKLOAD}:role/import` }],
    ['a fixed role and its own account named', WORKLOAD, `arn:aws:iam::${WORKLOAD}:role/import`, { awsAccountId: WORKLOAD, roleArn: `arn:aws:iam::${WORKLOAD}:role/import` }],
  ])('%s', (_name, requested, role, expected) => {
    expect(importAccountFor(OWN, requested, role)).toEqual(expected);
  });

  it.each([
    ['another account without a role', WORKLOAD, undefined, /IMPORT_ROLE_ARN is not set/],
    ['another account than the fixed role’s', '333333333333', `arn:aws:iam::${WORKLOAD}:role/import`, /does not match IMPORT_ROLE_ARN/],
    ['a malformed role', undefined, 'devsecops-import', /must be an IAM role ARN/],
  ])('refuses %s with one clear message', (_name, requested, role, message) => {
    expect(importAccountFor(OWN, requested, role)).toEqual(expect.stringMatching(message));
  });
});

describe('importAccountFor with the event\'s importRoleArn (what the pipeline stack sends)', () => {
  const role = `arn:aws:iam::${WORKLOAD}:role/devsecops-securityhub-import`;

  it('assumes the event\'s role in its account, whatever IMPORT_ROLE_ARN says', () => {
    expect(importAccountFor(OWN, undefined, TEMPLATE, role)).toEqual({ awsAccountId: WORKLOAD, roleArn: role });
    expect(importAccountFor(OWN, WORKLOAD, undefined, role)).toEqual({ awsAccountId: WORKLOAD, roleArn: role });
  });

  it('uses the own credentials for a role in the own account', () => {
    expect(importAccountFor(OWN, undefined, undefined, `arn:aws:iam::${OWN}:role/x`)).toEqual({ awsAccountId: OWN });
  });

  it('refuses an account that disagrees with the role, and a malformed role', () => {
    expect(importAccountFor(OWN, '333333333333', undefined, role)).toMatch(/account 333333333333 does not match importRoleArn's account 222222222222/);
    expect(importAccountFor(OWN, undefined, undefined, 'arn:aws:iam::{account}:role/x')).toMatch(/importRoleArn must be an IAM role ARN/);
  });
});

describe('assumedRoleCredentials', () => {
  it('assumes the role once and again only shortly before the credentials expire', async () => {
    // arrange
    const sts = new STSClient({ region: 'us-east-1' });
    const mock = mockClient(sts);
    let now = Date.parse('2026-12-01T10:00:00Z');
    mock.on(AssumeRoleCommand).callsFake(async () => ({
      Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(now + 3_600_000) },
    }));
    const provider = assumedRoleCredentials(sts, `arn:aws:iam::${WORKLOAD}:role/import`, 'sca-parser import', () => now);
    // act
    const first = await provider();
    now += 50 * 60_000;
    await provider();
    now += 6 * 60_000;
    await provider();
    // assert
    expect(first).toMatchObject({ accessKeyId: 'ASIA', sessionToken: 'token' });
    expect(mock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    expect(mock.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toEqual({ RoleArn: `arn:aws:iam::${WORKLOAD}:role/import`, RoleSessionName: 'sca-parser-import' });
    mock.restore();
  });
});
