import { EnableKeyRotationCommand, GetKeyRotationStatusCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import type { Plan, Playbook, PlaybookContext, RemediationTarget } from '../playbook';

async function rotationEnabled(target: RemediationTarget, ctx: PlaybookContext): Promise<boolean> {
  const out = await ctx.clients.kms(target.region).send(new GetKeyRotationStatusCommand({ KeyId: target.arn }));
  return out.KeyRotationEnabled === true;
}

/** Plan for KMS.4 (pure): EnableKeyRotation unless rotation is already on. */
export function planKeyRotation(target: RemediationTarget, enabled: boolean): Plan<null> {
  return {
    target,
    compliant: enabled,
    steps: enabled ? [] : [{ action: 'kms:EnableKeyRotation', description: `enable automatic rotation of key ${target.name}` }],
    followUps: [],
    secrets: [],
    state: null,
  };
}

export const kms4: Playbook<null> = {
  controlId: 'KMS.4',
  configRule: 'CMK_BACKING_KEY_ROTATION_ENABLED',
  resourceType: 'AwsKmsKey',
  title: 'Enable KMS key rotation',
  async readTags(target, ctx) {
    const out = await ctx.clients.kms(target.region).send(new ListResourceTagsCommand({ KeyId: target.arn }));
    return Object.fromEntries((out.Tags ?? []).filter((t) => t.TagKey).map((t) => [t.TagKey!, t.TagValue ?? '']));
  },
  async plan(target, ctx) {
    return planKeyRotation(target, await rotationEnabled(target, ctx));
  },
  async apply(plan, ctx) {
    await ctx.clients.kms(plan.target.region).send(new EnableKeyRotationCommand({ KeyId: plan.target.arn }));
  },
  async verify(plan, ctx) {
    const enabled = await rotationEnabled(plan.target, ctx);
    return { ok: enabled, detail: enabled ? 'GetKeyRotationStatus reports rotation on' : 'GetKeyRotationStatus still reports rotation off' };
  },
};
