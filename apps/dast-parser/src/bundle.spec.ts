import { describeLambdaBundle, workspaceRoot } from '@devsecops/test-support';

// The SDK is bundled on purpose (README, "Bundling"); the budget keeps cold starts in check (npm run bench).
// +~200 KB since the gate (issue 11): yaml (suppressions files), csv-parse (EPSS), picomatch, packageurl-js.
// +10 KB for the scan builds' warnings and partial scans (issue 10 §1).
describeLambdaBundle(workspaceRoot, 'dast-parser', 1_450_000, ['securityhub', 's3']);
