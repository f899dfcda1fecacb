import { describeLambdaBundle, workspaceRoot } from '@devsecops/test-support';

// The SDK is bundled on purpose (README, "Bundling"); the budget keeps cold starts in check (npm run bench).
describeLambdaBundle(workspaceRoot, 'auto-remediator', 1_250_000, ['securityhub', 'codebuild', 'ssm', 'iam', 'cloudtrail', 's3', 'kms', 'sns']);
