import { CLOUDTRAIL_ALERTER_EVENT_PATTERN, WATCHED_EVENT_NAMES } from './lambda-contracts';

/**
 * EventBridge event patterns, as plain data so tests can read them without synthesising anything.
 * Values may be CDK tokens (ARNs built from the partition, Region and account pseudo parameters).
 */

export interface EventPatternShape {
  source: string[];
  'detail-type': string[];
  resources?: string[];
  detail?: Record<string, unknown>;
}

export const PIPELINE_STATE_DETAIL_TYPES = ['CodePipeline Pipeline Execution State Change', 'CodePipeline Stage Execution State Change'];

/** State changes of one pipeline only (the reference pipeline matched every pipeline in the account). */
export function pipelineStatePattern(pipelineArn: string, states: readonly string[]): EventPatternShape {
  return {
    source: ['aws.codepipeline'],
    'detail-type': [...PIPELINE_STATE_DETAIL_TYPES],
    resources: [pipelineArn],
    detail: { state: [...states] },
  };
}

/**
 * CloudTrail API calls for the alerter: the event names the alerter's library watches (@devsecops/cloudtrail-alerts),
 * with Parameter Store narrowed to the scanner-token parameters so unrelated parameter writes never invoke it.
 * Failed calls are kept on purpose, as the library wants: an AccessDenied StopLogging is worth an alert.
 */
export function cloudTrailAlertPattern(parameterNames: readonly string[], parameterArns: readonly string[]): EventPatternShape {
  const alternatives: Record<string, unknown>[] = [];
  for (const [eventSource, names] of Object.entries(WATCHED_EVENT_NAMES) as [string, readonly string[]][]) {
    if (eventSource !== 'ssm.amazonaws.com') {
      alternatives.push({ eventSource: [eventSource], eventName: [...names] });
      continue;
    }
    // Callers may name a parameter or pass its ARN; DeleteParameters carries a list (matched when any element is).
    const ids = [...parameterNames, ...parameterArns];
    if (ids.length === 0) continue;
    const single = names.filter((n) => n !== 'DeleteParameters');
    alternatives.push({ eventSource: [eventSource], eventName: single, requestParameters: { name: ids } });
    if (names.includes('DeleteParameters')) alternatives.push({ eventSource: [eventSource], eventName: ['DeleteParameters'], requestParameters: { names: ids } });
  }
  const sources = CLOUDTRAIL_ALERTER_EVENT_PATTERN.source.filter((s) => s !== 'aws.ssm' || parameterNames.length > 0);
  return {
    source: [...sources],
    'detail-type': [...CLOUDTRAIL_ALERTER_EVENT_PATTERN['detail-type']],
    detail: { $or: alternatives },
  };
}
