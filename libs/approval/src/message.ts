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
 * Parses a JSON string without quoting it in the error: Node's JSON.parse messages include a slice of the
 * input, which here would be the approval token.
 */
export function jsonDocument<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not a JSON document' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** An SNS-to-Lambda event whose every record carries an approval notification (Powertools' SnsSchema, Message parsed). */
export const ApprovalSnsEventSchema = SnsSchema.extend({
  Records: z
    .array(SnsRecordSchema.extend({ Sns: SnsNotificationSchema.extend({ Message: jsonDocument(ApprovalMessageSchema) }) }))
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
