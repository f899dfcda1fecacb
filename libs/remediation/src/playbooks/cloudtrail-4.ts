import { GetTrailCommand, ListTagsCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import type { Plan, Playbook, PlaybookContext, RemediationTarget } from '../playbook';

/** A trail is managed from its home Region, the one in its ARN. */
export function homeRegion(target: RemediationTarget): string {
  return target.arn.split(':')[3] || target.region;
}

async function validationEnabled(target: RemediationTarget, ctx: PlaybookContext): Promise<boolean> {
  const { Trail } = await ctx.clients.cloudTrail(homeRegion(target)).send(new GetTrailCommand({ Name: target.arn }));
  if (!Trail) throw Object.assign(new Error(`trail ${target.arn} does not exist`), { name: 'ResourceNotFound' });
  return Trail.LogFileValidationEnabled === true;
}

/** Plan for CloudTrail.4 (pure): one UpdateTrail unless validation is already on. */
export function planLogFileValidation(target: RemediationTarget, enabled: boolean): Plan<null> {
  return {
    target,
    compliant: enabled,
    steps: enabled ? [] : [{ action: 'cloudtrail:UpdateTrail', description: `enable log file validation on trail ${target.name}` }],
    followUps: [],
    secrets: [],
    state: null,
  };
}

export const cloudTrail4: Playbook<null> = {
  controlId: 'CloudTrail.4',
  configRule: 'CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED',
  resourceType: 'AwsCloudTrailTrail',
  title: 'Enable CloudTrail log file validation',

  async readTags(target, ctx) {
    const out = await ctx.clients.cloudTrail(homeRegion(target)).send(new ListTagsCommand({ ResourceIdList: [target.arn] }));
    return Object.fromEntries((out.ResourceTagList?.[0]?.TagsList ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? '']));
  },

  async plan(target, ctx) {
    return planLogFileValidation(target, await validationEnabled(target, ctx));
  },

  async apply(plan, ctx) {
    await ctx.clients.cloudTrail(homeRegion(plan.target)).send(new UpdateTrailCommand({ Name: plan.target.arn, EnableLogFileValidation: true }));
  },

  async verify(plan, ctx) {
    const enabled = await validationEnabled(plan.target, ctx);
    return { ok: enabled, detail: enabled ? 'GetTrail reports LogFileValidationEnabled' : 'GetTrail still reports log file validation off' };
  },
};
