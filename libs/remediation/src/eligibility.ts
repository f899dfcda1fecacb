import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { isPartition, partitionForRegion, type AwsTarget } from '@devsecops/asff';
import { PLAYBOOK_CONTROL_IDS, type ControlId, type RemediationConfig } from './config';
import { resourceIdOf, type RemediationTarget } from './playbook';
import { PLAYBOOKS } from './playbooks';

/** Security Hub's own product: the control findings the playbooks are written for. */
export const SECURITY_HUB_PRODUCT_SUFFIX = '::product/aws/securityhub';

export type Eligibility =
  | { eligible: true; target: RemediationTarget; tags?: Record<string, string> }
  | { eligible: false; reason: string };

/** GeneratorId prefixes of the findings the playbooks act on: consolidated control findings and FSBP's own. */
export const CONTROL_GENERATOR_PREFIXES = ['security-control/', 'aws-foundational-security-best-practices/v/1.0.0/'] as const;

/** The two GeneratorIds a control's findings carry: consolidated (`security-control/CodeBuild.2`) and FSBP per-standard. */
export function controlGeneratorIds(controlId: string): string[] {
  return CONTROL_GENERATOR_PREFIXES.map((prefix) => `${prefix}${controlId}`);
}

/**
 * The control a finding is for, read from its GeneratorId: `security-control/<Id>` (consolidated control findings on)
 * or `aws-foundational-security-best-practices/v/1.0.0/<Id>` (off: one finding per standard; the FSBP one is ours).
 * PCI DSS (`pci-dss/v/3.2.1/PCI.CodeBuild.2`) and CIS (`cis-aws-foundations-benchmark/…`) findings give none: with
 * consolidation off they are second and third copies of a check whose FSBP finding is remediated, and acting on each
 * would run the playbook (and write a note) once per standard. Compliance.SecurityControlId, which per-standard
 * findings carry too, is not used for that reason.
 */
export function controlIdOf(finding: AwsSecurityFinding): string | undefined {
  const generator = finding.GeneratorId ?? '';
  const prefix = CONTROL_GENERATOR_PREFIXES.find((p) => generator.startsWith(p));
  const id = prefix ? generator.slice(prefix.length) : undefined;
  return id && !id.includes('/') ? id : undefined;
}

export function matchesArn(arn: string, patterns: readonly string[]): boolean {
  return patterns.length === 0 || patterns.some((p) => (p.endsWith('*') ? arn.startsWith(p.slice(0, -1)) : arn === p));
}

/** Name a playbook acts on: bucket name from `arn:aws:s3:::bucket`, project/trail name, key id. */
function nameFromArn(resourceType: string, arn: string): string {
  if (resourceType === 'AwsS3Bucket') return arn.split(':::')[1] ?? arn;
  return arn.startsWith('arn:') ? resourceIdOf(arn) : arn;
}

/**
 * The second check after the event pattern (pure): only ACTIVE, NEW, FAILED Security Hub control findings that
 * the remediator did not update itself, for an allow-listed playbook, account and resource. A finding that fails
 * here is left untouched.
 */
export function checkEligibility(finding: AwsSecurityFinding, config: RemediationConfig, self: AwsTarget): Eligibility {
  const no = (reason: string): Eligibility => ({ eligible: false, reason });
  if (finding.RecordState !== 'ACTIVE') return no(`RecordState is ${finding.RecordState ?? 'missing'}, not ACTIVE`);
  if (finding.Workflow?.Status !== 'NEW') return no(`Workflow is ${finding.Workflow?.Status ?? 'missing'}, not NEW`);
  if (finding.Compliance?.Status !== 'FAILED') return no(`Compliance is ${finding.Compliance?.Status ?? 'missing'}, not FAILED`);
  if (finding.Note?.UpdatedBy === config.name) return no('last updated by the remediator itself');
  if (!finding.ProductArn?.endsWith(SECURITY_HUB_PRODUCT_SUFFIX)) return no('not a Security Hub control finding');
  const controlId = controlIdOf(finding);
  if (!controlId) {
    return no(`GeneratorId ${finding.GeneratorId ?? '(none)'} is not a consolidated or FSBP control finding (PCI DSS and CIS copies of a check are left to its FSBP finding)`);
  }
  if (!(PLAYBOOK_CONTROL_IDS as readonly string[]).includes(controlId)) return no(`no playbook for control ${controlId}`);
  if (!config.allowedPlaybooks.includes(controlId as ControlId)) return no(`playbook ${controlId} is not allow-listed`);
  const account = finding.AwsAccountId ?? '';
  if (!config.allowedAccounts.includes(account)) return no(`account ${account} is not allow-listed`);
  if (account !== self.awsAccountId) return no(`account ${account} is not the remediator's own (${self.awsAccountId}); cross-account remediation is not supported`);
  const playbook = PLAYBOOKS[controlId as ControlId];
  const resource = finding.Resources?.find((r) => r.Type === playbook.resourceType);
  if (!resource?.Id) return no(`no ${playbook.resourceType} resource in the finding`);
  if (!matchesArn(resource.Id, config.allowedResources)) return no(`resource ${resource.Id} is not allow-listed`);
  const region = resource.Region ?? finding.Region ?? self.region;
  const partition = isPartition(resource.Partition) ? resource.Partition : partitionForRegion(region);
  return {
    eligible: true,
    target: {
      controlId: controlId as ControlId,
      resourceType: playbook.resourceType,
      arn: resource.Id,
      name: nameFromArn(playbook.resourceType, resource.Id),
      region,
      accountId: account,
      partition,
    },
    ...(resource.Tags ? { tags: resource.Tags } : {}),
  };
}

/** True when the tags satisfy the required tag (key, and value if one is required). */
export function hasRequiredTag(tags: Record<string, string>, required: RemediationConfig['requiredTag']): boolean {
  if (!required) return true;
  if (!(required.key in tags)) return false;
  return required.value === undefined || tags[required.key] === required.value;
}
