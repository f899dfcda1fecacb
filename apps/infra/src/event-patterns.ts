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

/** Parameter Store calls that change the named parameters (callers may name a parameter or pass its ARN). */
function parameterAlternatives(parameterNames: readonly string[], parameterArns: readonly string[]): Record<string, unknown>[] {
  const names = WATCHED_EVENT_NAMES['ssm.amazonaws.com'] as readonly string[];
  const ids = [...parameterNames, ...parameterArns];
  if (ids.length === 0) return [];
  const single = names.filter((n) => n !== 'DeleteParameters');
  // DeleteParameters carries a list (matched when any element is).
  return [
    { eventSource: ['ssm.amazonaws.com'], eventName: single, requestParameters: { name: ids } },
    ...(names.includes('DeleteParameters') ? [{ eventSource: ['ssm.amazonaws.com'], eventName: ['DeleteParameters'], requestParameters: { names: ids } }] : []),
  ];
}

/**
 * CloudTrail API calls for the alerter: the event names the alerter's library watches (@devsecops/cloudtrail-alerts),
 * with Parameter Store narrowed to the given scanner-token parameters so unrelated parameter writes never invoke it.
 * The shared rule passes none (each pipeline stack watches its own application's tokens with scannerParameterPattern).
 * Failed calls are kept on purpose, as the library wants: an AccessDenied StopLogging is worth an alert.
 */
export function cloudTrailAlertPattern(parameterNames: readonly string[], parameterArns: readonly string[]): EventPatternShape {
  const alternatives: Record<string, unknown>[] = [];
  for (const [eventSource, names] of Object.entries(WATCHED_EVENT_NAMES) as [string, readonly string[]][]) {
    if (eventSource === 'ssm.amazonaws.com') alternatives.push(...parameterAlternatives(parameterNames, parameterArns));
    else alternatives.push({ eventSource: [eventSource], eventName: [...names] });
  }
  const sources = CLOUDTRAIL_ALERTER_EVENT_PATTERN.source.filter((s) => s !== 'aws.ssm' || parameterNames.length > 0);
  return {
    source: [...sources],
    'detail-type': [...CLOUDTRAIL_ALERTER_EVENT_PATTERN['detail-type']],
    detail: { $or: alternatives },
  };
}

/** Only the Parameter Store calls that change one application's scanner tokens (its pipeline stack's rule). */
export function scannerParameterPattern(parameterNames: readonly string[], parameterArns: readonly string[]): EventPatternShape {
  return {
    source: ['aws.ssm'],
    'detail-type': [...CLOUDTRAIL_ALERTER_EVENT_PATTERN['detail-type']],
    detail: { $or: parameterAlternatives(parameterNames, parameterArns) },
  };
}
