import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@devsecops/test-support';
import { FUNCTION_NAMES } from './functions';

/**
 * `nx affected -t deploy` deploys what changed, because each Lambda is its own Nx project with its own deploy
 * target: a change to one scanner's library marks only the Lambda that parses that scanner (plus the CLI, which
 * reads every format). infra is marked too (it depends on every Lambda to synthesise), but its deploy target
 * deploys only the shared stacks, which CloudFormation leaves unchanged.
 */

function affected(file: string): string[] {
  const result = spawnSync('npx', ['nx', 'show', 'projects', '--affected', `--files=${file}`, '--json'], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
  if (result.status !== 0) throw new Error(`nx show projects failed: ${result.stderr}`);
  return JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as string[];
}

/** Projects tagged type:lambda, read from their project.json. */
function lambdaProjects(): string[] {
  return readdirSync(join(workspaceRoot, 'apps'))
    .map((dir) => JSON.parse(readFileSync(join(workspaceRoot, 'apps', dir, 'project.json'), 'utf8')) as { name: string; tags?: string[] })
    .filter((p) => p.tags?.includes('type:lambda'))
    .map((p) => p.name)
    .sort();
}

describe('nx affected', () => {
  it('knows every deployed function as a type:lambda project', () => {
    expect(lambdaProjects()).toEqual([...FUNCTION_NAMES].sort());
  });

  it.each([
    ['libs/parsers/zap/src/index.ts', 'dast-parser'],
    ['libs/parsers/dependency-check/src/index.ts', 'sca-parser'],
    ['libs/parsers/sarif/src/index.ts', 'sast-parser'],
  ])('a change to %s marks only %s among the Lambdas, plus the CLI', (file, lambda) => {
    const projects = affected(file);
    const lambdas = lambdaProjects();

    expect(projects.filter((p) => lambdas.includes(p))).toEqual([lambda]);
    expect(projects).toContain('findings-cli');
  });
});
