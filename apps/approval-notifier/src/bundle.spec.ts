import { bundleFacts, workspaceRoot } from '@devsecops/test-support';

/** Zip size matters for cold starts; the SDK is bundled on purpose (same choice as the parser Lambdas). */
const BUDGET_BYTES = 1_600_000;

describe('the approval-notifier bundle', () => {
  const facts = bundleFacts(workspaceRoot, 'approval-notifier');

  it('is self-contained: nothing but Node built-ins is left to resolve at runtime', () => {
    expect(facts.nonBuiltinExternals).toEqual([]);
  });

  it('bundles the AWS SDK clients it calls and middy, so the deployed code is the tested code', () => {
    expect(facts.bundledPackages).toEqual(
      expect.arrayContaining(['@aws-sdk/client-codepipeline', '@aws-sdk/client-securityhub', '@aws-sdk/client-sns', '@middy/core', '@aws-lambda-powertools/logger']),
    );
  });

  it('stays within its size budget', () => {
    expect(facts.bundleBytes).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
