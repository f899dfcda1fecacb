import * as z from 'zod';

export const DEFAULT_REMEDIATOR_NAME = 'devsecops-auto-remediator';

/** Control ids with a playbook. */
export const PLAYBOOK_CONTROL_IDS = ['CodeBuild.2', 'CloudTrail.4', 'S3.5', 'S3.8', 'KMS.4'] as const;
export type ControlId = (typeof PLAYBOOK_CONTROL_IDS)[number];

export interface RemediationConfig {
  /** Note.UpdatedBy on every update, and how the remediator recognises its own updates. */
  name: string;
  /** Default true: plan, log and mark NOTIFIED, change nothing. */
  dryRun: boolean;
  /** Playbooks (control ids) allowed to run; none by default. */
  allowedPlaybooks: ControlId[];
  /** Accounts whose findings may be remediated; none by default. */
  allowedAccounts: string[];
  /** Only resources carrying this tag (and value, if given). */
  requiredTag?: { key: string; value?: string };
  /** Only resources whose ARN matches: exact, or prefix ending in `*`. Empty = any. */
  allowedResources: string[];
  codeBuild: {
    /** Parameter Store path under which moved credentials go: `<prefix>/<project>/env/<NAME>`. */
    parameterPrefix: string;
    /** Customer managed key for the SecureStrings (the role then also gets kms:Decrypt on it). */
    parameterKmsKeyArn?: string;
    /** `report` (default): say the leaked key must be rotated; `deactivate`: also set the access key Inactive. */
    leakedKeyAction: 'report' | 'deactivate';
  };
  /** SNS topic for remediation reports (changes made, failures, keys to rotate). */
  reportTopicArn?: string;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const EnvSchema = z.object({
  REMEDIATOR_NAME: z
    .string()
    .optional()
    .transform((v) => v?.trim() || DEFAULT_REMEDIATOR_NAME)
    .pipe(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 . _ -')),
  DRY_RUN: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const value = (v ?? 'true').trim().toLowerCase();
      if (value === 'true' || value === '') return true;
      if (value === 'false') return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    }),
  ALLOWED_PLAYBOOKS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const ids = list(v);
      const unknown = ids.filter((id) => !(PLAYBOOK_CONTROL_IDS as readonly string[]).includes(id));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown playbook(s) ${unknown.join(', ')}; known: ${PLAYBOOK_CONTROL_IDS.join(', ')}` });
      return ids as ControlId[];
    }),
  ALLOWED_ACCOUNTS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const ids = list(v);
      if (ids.some((id) => !/^\d{12}$/.test(id))) ctx.addIssue({ code: 'custom', message: 'must be 12-digit account ids separated by commas' });
      return ids;
    }),
  REQUIRED_RESOURCE_TAG: z
    .string()
    .optional()
    .transform((v) => {
      if (!v?.trim()) return undefined;
      const [key, ...rest] = v.split('=');
      return { key: key!.trim(), ...(rest.length > 0 ? { value: rest.join('=').trim() } : {}) };
    }),
  ALLOWED_RESOURCES: z.string().optional().transform(list),
  CODEBUILD_PARAMETER_PREFIX: z
    .string()
    .optional()
    .transform((v) => (v?.trim() || '/codebuild').replace(/\/+$/, ''))
    .pipe(z.string().regex(/^\/[A-Za-z0-9_.\-/]+$/, 'must be a Parameter Store path such as /codebuild')),
  CODEBUILD_PARAMETER_KMS_KEY_ARN: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .pipe(z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, 'must be a KMS key ARN (not an alias)').optional()),
  LEAKED_KEY_ACTION: z
    .string()
    .optional()
    .transform((v) => v?.trim().toLowerCase() || 'report')
    .pipe(z.enum(['report', 'deactivate'])),
  REPORT_TOPIC_ARN: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .pipe(z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'must be an SNS topic ARN').optional()),
});

/** The remediator's configuration from its environment; throws an Error naming every bad variable. */
export function remediationConfigFromEnv(env: NodeJS.ProcessEnv): RemediationConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  return {
    name: e.REMEDIATOR_NAME,
    dryRun: e.DRY_RUN,
    allowedPlaybooks: e.ALLOWED_PLAYBOOKS,
    allowedAccounts: e.ALLOWED_ACCOUNTS,
    ...(e.REQUIRED_RESOURCE_TAG ? { requiredTag: e.REQUIRED_RESOURCE_TAG } : {}),
    allowedResources: e.ALLOWED_RESOURCES,
    codeBuild: {
      parameterPrefix: e.CODEBUILD_PARAMETER_PREFIX,
      ...(e.CODEBUILD_PARAMETER_KMS_KEY_ARN ? { parameterKmsKeyArn: e.CODEBUILD_PARAMETER_KMS_KEY_ARN } : {}),
      leakedKeyAction: e.LEAKED_KEY_ACTION,
    },
    ...(e.REPORT_TOPIC_ARN ? { reportTopicArn: e.REPORT_TOPIC_ARN } : {}),
  };
}
