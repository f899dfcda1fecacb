import { App, Tags, type Environment } from 'aws-cdk-lib';
import type { PipelineConfig } from './config';
import { FUNCTION_NAMES, FUNCTION_SPECS, functionStackId, requireBundle, type FunctionName } from './functions';
import { STACK_IDS, stackName } from './names';
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
  pipeline?: PipelineStack;
  functions: Partial<Record<FunctionName, FunctionStack>>;
}

/**
 * Stacks and what they share, always through SSM parameters read at deploy time (never CloudFormation exports):
 *   Foundation → /<name>/foundation/* → Audit, Pipeline, Function-<fn>   (keys, buckets, topics)
 *   Function-<fn> → /<name>/functions/<fn>/arn → Pipeline                  (the parser functions)
 * Dependencies below only order `cdk deploy --all`.
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
    return { functions };
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
  const pipeline = new PipelineStack(app, STACK_IDS.pipeline, {
    ...common,
    config,
    distRoot: options.distRoot,
    stackName: stackName(config.name, 'pipeline'),
    description: `${config.name}: CodePipeline with SCA, SAST, DAST gates and Elastic Beanstalk deploys`,
  });

  // Deployment order only (the stacks share SSM parameters, not CloudFormation exports).
  audit.addStackDependency(foundation);
  pipeline.addStackDependency(foundation);
  for (const stack of Object.values(functions)) {
    stack.addStackDependency(foundation);
    pipeline.addStackDependency(stack);
  }

  Tags.of(app).add('Application', config.name);
  return { foundation, audit, pipeline, functions };
}
