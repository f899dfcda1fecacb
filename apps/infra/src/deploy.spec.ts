import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployPlan, requireApproval } from './deploy';
import { INFRA_ROOT } from './testing/synth';

describe('deployPlan (infra:deploy)', () => {
  it('deploys only the shared stacks when only Lambda code changed (each Lambda deploys its own stack)', () => {
    const plan = deployPlan(['libs/parsers/zap/src/zap-parser.ts', 'apps/dast-parser/src/main.ts']);

    expect(plan.args).toEqual([
      'Foundation',
      'Audit',
      'Pipeline*',
      '--exclusively',
      '-c',
      'functions=none',
      '--require-approval',
      'never',
      '--output',
      '../../dist/apps/infra/deploy/shared',
    ]);
  });

  it.each([['apps/infra/src/stacks/function-stack.ts'], ['apps/infra/config/production.json'], ['package-lock.json'], ['tsconfig.base.json']])(
    'deploys every stack when %s changed, since every template may have changed',
    (file) => {
      expect(deployPlan(['libs/asff/src/build.ts', file]).args.slice(0, 1)).toEqual(['--all']);
    },
  );

  it('deploys every stack when it cannot tell what changed', () => {
    expect(deployPlan(undefined).args[0]).toBe('--all');
  });

  it('does not mistake a similarly named path for infra', () => {
    expect(deployPlan(['apps/infra-docs/README.md']).args[0]).toBe('Foundation');
  });
});

describe('approval of security changes', () => {
  it('asks a person before deploying IAM changes, and never asks a CI job', () => {
    expect(requireApproval({})).toBe('broadening');
    expect(requireApproval({ CI: 'true' })).toBe('never');
    expect(deployPlan(undefined, 'broadening').args).toEqual(expect.arrayContaining(['--require-approval', 'broadening']));
  });

  it('deploy-all (the first deployment, by a person) shows the IAM diff instead of deploying it unasked', () => {
    const project = JSON.parse(readFileSync(join(INFRA_ROOT, 'project.json'), 'utf8')) as { targets: Record<string, { options: { command: string } }> };

    expect(project.targets['deploy-all']!.options.command).toContain('--require-approval broadening');
    expect(project.targets['deploy-all']!.options.command).not.toContain('never');
  });
});
