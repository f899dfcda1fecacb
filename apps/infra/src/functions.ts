import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Lambda functions, as data: which Nx project builds each one, how big it is, and how it is reached.
 * The code is the bundle Nx wrote to dist/apps/<fn>/; the CDK app never re-bundles it.
 */
export const FUNCTION_NAMES = ['sca-parser', 'sast-parser', 'dast-parser', 'approval-notifier', 'cloudtrail-alerter', 'auto-remediator'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export const PARSER_FUNCTIONS = ['sca-parser', 'sast-parser', 'dast-parser'] as const satisfies readonly FunctionName[];
export type ParserFunctionName = (typeof PARSER_FUNCTIONS)[number];

export interface FunctionSpec {
  name: FunctionName;
  description: string;
  memoryMiB: number;
  timeoutSeconds: number;
  /** What starts it: CodeBuild's synchronous invoke, an SNS topic, or an EventBridge rule. */
  trigger: 'direct-invoke' | 'approval-topic' | 'cloudtrail-rule' | 'securityhub-rule';
}

export const FUNCTION_SPECS: Record<FunctionName, FunctionSpec> = {
  // Parsers stream reports of 50+ MB and import within Security Hub's rate limits: generous memory and time.
  'sca-parser': { name: 'sca-parser', description: 'Dependency-Check reports to Security Hub; applies the build gate', memoryMiB: 1024, timeoutSeconds: 900, trigger: 'direct-invoke' },
  'sast-parser': { name: 'sast-parser', description: 'SonarQube, PHPStan and SARIF reports to Security Hub; applies the build gate', memoryMiB: 1024, timeoutSeconds: 900, trigger: 'direct-invoke' },
  'dast-parser': { name: 'dast-parser', description: 'OWASP ZAP reports to Security Hub; applies the build gate', memoryMiB: 1024, timeoutSeconds: 900, trigger: 'direct-invoke' },
  'approval-notifier': { name: 'approval-notifier', description: 'Sends a findings summary with each manual approval request', memoryMiB: 256, timeoutSeconds: 60, trigger: 'approval-topic' },
  'cloudtrail-alerter': { name: 'cloudtrail-alerter', description: 'Alerts on changes to the pipeline, its builds, the trail and scanner tokens', memoryMiB: 256, timeoutSeconds: 30, trigger: 'cloudtrail-rule' },
  'auto-remediator': { name: 'auto-remediator', description: 'Remediates failed Security Hub controls of the pipeline resources', memoryMiB: 256, timeoutSeconds: 120, trigger: 'securityhub-rule' },
};

/** Where Nx's @nx/esbuild executor writes a function's bundle. */
export function bundleDirectory(distRoot: string, fn: FunctionName): string {
  return join(distRoot, 'apps', fn);
}

export class MissingBundleError extends Error {
  constructor(readonly fn: FunctionName, readonly directory: string) {
    super(`The bundle of ${fn} is missing (${join(directory, 'main.mjs')}). Build it first: npx nx run ${fn}:build`);
    this.name = 'MissingBundleError';
  }
}

/** Fails early with the build command to run, instead of CDK's "Cannot find asset". */
export function requireBundle(distRoot: string, fn: FunctionName): string {
  const dir = bundleDirectory(distRoot, fn);
  if (!existsSync(join(dir, 'main.mjs'))) throw new MissingBundleError(fn, dir);
  return dir;
}

/** The SSM parameter through which the pipeline stack finds a function deployed by its own stack. */
export function functionArnParameterName(prefix: string, fn: FunctionName): string {
  return `/${prefix}/functions/${fn}/arn`;
}

/** Parses the `functions` context value: a comma-separated subset, `all` (default) or `none`. */
export function selectFunctions(value: unknown): FunctionName[] {
  if (value === undefined || value === null || value === '' || value === 'all') return [...FUNCTION_NAMES];
  if (value === 'none') return [];
  const names = String(value)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(FUNCTION_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`Unknown function(s) in context "functions": ${unknown.join(', ')}; expected ${FUNCTION_NAMES.join(', ')}, all or none`);
  return FUNCTION_NAMES.filter((n) => names.includes(n));
}

export function functionStackId(fn: FunctionName): string {
  return `Function-${fn}`;
}
