import { SnsNotificationSchema, SnsRecordSchema, SnsSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import * as z from 'zod';

/** CodePipeline's own constraint on pipeline, stage and action names (PutApprovalResult). */
const pipelineEntityName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9.@\-_]+$/, 'must be 1-100 characters of A-Z a-z 0-9 . @ - _');

/** The token is never echoed back, not even in a validation message: the issue text is fixed. */
const approvalToken = z
  .string()
  .regex(/^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/, 'must be a UUID');

/** The JSON CodePipeline publishes to SNS for a manual approval action (events.md §5). Unknown keys pass through. */
export const ApprovalMessageSchema = z.object({
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS Region name'),
  consoleLink: z.string().optional(),
  approval: z.object({
    pipelineName: pipelineEntityName,
    stageName: pipelineEntityName,
    actionName: pipelineEntityName,
    token: approvalToken,
    expires: z.string().optional(),
    externalEntityLink: z.string().nullish(),
    approvalReviewLink: z.string().optional(),
    customData: z.string().nullish(),
  }),
});

export type ApprovalMessage = z.infer<typeof ApprovalMessageSchema>;

/**
 * A message on the approval topic that is not a manual-approval request: the topic also carries CodeStar
 * Notifications of the pipeline (`{"detailType": "CodePipeline Action Execution State Change", "notificationRuleArn":
 * …, "detail": {…}}`), subscription notices and whatever else someone publishes to it. The notifier logs and skips
 * these: failing would make SNS's asynchronous invoke retry them twice and raise an alarm per pipeline event.
 * Only identifying fields are kept (never `additionalAttributes`, which can carry the action's custom data).
 */
export interface NotApprovalMessage {
  notApproval: {
    /** Why it is not an approval request, in words. */
    reason: string;
    /** For notifications: their detail type, source and pipeline/stage/action/state. */
    detailType?: string;
    source?: string;
    pipeline?: string;
    stage?: string;
    action?: string;
    state?: string;
  };
}

export type ApprovalTopicMessage = ApprovalMessage | NotApprovalMessage;

export function isApprovalRequest(message: ApprovalTopicMessage): message is ApprovalMessage {
  return !('notApproval' in message);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 200) : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** What a JSON document that is not an approval request is, from its own fields. */
function describeOther(document: unknown): NotApprovalMessage {
  const doc = record(document);
  if (!doc) return { notApproval: { reason: 'a JSON value that is not an object' } };
  const detail = record(doc.detail) ?? {};
  const detailType = text(doc.detailType) ?? text(doc['detail-type']);
  const who = {
    ...(detailType ? { detailType } : {}),
    ...(text(doc.source) ? { source: text(doc.source)! } : {}),
    ...(text(detail.pipeline) ? { pipeline: text(detail.pipeline)! } : {}),
    ...(text(detail.stage) ? { stage: text(detail.stage)! } : {}),
    ...(text(detail.action) ? { action: text(detail.action)! } : {}),
    ...(text(detail.state) ? { state: text(detail.state)! } : {}),
  };
  if (text(doc.notificationRuleArn)) return { notApproval: { reason: 'a CodeStar Notifications message', ...who } };
  if (detailType) return { notApproval: { reason: 'an EventBridge event', ...who } };
  return { notApproval: { reason: 'a JSON document without an approval' } };
}

/**
 * The Message of one SNS record: an approval request (validated: a document with an `approval` object that is
 * not a valid CodePipeline approval is refused, naming the fields), or a description of anything else.
 * Never quotes the text in an error (Node's JSON.parse messages would quote the token).
 */
export const ApprovalTopicMessageSchema = z.string().transform((body, ctx): ApprovalTopicMessage => {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return { notApproval: { reason: 'not a JSON document (plain text)' } };
  }
  if (!record(document) || !('approval' in record(document)!)) return describeOther(document);
  const parsed = ApprovalMessageSchema.safeParse(document);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) });
  return z.NEVER;
});

/**
 * An SNS-to-Lambda event on the approval topic (Powertools' SnsSchema, each Message read by
 * ApprovalTopicMessageSchema). `Type` is any string: a record that is not a `Notification` is skipped, not refused.
 */
export const ApprovalSnsEventSchema = SnsSchema.extend({
  Records: z
    .array(SnsRecordSchema.extend({ Sns: SnsNotificationSchema.extend({ Type: z.string(), Message: ApprovalTopicMessageSchema }) }))
    .nonempty(),
});

export type ApprovalSnsEvent = z.infer<typeof ApprovalSnsEventSchema>;

/**
 * `approval.expires` has minute precision without seconds (`2016-07-07T20:22Z`); Date.parse accepts that,
 * and a value it does not understand is kept as text rather than rejected.
 */
export function parseExpires(value: string | undefined): { iso?: string; text?: string } {
  if (!value) return {};
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? { text: value } : { iso: new Date(ms).toISOString() };
}
