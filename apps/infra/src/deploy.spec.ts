import { deployPlan } from './deploy';

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
