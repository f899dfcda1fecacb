import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import * as z from 'zod';

export const FINDINGS_IMPORTED = 'Security Hub Findings - Imported';

/**
 * The fields of an ASFF finding the remediator reads; everything else passes through untouched
 * (never logged: a CodeBuild finding may carry environment details).
 */
const FindingSchema = z.looseObject({
  Id: z.string().min(1),
  ProductArn: z.string().min(1),
  AwsAccountId: z.string().min(1),
  GeneratorId: z.string().optional(),
  Region: z.string().optional(),
  Title: z.string().optional(),
  RecordState: z.string().optional(),
  Workflow: z.looseObject({ Status: z.string().optional() }).optional(),
  Compliance: z.looseObject({ Status: z.string().optional(), SecurityControlId: z.string().optional() }).optional(),
  Note: z.looseObject({ Text: z.string().optional(), UpdatedBy: z.string().optional(), UpdatedAt: z.string().optional() }).optional(),
  ProductFields: z.record(z.string(), z.string()).optional(),
  Resources: z
    .array(
      z.looseObject({
        Type: z.string(),
        Id: z.string(),
        Region: z.string().optional(),
        Partition: z.string().optional(),
        Tags: z.record(z.string(), z.string()).optional(),
      }),
    )
    .min(1),
});

/** EventBridge `Security Hub Findings - Imported` (events.md §1): detail.findings holds one ASFF finding. */
export const FindingsImportedEventSchema = EventBridgeSchema.extend({
  source: z.literal('aws.securityhub'),
  'detail-type': z.literal(FINDINGS_IMPORTED),
  detail: z.object({ findings: z.array(FindingSchema).min(1) }),
}).transform((event) => ({ ...event, detail: { findings: event.detail.findings as unknown as AwsSecurityFinding[] } }));

export type FindingsImportedEvent = z.infer<typeof FindingsImportedEventSchema>;
