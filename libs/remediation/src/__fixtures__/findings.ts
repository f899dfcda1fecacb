import type { AwsSecurityFinding, Resource } from '@aws-sdk/client-securityhub';
import type { AwsTarget } from '@devsecops/asff';
import type { ControlId } from '../config';

export const ACCOUNT = '123456789012';
export const SELF: AwsTarget = { awsAccountId: ACCOUNT, region: 'us-east-1', partition: 'aws' };
export const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

export const RESOURCES: Record<ControlId, Resource> = {
  'CodeBuild.2': { Type: 'AwsCodeBuildProject', Id: `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/sca`, Partition: 'aws', Region: 'us-east-1' },
  'CloudTrail.4': { Type: 'AwsCloudTrailTrail', Id: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/patient-portal-trail`, Partition: 'aws', Region: 'us-east-1' },
  'S3.5': { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::pipeline-artifact-bucket-123456789012', Partition: 'aws', Region: 'us-east-1' },
  'S3.8': { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::pipeline-artifact-bucket-123456789012', Partition: 'aws', Region: 'us-east-1' },
  'KMS.4': { Type: 'AwsKmsKey', Id: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, Partition: 'aws', Region: 'us-east-1' },
};

const TITLES: Record<ControlId, string> = {
  'CodeBuild.2': 'CodeBuild project environment variables should not contain clear text credentials',
  'CloudTrail.4': 'CloudTrail log file validation should be enabled',
  'S3.5': 'S3 general purpose buckets should require requests to use SSL',
  'S3.8': 'S3 general purpose buckets should block public access',
  'KMS.4': 'AWS KMS key rotation should be enabled',
};

/** A consolidated Security Hub CSPM control finding, FAILED, NEW and ACTIVE (events.md §6). */
export function controlFinding(controlId: ControlId, overrides: Partial<AwsSecurityFinding> = {}): AwsSecurityFinding {
  const time = '2026-11-22T11:00:00.000Z';
  return {
    SchemaVersion: '2018-10-08',
    Id: `arn:aws:securityhub:us-east-1:${ACCOUNT}:security-control/${controlId}/finding/0f1e2d3c-4b5a-6978-8a9b-${controlId.replace(/\W/g, '').toLowerCase().padEnd(12, '0').slice(0, 12)}`,
    ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/securityhub',
    ProductName: 'Security Hub',
    CompanyName: 'AWS',
    Region: 'us-east-1',
    GeneratorId: `security-control/${controlId}`,
    AwsAccountId: ACCOUNT,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    FirstObservedAt: time,
    LastObservedAt: time,
    CreatedAt: time,
    UpdatedAt: time,
    Severity: { Label: controlId === 'CodeBuild.2' ? 'CRITICAL' : 'MEDIUM', Original: controlId === 'CodeBuild.2' ? 'CRITICAL' : 'MEDIUM' },
    Title: TITLES[controlId],
    Description: `This control checks ${TITLES[controlId].toLowerCase()}.`,
    Remediation: { Recommendation: { Text: 'For information on how to correct this issue, consult the AWS Security Hub controls documentation.', Url: `https://docs.aws.amazon.com/console/securityhub/${controlId}/remediation` } },
    ProductFields: { RelatedAWSResources: '[]', 'aws/securityhub/ProductName': 'Security Hub', 'aws/securityhub/CompanyName': 'AWS' },
    Resources: [RESOURCES[controlId]],
    Compliance: { Status: 'FAILED', SecurityControlId: controlId, AssociatedStandards: [{ StandardsId: 'standards/aws-foundational-security-best-practices/v/1.0.0' }] },
    WorkflowState: 'NEW',
    Workflow: { Status: 'NEW' },
    RecordState: 'ACTIVE',
    FindingProviderFields: { Severity: { Label: 'MEDIUM', Original: 'MEDIUM' }, Types: ['Software and Configuration Checks/Industry and Regulatory Standards'] },
    ...overrides,
  };
}

/** EventBridge `Security Hub Findings - Imported` around one finding. */
export function findingsImported(finding: AwsSecurityFinding): Record<string, unknown> {
  return {
    version: '0',
    id: 'b5a9c5f2-0f3b-4e2a-9c1d-2f6f0a1b2c3d',
    'detail-type': 'Security Hub Findings - Imported',
    source: 'aws.securityhub',
    account: ACCOUNT,
    time: '2026-11-22T11:00:05Z',
    region: 'us-east-1',
    resources: [finding.Id],
    detail: { findings: [finding] },
  };
}

/** BatchGetProjects' view of a project leaking credentials in PLAINTEXT variables. */
export function leakingProject(overrides: { environmentVariables?: { name: string; value: string; type?: 'PLAINTEXT' | 'PARAMETER_STORE' | 'SECRETS_MANAGER' }[] } = {}) {
  return {
    name: 'sca',
    arn: `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/sca`,
    serviceRole: `arn:aws:iam::${ACCOUNT}:role/service-role/codebuild-sca-role`,
    source: { type: 'CODEPIPELINE' as const, buildspec: 'buildspec.yml' },
    artifacts: { type: 'CODEPIPELINE' as const },
    environment: {
      type: 'LINUX_CONTAINER' as const,
      image: 'aws/codebuild/standard:7.0',
      computeType: 'BUILD_GENERAL1_SMALL' as const,
      environmentVariables: overrides.environmentVariables ?? [
        { name: 'AWS_ACCESS_KEY_ID', value: ACCESS_KEY, type: 'PLAINTEXT' as const },
        { name: 'AWS_SECRET_ACCESS_KEY', value: SECRET_KEY, type: 'PLAINTEXT' as const },
        { name: 'REPORT_NAME', value: 'dc-report', type: 'PLAINTEXT' as const },
      ],
    },
    tags: [{ key: 'auto-remediate', value: 'true' }],
  };
}

/**
 * A control finding of one standard, as Security Hub CSPM sends it when consolidated control findings is off
 * (ControlFindingGenerator STANDARD_CONTROL): the shape of a captured FSBP CodeBuild.2 finding (GeneratorId
 * `aws-foundational-security-best-practices/v/1.0.0/CodeBuild.2`, Id under `subscription/…`, ProductFields
 * StandardsArn/StandardsSubscriptionArn/StandardsControlArn/ControlId/RecommendationUrl/RelatedAWSResources), with the
 * fields current findings add (Compliance.SecurityControlId, AssociatedStandards). `legacy` drops those, as findings
 * from before consolidation had them. PCI DSS and CIS findings of the same check differ in GeneratorId and ControlId.
 */
export function standardFinding(
  controlId: ControlId,
  standard: 'fsbp' | 'pci' | 'cis-1.4' | 'cis-1.2' = 'fsbp',
  options: { legacy?: boolean; overrides?: Partial<AwsSecurityFinding> } = {},
): AwsSecurityFinding {
  const consolidated = controlFinding(controlId);
  const standards = {
    fsbp: { path: 'aws-foundational-security-best-practices/v/1.0.0', control: controlId, generator: `aws-foundational-security-best-practices/v/1.0.0/${controlId}` },
    pci: { path: 'pci-dss/v/3.2.1', control: `PCI.${controlId}`, generator: `pci-dss/v/3.2.1/PCI.${controlId}` },
    'cis-1.4': { path: 'cis-aws-foundations-benchmark/v/1.4.0', control: '3.2', generator: 'cis-aws-foundations-benchmark/v/1.4.0/3.2' },
    'cis-1.2': { path: 'cis-aws-foundations-benchmark/v/1.2.0', control: '2.2', generator: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/2.2' },
  }[standard];
  const id = `arn:aws:securityhub:us-east-1:${ACCOUNT}:subscription/${standards.path}/${standards.control}/finding/4a596d95-8274-4d28-955b-7158fb6b6a4c`;
  const { SecurityControlId: _drop, AssociatedStandards: _also, ...legacyCompliance } = consolidated.Compliance!;
  return {
    ...consolidated,
    Id: id,
    GeneratorId: standards.generator,
    Title: `${standards.control} ${TITLES[controlId]}`,
    Types: [`Software and Configuration Checks/Industry and Regulatory Standards/${standard === 'fsbp' ? 'AWS-Foundational-Security-Best-Practices' : standard === 'pci' ? 'PCI-DSS' : 'CIS AWS Foundations Benchmark'}`],
    ProductFields: {
      StandardsArn: `arn:aws:securityhub:::standards/${standards.path}`,
      StandardsSubscriptionArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:subscription/${standards.path}`,
      StandardsControlArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:control/${standards.path}/${standards.control}`,
      ControlId: standards.control,
      RecommendationUrl: `https://docs.aws.amazon.com/console/securityhub/${standards.control}/remediation`,
      'RelatedAWSResources:0/name': 'securityhub-codebuild-project-envvar-awscred-check-05b9772f',
      'RelatedAWSResources:0/type': 'AWS::Config::ConfigRule',
      'aws/securityhub/ProductName': 'Security Hub',
      'aws/securityhub/CompanyName': 'AWS',
      'aws/securityhub/FindingId': `arn:aws:securityhub:us-east-1::product/aws/securityhub/${id}`,
    },
    Compliance: options.legacy
      ? legacyCompliance
      : { ...consolidated.Compliance!, AssociatedStandards: [{ StandardsId: `standards/${standards.path}` }] },
    ...options.overrides,
  };
}

/** The CodeBuild.2 resource as a real finding carries it: the project with its Details. */
export const CODEBUILD_2_RESOURCE: Resource = {
  ...RESOURCES['CodeBuild.2'],
  Details: {
    AwsCodeBuildProject: {
      Name: 'sca',
      ServiceRole: `arn:aws:iam::${ACCOUNT}:role/service-role/codebuild-sca-role`,
      Source: { Type: 'CODEPIPELINE' },
      Environment: { Type: 'LINUX_CONTAINER', ImagePullCredentialsType: 'CODEBUILD' },
    },
  },
};
