// Environment every Lambda sees at runtime, so handlers behave in tests as in AWS.
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_DEFAULT_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'AKIAIOSFODNN7EXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test-secret-not-real';
process.env.AWS_LAMBDA_FUNCTION_NAME ??= 'test-function';
process.env.AWS_ACCOUNT_ID ??= '123456789012';
process.env.POWERTOOLS_SERVICE_NAME ??= 'devsecops-pipeline-test';
process.env.POWERTOOLS_DEV ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
