import { spawnSync } from 'node:child_process';
import { STACK_IDS } from './names';

/**
 * `nx run infra:deploy` (and `nx affected -t deploy`): which stacks to deploy.
 * infra is affected whenever a Lambda changes (it depends on every bundle), but then the Lambda's own deploy
 * target deploys its stack: infra deploys only the shared stacks. When infra's own code or configuration changed
 * (or nothing says what changed), every stack may have changed, so it deploys them all.
 */

/** Paths whose change can alter the function stacks' templates too. */
export const WHOLE_APP_INPUTS = ['apps/infra/', 'package-lock.json', 'tsconfig.base.json'];

export interface DeployPlan {
  reason: string;
  args: string[];
}

/**
 * `broadening` (CDK's default) shows every IAM and security-group change and asks before deploying it; a person
 * deploying sees the IAM diff. Only a CI job (CI=true, no one to ask) deploys without asking, after the change was
 * reviewed in its pull request.
 */
export function requireApproval(env: NodeJS.ProcessEnv = process.env): 'never' | 'broadening' {
  return env.CI === 'true' || env.CI === '1' ? 'never' : 'broadening';
}

export function deployPlan(changedFiles: readonly string[] | undefined, approval: 'never' | 'broadening' = 'never'): DeployPlan {
  const common = ['--require-approval', approval];
  if (changedFiles === undefined) {
    return { reason: 'no NX_BASE: deploying every stack', args: ['--all', ...common, '--output', '../../dist/apps/infra/deploy/all'] };
  }
  const own = changedFiles.filter((f) => WHOLE_APP_INPUTS.some((p) => (p.endsWith('/') ? f.startsWith(p) : f === p)));
  if (own.length > 0) {
    return { reason: `infra changed (${own.slice(0, 3).join(', ')}${own.length > 3 ? ', …' : ''}): deploying every stack`, args: ['--all', ...common, '--output', '../../dist/apps/infra/deploy/all'] };
  }
  return {
    reason: 'only Lambda code changed: their own deploy targets deploy them; deploying the shared stacks',
    // `Pipeline*`: every application's pipeline stack (Pipeline, Pipeline-<application>), matched by the CDK CLI.
    args: [STACK_IDS.foundation, STACK_IDS.audit, `${STACK_IDS.pipeline}*`, '--exclusively', '-c', 'functions=none', ...common, '--output', '../../dist/apps/infra/deploy/shared'],
  };
}

function changedFiles(base: string | undefined, head: string): string[] | undefined {
  if (!base) return undefined;
  const diff = spawnSync('git', ['diff', '--name-only', base, head], { encoding: 'utf8' });
  if (diff.status !== 0) throw new Error(`git diff ${base} ${head} failed: ${diff.stderr}`);
  return diff.stdout.split('\n').filter(Boolean);
}

if (require.main === module) {
  const plan = deployPlan(changedFiles(process.env.NX_BASE, process.env.NX_HEAD || 'HEAD'), requireApproval());
  process.stdout.write(`infra deploy: ${plan.reason}\n`);
  const result = spawnSync('npx', ['cdk', 'deploy', ...plan.args], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
