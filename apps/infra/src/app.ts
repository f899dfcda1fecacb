import { App, Tags, type Environment } from 'aws-cdk-lib';
import type { PipelineConfig } from './config';
import { WorkloadStage } from './constructs/securityhub-import-role';
import { inWorkloadAccount } from './function-wiring';
import { FUNCTION_NAMES, FUNCTION_SPECS, functionStackId, requireBundle, type FunctionName } from './functions';
import { STACK_IDS, applicationNaming, stackName } from './names';
import { AuditStack } from './stacks/audit-stack';
import { FoundationStack } from './stacks/foundation-stack';
import { FunctionStack } from './stacks/function-stack';
import { PipelineStack } from './stacks/pipeline-stack';

export interface DevSecOpsAppOptions {
  config: PipelineConfig;
  /** Workspace dist/ directory holding the Nx bundles (dist/apps/<fn>/main.mjs). */
  distRoot: string;
  /** Function stacks to create; the others are left out so a single-function deploy needs only its own bundle. */
  functions?: readonly FunctionName[];
  /** false: only the function stacks (a per-function deploy synthesises nothing else). Default true. */
  shared?: boolean;
  /** Unset: environment-agnostic templates (partition, Region and account stay pseudo parameters). */
  env?: Environment;
}

export interface DevSecOpsStacks {
  foundation?: FoundationStack;
  audit?: AuditStack;
  /** The first application's pipeline (the only one of a single-application configuration). */
  pipeline?: PipelineStack;
  /** Every application's pipeline, by application name. */
  pipelines: Record<string, PipelineStack>;
  /** Per workload account: the Stage holding the import role its applications' findings go through. */
  workloads: Record<string, WorkloadStage>;
  functions: Partial<Record<FunctionName, FunctionStack>>;
}

/** The Stage id of a workload account's import role (deployed on its own: `cdk deploy 'Workload-<account>/*'`). */
export function workloadStageId(account: string): string {
  return `Workload-${account}`;
}

/**
 * Stacks and what they share, always through SSM parameters read at deploy time (never CloudFormation exports):
 *   Foundation → /<name>/foundation/* → Audit, Pipeline*, Function-<fn>   (keys, buckets, topics)
 *   Function-<fn> → /<name>/functions/<fn>/arn → Pipeline*                 (the parser functions, the alerter)
 * Foundation, Audit and the six functions are account-wide and made once; each application adds one pipeline stack
 * (`Pipeline` for the application named like the installation, `Pipeline-<application>` for the others) and changes
 * nothing else. Dependencies below only order `cdk deploy --all`.
 */
export function addDevSecOpsStacks(app: App, options: DevSecOpsAppOptions): DevSecOpsStacks {
  const { config, env } = options;
  const common = { env };

  const functions: Partial<Record<FunctionName, FunctionStack>> = {};
  for (const fn of options.functions ?? FUNCTION_NAMES) {
    functions[fn] = new FunctionStack(app, functionStackId(fn), {
      ...common,
      config,
      spec: FUNCTION_SPECS[fn],
      codeDirectory: requireBundle(options.distRoot, fn),
      stackName: stackName(config.name, fn),
      description: `${config.name}: ${fn} Lambda function`,
    });
  }
  if (options.shared === false) {
    Tags.of(app).add('Application', config.name);
    return { functions, pipelines: {}, workloads: {} };
  }

  const foundation = new FoundationStack(app, STACK_IDS.foundation, {
    ...common,
    config,
    stackName: stackName(config.name, 'foundation'),
    description: `${config.name}: keys, reports bucket, access logs and notification topics`,
  });
  const audit = new AuditStack(app, STACK_IDS.audit, {
    ...common,
    config,
    stackName: stackName(config.name, 'audit'),
    description: `${config.name}: CloudTrail, AWS Config rules and Security Hub`,
  });
  const pipelines: Record<string, PipelineStack> = {};
  for (const application of config.applications) {
    const naming = applicationNaming(config.name, application.name);
    const single = application.name === config.name;
    pipelines[application.name] = new PipelineStack(app, naming.stackId, {
      ...common,
      config,
      application,
      distRoot: options.distRoot,
      stackName: naming.stackName,
      description: single
        ? `${config.name}: CodePipeline with SCA, SAST, DAST gates and Elastic Beanstalk deploys`
        : `${config.name}: CodePipeline of ${application.name} with SCA, SAST, DAST gates and Elastic Beanstalk deploys`,
    });
  }

  // Deployment order only (the stacks share SSM parameters, not CloudFormation exports).
  audit.addStackDependency(foundation);
  for (const pipeline of Object.values(pipelines)) pipeline.addStackDependency(foundation);
  for (const stack of Object.values(functions)) {
    stack.addStackDependency(foundation);
    for (const pipeline of Object.values(pipelines)) pipeline.addStackDependency(stack);
  }

  const workloads: Record<string, WorkloadStage> = {};
  for (const application of config.applications) {
    if (!inWorkloadAccount(config, application) || application.importRoleArn || workloads[application.account]) continue;
    workloads[application.account] = new WorkloadStage(app, workloadStageId(application.account), {
      prefix: config.name,
      toolingAccount: config.toolingAccount!,
      workloadAccount: application.account,
    });
  }

  Tags.of(app).add('Application', config.name);
  return { foundation, audit, pipeline: pipelines[config.applications[0]!.name], pipelines, workloads, functions };
}
