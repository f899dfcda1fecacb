/** Calls on the pipeline's own resources that the alerter reacts to, per CloudTrail event source. */
export const WATCHED_EVENT_NAMES = {
  'codepipeline.amazonaws.com': ['CreatePipeline', 'UpdatePipeline', 'DeletePipeline'],
  'codebuild.amazonaws.com': ['CreateProject', 'UpdateProject', 'DeleteProject'],
  'cloudtrail.amazonaws.com': ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'],
  'ssm.amazonaws.com': ['PutParameter', 'DeleteParameter', 'DeleteParameters', 'LabelParameterVersion', 'UnlabelParameterVersion'],
} as const;

/**
 * The EventBridge rule pattern of the cloudtrail-alerter (reuse it in the CDK app). Failed calls are kept on
 * purpose: an AccessDenied StopLogging is worth an alert. Narrowing to the watched resource names happens in code
 * (WATCHED_* variables), because each operation names its resource at a different path.
 */
export const CLOUDTRAIL_ALERTER_EVENT_PATTERN = {
  source: ['aws.codepipeline', 'aws.codebuild', 'aws.cloudtrail', 'aws.ssm'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: Object.keys(WATCHED_EVENT_NAMES),
    eventName: Object.values(WATCHED_EVENT_NAMES).flat(),
  },
} as const;
