import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import * as z from 'zod';

const text = z.string().optional();

/** `userIdentity` of a CloudTrail record; unknown keys are dropped, unknown identity types accepted. */
const UserIdentitySchema = z.object({
  type: text,
  arn: text,
  accountId: text,
  principalId: text,
  userName: text,
  invokedBy: text,
  sessionContext: z
    .object({
      sessionIssuer: z.object({ type: text, arn: text, userName: text, accountId: text, principalId: text }).partial().optional(),
      attributes: z.object({ creationDate: text, mfaAuthenticated: text }).partial().optional(),
      sourceIdentity: text,
    })
    .partial()
    .optional(),
});

/** The CloudTrail record EventBridge puts in `detail` (events.md §4). */
export const CloudTrailDetailSchema = z.object({
  eventVersion: text,
  userIdentity: UserIdentitySchema.default({}),
  eventTime: z.iso.datetime({ offset: true }),
  eventSource: z.string().min(1),
  eventName: z.string().min(1),
  awsRegion: z.string().min(1),
  sourceIPAddress: text,
  userAgent: text,
  requestParameters: z.record(z.string(), z.unknown()).nullish(),
  responseElements: z.unknown().optional(),
  errorCode: text,
  errorMessage: text,
  requestID: text,
  eventID: z.string().min(1),
  readOnly: z.boolean().optional(),
  eventType: text,
  managementEvent: z.boolean().optional(),
  recipientAccountId: text,
});

export type CloudTrailDetail = z.infer<typeof CloudTrailDetailSchema>;
export type UserIdentity = z.infer<typeof UserIdentitySchema>;

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** The EventBridge event (Powertools' EventBridgeSchema) carrying one CloudTrail API call. */
export const CloudTrailApiCallEventSchema = EventBridgeSchema.extend({
  'detail-type': z.literal(CLOUDTRAIL_DETAIL_TYPE),
  detail: CloudTrailDetailSchema,
});

export type CloudTrailApiCallEvent = z.infer<typeof CloudTrailApiCallEventSchema>;
