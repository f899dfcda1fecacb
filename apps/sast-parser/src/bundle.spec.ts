import { describeLambdaBundle, workspaceRoot } from '@devsecops/test-support';

// The SDK is bundled on purpose (README, "Bundling"); the budget keeps cold starts in check (npm run bench).
// +~200 KB since the gate (issue 11): yaml (suppressions files), csv-parse (EPSS), picomatch, packageurl-js.
describeLambdaBundle(workspaceRoot, 'sast-parser', 1_280_000, ['securityhub', 's3']);
