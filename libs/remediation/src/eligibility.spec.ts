import { remediationConfigFromEnv } from './config';
import { ACCOUNT, RESOURCES, SELF, controlFinding, standardFinding } from './__fixtures__/findings';
import { checkEligibility, controlIdOf, hasRequiredTag } from './eligibility';

const config = remediationConfigFromEnv({ ALLOWED_PLAYBOOKS: 'CodeBuild.2,CloudTrail.4,S3.5,S3.8,KMS.4', ALLOWED_ACCOUNTS: ACCOUNT });

describe('checkEligibility', () => {
  it.each([
    ['CodeBuild.2', 'sca'],
    ['CloudTrail.4', 'patient-portal-trail'],
    ['S3.5', 'pipeline-artifact-bucket-123456789012'],
    ['S3.8', 'pipeline-artifact-bucket-123456789012'],
    ['KMS.4', '1234abcd-12ab-34cd-56ef-1234567890ab'],
  ] as const)('takes a NEW FAILED %s finding and names its resource %s', (controlId, name) => {
    expect(checkEligibility(controlFinding(controlId), config, SELF)).toEqual({
      eligible: true,
      target: { controlId, resourceType: RESOURCES[controlId].Type, arn: RESOURCES[controlId].Id, name, region: 'us-east-1', accountId: ACCOUNT, partition: 'aws' },
    });
  });

  it.each([
    ['an archived finding', { RecordState: 'ARCHIVED' as const }, /RecordState is ARCHIVED/],
    ['a finding already NOTIFIED', { Workflow: { Status: 'NOTIFIED' as const } }, /Workflow is NOTIFIED/],
    ['a passed check', { Compliance: { Status: 'PASSED' as const, SecurityControlId: 'KMS.4' } }, /Compliance is PASSED/],
    ['its own update', { Note: { Text: 'x', UpdatedBy: 'devsecops-auto-remediator', UpdatedAt: '2026-11-22T11:00:00Z' } }, /remediator itself/],
    ['a finding of another product', { ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default` }, /not a Security Hub control finding/],
    ['another account', { AwsAccountId: '210987654321' }, /account 210987654321 is not allow-listed/],
    ['a control without playbook', { GeneratorId: 'security-control/IAM.1', Compliance: { Status: 'FAILED' as const, SecurityControlId: 'IAM.1' } }, /no playbook for control IAM\.1/],
    ['a finding without the resource type', { Resources: [{ Type: 'AwsAccount', Id: 'AWS::::Account:123456789012' }] }, /no AwsKmsKey resource/],
  ])('skips %s', (_, overrides, reason) => {
    const result = checkEligibility(controlFinding('KMS.4', overrides), config, SELF);
    expect(result.eligible).toBe(false);
    expect((result as { reason: string }).reason).toMatch(reason);
  });

  it('skips playbooks, accounts and resources that are not allow-listed', () => {
    const narrow = remediationConfigFromEnv({ ALLOWED_PLAYBOOKS: 'S3.8', ALLOWED_ACCOUNTS: ACCOUNT, ALLOWED_RESOURCES: 'arn:aws:s3:::other-*' });
    expect(checkEligibility(controlFinding('KMS.4'), narrow, SELF)).toEqual({ eligible: false, reason: 'playbook KMS.4 is not allow-listed' });
    expect(checkEligibility(controlFinding('S3.8'), narrow, SELF)).toEqual({ eligible: false, reason: 'resource arn:aws:s3:::pipeline-artifact-bucket-123456789012 is not allow-listed' });
    expect(checkEligibility(controlFinding('S3.8'), remediationConfigFromEnv({ ALLOWED_PLAYBOOKS: 'S3.8' }), SELF)).toEqual({ eligible: false, reason: `account ${ACCOUNT} is not allow-listed` });
  });

  it('refuses another account even when allow-listed: it acts with its own role only', () => {
    const wide = remediationConfigFromEnv({ ALLOWED_PLAYBOOKS: 'KMS.4', ALLOWED_ACCOUNTS: `${ACCOUNT},210987654321` });
    expect(checkEligibility(controlFinding('KMS.4', { AwsAccountId: '210987654321' }), wide, SELF)).toMatchObject({ eligible: false, reason: expect.stringMatching(/cross-account/) });
  });

  it('passes the resource tags of the finding on', () => {
    const finding = controlFinding('KMS.4', { Resources: [{ ...RESOURCES['KMS.4'], Tags: { 'auto-remediate': 'true' } }] });
    expect(checkEligibility(finding, config, SELF)).toMatchObject({ eligible: true, tags: { 'auto-remediate': 'true' } });
  });
});

describe('controlIdOf', () => {
  it('reads the control from both GeneratorId forms: consolidated and FSBP per-standard (also without SecurityControlId)', () => {
    expect(controlIdOf(controlFinding('S3.5'))).toBe('S3.5');
    expect(controlFinding('CodeBuild.2').GeneratorId).toBe('security-control/CodeBuild.2');
    expect(controlIdOf(standardFinding('CodeBuild.2', 'fsbp'))).toBe('CodeBuild.2');
    expect(standardFinding('CodeBuild.2', 'fsbp').GeneratorId).toBe('aws-foundational-security-best-practices/v/1.0.0/CodeBuild.2');
    expect(controlIdOf(standardFinding('CodeBuild.2', 'fsbp', { legacy: true }))).toBe('CodeBuild.2');
  });

  it.each([
    ['PCI DSS', standardFinding('CodeBuild.2', 'pci')],
    ['CIS 1.4.0', standardFinding('CloudTrail.4', 'cis-1.4')],
    ['CIS 1.2.0', standardFinding('CloudTrail.4', 'cis-1.2')],
  ])('gives no control for a %s copy of a check, even though it carries Compliance.SecurityControlId', (_, finding) => {
    expect(finding.Compliance?.SecurityControlId).toBeDefined();
    expect(controlIdOf(finding)).toBeUndefined();
  });
});

describe('checkEligibility by standard', () => {
  it('takes the FSBP per-standard CodeBuild.2 finding (consolidated control findings off)', () => {
    expect(checkEligibility(standardFinding('CodeBuild.2', 'fsbp'), config, SELF)).toMatchObject({ eligible: true, target: { controlId: 'CodeBuild.2', name: 'sca' } });
  });

  it('leaves the PCI DSS and CIS copies to the FSBP finding, saying so', () => {
    expect(checkEligibility(standardFinding('CodeBuild.2', 'pci'), config, SELF)).toEqual({
      eligible: false,
      reason: 'GeneratorId pci-dss/v/3.2.1/PCI.CodeBuild.2 is not a consolidated or FSBP control finding (PCI DSS and CIS copies of a check are left to its FSBP finding)',
    });
    expect(checkEligibility(standardFinding('CloudTrail.4', 'cis-1.4'), config, SELF)).toMatchObject({ eligible: false, reason: expect.stringMatching(/cis-aws-foundations-benchmark/) });
  });
});

describe('hasRequiredTag', () => {
  it('checks key, and value when one is required', () => {
    expect(hasRequiredTag({ a: '1' }, { key: 'a' })).toBe(true);
    expect(hasRequiredTag({ a: '1' }, { key: 'a', value: '2' })).toBe(false);
    expect(hasRequiredTag({}, { key: 'a' })).toBe(false);
    expect(hasRequiredTag({}, undefined)).toBe(true);
  });
});
