import { describeLambdaBundle, workspaceRoot } from '@devsecops/test-support';

// The SDK is bundled on purpose (README, "Bundling"); the budget keeps cold starts in check (npm run bench).
describeLambdaBundle(workspaceRoot, 'cloudtrail-alerter', 880_000, ['securityhub', 'sns']);
