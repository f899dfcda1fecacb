import type { Context } from 'aws-lambda';

/** A Lambda context for invoking handlers in tests, with time left for the importer's deadline. */
export function lambdaContext(functionName: string, remainingMs = 60_000): Context {
  return {
    functionName,
    functionVersion: '$LATEST',
    awsRequestId: `test-${functionName}`,
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * The part of the SDK's GetObject streaming body the parser Lambdas use: whole (`transformToByteArray`) or, like
 * the SDK's Node stream, as an AsyncIterable of chunks (`chunkBytes` each).
 */
export function s3Body(bytes: Uint8Array, chunkBytes = 16 * 1024): never {
  return {
    transformToByteArray: async () => new Uint8Array(bytes),
    async *[Symbol.asyncIterator]() {
      for (let at = 0; at < bytes.byteLength; at += chunkBytes) yield bytes.subarray(at, at + chunkBytes);
    },
  } as never;
}
