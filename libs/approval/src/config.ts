import * as z from 'zod';
import { ApprovalPolicySchema, DEFAULT_APPROVAL_POLICY, type ApprovalPolicy } from './policy';

export interface ApprovalConfig {
  /** SNS topic the approvers are subscribed to (email). */
  approversTopicArn: string;
  /** Override the repository/branch read from the pipeline's Source action. */
  repository?: string;
  branch?: string;
  /** Name of the source artifact to report on when the pipeline has several. */
  sourceArtifact?: string;
  policy: ApprovalPolicy;
  /** How many findings the mail lists. */
  topFindings: number;
  /** GetFindings pages (100 findings each) read at most. */
  maxFindingPages: number;
}

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));
const intIn = (min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const EnvSchema = z.object({
  APPROVERS_TOPIC_ARN: z.string({ error: 'is required' }).regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/, 'must be an SNS topic ARN'),
  REPOSITORY: optionalText,
  BRANCH: optionalText,
  SOURCE_ARTIFACT: optionalText,
  APPROVAL_POLICY: z
    .string()
    .optional()
    .transform((text, ctx): ApprovalPolicy => {
      if (text === undefined || text.trim() === '') return DEFAULT_APPROVAL_POLICY;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
      const parsed = ApprovalPolicySchema.safeParse(json);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${issue.path.join('.') || '(root)'}: ${issue.message}` });
        return z.NEVER;
      }
      return parsed.data;
    }),
  TOP_FINDINGS: intIn(0, 50, 10),
  MAX_FINDING_PAGES: intIn(1, 1000, 100),
});

/** The notifier's configuration from its environment; throws an Error naming every bad variable. */
export function approvalConfigFromEnv(env: NodeJS.ProcessEnv): ApprovalConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    approversTopicArn: e.APPROVERS_TOPIC_ARN,
    ...(e.REPOSITORY ? { repository: e.REPOSITORY } : {}),
    ...(e.BRANCH ? { branch: e.BRANCH } : {}),
    ...(e.SOURCE_ARTIFACT ? { sourceArtifact: e.SOURCE_ARTIFACT } : {}),
    policy: e.APPROVAL_POLICY,
    topFindings: e.TOP_FINDINGS,
    maxFindingPages: e.MAX_FINDING_PAGES,
  };
}
