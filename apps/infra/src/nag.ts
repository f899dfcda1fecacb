import { Stack, Validations, type App } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 wiring. Rule packs are CDK validation plugins; an acknowledgement is construct metadata with a
 * mandatory reason, placed on the narrowest construct it concerns. Only the HIPAA/NIST inline-policy rules are
 * acknowledged per stack (they flag every role CDK creates).
 */

export function nagPacks(scope?: IConstruct): NagPack[] {
  return [new AwsSolutionsChecks(scope), new HIPAASecurityChecks(scope), new NIST80053R5Checks(scope)];
}

/** Registers the three packs: `cdk synth` then fails on any unacknowledged error. */
export function addNagPacks(app: App): void {
  Validations.of(app).addPlugins(...nagPacks(app));
}

/** One acknowledgement per rule id (and per finding for rules with findings, e.g. IAM5[Action::s3:GetObject*]). */
export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  if (reason.trim().length < 20) throw new Error(`acknowledgement of ${ids.join(', ')} needs a real reason`);
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

export interface AcknowledgementRecord {
  path: string;
  id: string;
  reason: string;
}

/** Every acknowledgement under a scope, read back from construct metadata. */
export function acknowledgementsUnder(scope: IConstruct): AcknowledgementRecord[] {
  const out: AcknowledgementRecord[] = [];
  for (const node of scope.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      // CDK qualifies ids without a plugin namespace as "Annotation::<id>"; cdk-nag matches them without it.
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) out.push({ path: node.node.path, id: id.replace(/^annotation::/i, ''), reason });
    }
  }
  return out;
}

/**
 * The AwsSolutions-IAM5 finding id of a wildcard resource, as cdk-nag spells it (tokens flattened to <Ref> and
 * <Resource.Attr>). Resolved in the stack of `scope`, so use it only with tokens local to that stack (which holds
 * here: stacks share values through SSM parameters, never exports).
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}

/** NIST/HIPAA flag every inline policy; CDK writes one (DefaultPolicy) per role. Acknowledged once per stack. */
export function acknowledgeInlinePolicies(stack: Stack): void {
  acknowledge(
    stack,
    'Each role in this stack has its own inline policy, generated for that role alone and versioned with it in this template; managed policies would add shared documents without narrowing any permission.',
    'HIPAA.Security-IAMNoInlinePolicy',
    'NIST.800.53.R5-IAMNoInlinePolicy',
  );
}

/** The wildcard action groups CDK's own grant helpers write (bucket.grantRead/ReadWrite, key.grantEncryptDecrypt). */
export const CDK_GRANT_ACTIONS = ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'] as const;

interface PolicyJson {
  Statement?: { Effect?: string; Action?: string | string[]; Resource?: unknown }[];
}

/**
 * Acknowledges, on one role, the IAM5 findings of wildcards that CDK's integrations generated: only the action
 * groups above and the resources listed (flattened as cdk-nag prints them). Anything else stays a finding.
 * Call it after everything that grants to the role has run.
 */
export function acknowledgeGeneratedGrants(role: IConstruct, resources: readonly string[], reason: string): string[] {
  const policy = role.node.tryFindChild('DefaultPolicy') as (IConstruct & { document: unknown }) | undefined;
  if (!policy) return [];
  const stack = Stack.of(role);
  const document = stack.resolve(policy.document) as PolicyJson;
  const allowedResources = new Set(resources.map((r) => flattenCfnReference(stack.resolve(r))));
  const ids = new Set<string>();
  for (const statement of document.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of [statement.Action ?? []].flat()) {
      if ((CDK_GRANT_ACTIONS as readonly string[]).includes(action)) ids.add(`AwsSolutions-IAM5[Action::${action}]`);
    }
    for (const resource of [statement.Resource ?? []].flat()) {
      const flat = flattenCfnReference(resource);
      if (flat.includes('*') && allowedResources.has(flat)) ids.add(`AwsSolutions-IAM5[Resource::${flat}]`);
    }
  }
  if (ids.size > 0) acknowledge(role, reason, ...[...ids].sort());
  return [...ids];
}

/**
 * Control Tower proactive controls (the cfn-guard rules bundled with @cdklabs/cdk-validator-cfnguard) are
 * acknowledged like cdk-nag rules: on the construct they concern, with a reason. The id is the plugin's
 * namespace and the guard rule name, so CDK applies them if the plugin itself runs (`cdk-validator-cfnguard::<rule>`).
 */
export const CFN_GUARD_NAMESPACE = 'cdk-validator-cfnguard';

export function acknowledgeControl(scope: IConstruct, reason: string, ...guardRules: string[]): void {
  acknowledge(scope, reason, ...guardRules.map((rule) => `${CFN_GUARD_NAMESPACE}::${rule}`));
}
