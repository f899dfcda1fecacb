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

/**
 * Where an application's pipeline lives. The application named like the installation keeps the names of the
 * single-application layout (stack `Pipeline`, `<name>-pipeline`, projects `<name>-sca`…), so a configuration moved
 * from that layout to `applications` keeps its pipeline. Every other application gets names of its own; they all
 * start with `<name>-pipeline`, which the approval notifier's and the alerter's patterns rely on.
 */
export interface ApplicationNaming {
  stackId: string;
  stackName: string;
  pipelineName: string;
  /** Prefix of the application's CodeBuild project names. */
  resourcePrefix: string;
}

export function applicationNaming(prefix: string, application: string): ApplicationNaming {
  if (application === prefix) {
    return { stackId: STACK_IDS.pipeline, stackName: stackName(prefix, 'pipeline'), pipelineName: pipelineName(prefix), resourcePrefix: prefix };
  }
  const name = `${pipelineName(prefix)}-${application}`;
  return { stackId: `${STACK_IDS.pipeline}-${application}`, stackName: name, pipelineName: name, resourcePrefix: `${prefix}-${application}` };
}

/** Every pipeline of an installation matches one of these (IAM resource and alerter watch patterns). */
export function pipelineNamePatterns(prefix: string): string[] {
  return [pipelineName(prefix), `${pipelineName(prefix)}-*`];
}

export type ScanKind = 'sca' | 'sast' | 'dast';

/** A scan's place in its pipeline: `id` names its construct, project and build-cache prefix; `actionName` its action. */
export interface ScanSlot {
  kind: ScanKind;
  id: string;
  actionName: string;
  /** Index into the application's `sast` list (SAST only). */
  index?: number;
}

/** The name fragment of a SAST scan's category or tool in its id, project and action names. */
export function scanSlug(value: string): string {
  return (
    value
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'scan'
  );
}

/**
 * The scans of one application. One SAST scan keeps the single-application names (`sast`, action `SAST`); several
 * are `sast-<category or tool>`, action `SAST-<category or tool>`, so the alerter can expect `SAST*` in every pipeline.
 */
export function scanSlots(application: { sast: readonly { tool: string; category?: string | undefined }[] }): ScanSlot[] {
  const sast: ScanSlot[] =
    application.sast.length === 1
      ? [{ kind: 'sast', id: 'sast', actionName: ACTIONS.sast, index: 0 }]
      : application.sast.map((scan, index) => {
          const suffix = scanSlug(scan.category ?? scan.tool);
          return { kind: 'sast', id: `sast-${suffix}`, actionName: `${ACTIONS.sast}-${suffix}`, index };
        });
  return [{ kind: 'sca', id: 'sca', actionName: ACTIONS.sca }, ...sast, { kind: 'dast', id: 'dast', actionName: ACTIONS.dast }];
}

/** The CodeBuild project of a scan. */
export function scanProjectName(prefix: string, application: string, slot: ScanSlot): string {
  return `${applicationNaming(prefix, application).resourcePrefix}-${slot.id}`;
}

/** Names that must be unique across the installation's applications. */
export function applicationResourceNames(prefix: string, application: { name: string; sast: readonly { tool: string; category?: string | undefined }[] }): string[] {
  const naming = applicationNaming(prefix, application.name);
  return [`stack:${naming.stackName}`, `pipeline:${naming.pipelineName}`, ...scanSlots(application).map((slot) => `project:${scanProjectName(prefix, application.name, slot)}`)];
}
