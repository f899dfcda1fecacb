/**
 * Names shared between stacks that are deployed separately (the notifier's IAM policy names the approval action
 * of a pipeline in another stack). Everything derives from the configured prefix; nothing is account-specific.
 */
export const STAGES = {
  source: 'Source',
  scan: 'Scan',
  deployStaging: 'Deploy-Staging',
  dast: 'DAST',
  approval: 'Approval',
  deployProduction: 'Deploy-Production',
} as const;

export const STAGE_ORDER = [STAGES.source, STAGES.scan, STAGES.deployStaging, STAGES.dast, STAGES.approval, STAGES.deployProduction] as const;

export const ACTIONS = {
  source: 'Source',
  sca: 'SCA-DependencyCheck',
  sast: 'SAST',
  deployStaging: 'Deploy-Staging',
  dast: 'DAST-ZAP',
  approval: 'ManualApproval',
  deployProduction: 'Deploy-Production',
} as const;

/** Namespace of the source action's output variables (commit id, branch). */
export const SOURCE_VARIABLES_NAMESPACE = 'SourceVariables';

/** The pipeline has a predictable name so the approval notifier's stack can scope its permissions to it. */
export function pipelineName(prefix: string): string {
  return `${prefix}-pipeline`;
}

/** Fixed so that the notifications key policy can name the topic (SNS's encryption context) without a cycle. */
export function notificationsTopicName(prefix: string): string {
  return `${prefix}-notifications`;
}

export function stackName(prefix: string, part: string): string {
  return `${prefix}-${part}`;
}

export const STACK_IDS = {
  foundation: 'Foundation',
  audit: 'Audit',
  pipeline: 'Pipeline',
} as const;
