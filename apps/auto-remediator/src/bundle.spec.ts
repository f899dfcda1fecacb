import { bundleFacts, workspaceRoot } from '@devsecops/test-support';

/** Zip size matters for cold starts; the SDK is bundled on purpose (same choice as the parser Lambdas). */
const BUDGET_BYTES = 1_600_000;

describe('the auto-remediator bundle', () => {
  const facts = bundleFacts(workspaceRoot, 'auto-remediator');

  it('is self-contained: nothing but Node built-ins is left to resolve at runtime', () => {
    expect(facts.nonBuiltinExternals).toEqual([]);
  });

  it('bundles the AWS SDK clients it calls and middy, so the deployed code is the tested code', () => {
    expect(facts.bundledPackages).toEqual(
      expect.arrayContaining(['@aws-sdk/client-securityhub', '@aws-sdk/client-codebuild', '@aws-sdk/client-ssm', '@aws-sdk/client-iam', '@aws-sdk/client-cloudtrail', '@aws-sdk/client-s3', '@aws-sdk/client-kms', '@middy/core', '@aws-lambda-powertools/logger']),
    );
  });

  it('stays within its size budget', () => {
    expect(facts.bundleBytes).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
