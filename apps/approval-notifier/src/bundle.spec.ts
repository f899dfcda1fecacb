import { describeLambdaBundle, workspaceRoot } from '@devsecops/test-support';

// The SDK is bundled on purpose (README, "Bundling"); the budget keeps cold starts in check (npm run bench).
describeLambdaBundle(workspaceRoot, 'approval-notifier', 900_000, ['codepipeline', 'securityhub', 'sns']);
