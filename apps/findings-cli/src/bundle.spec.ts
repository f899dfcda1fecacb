import { bundleFacts, workspaceRoot } from '@devsecops/test-support';

/** `node dist/apps/findings-cli/main.mjs` must run anywhere with Node 22+: one file, nothing to install. */
describe('the findings-cli bundle', () => {
  it('is self-contained: nothing but Node built-ins is left to resolve at runtime', () => {
    // Act
    const facts = bundleFacts(workspaceRoot, 'findings-cli');
    // Assert
    expect(facts.nonBuiltinExternals).toEqual([]);
    expect(facts.bundledPackages).toEqual(expect.arrayContaining(['@aws-sdk/client-securityhub', '@aws-sdk/client-sts']));
  });
});
