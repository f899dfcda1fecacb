import type { Context } from 'aws-lambda';

/** A Lambda context for handler tests of `functionName` in account 123456789012, us-east-1. */
export function lambdaContext(functionName: string): Context {
  return {
    functionName,
    awsRequestId: 'req-1',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    getRemainingTimeInMillis: () => 60_000,
  } as unknown as Context;
}

/** Everything written through console or stdout/stderr while `run` executes (where the Powertools Logger writes). */
export async function captureConsole<T>(run: () => Promise<T>): Promise<{ result?: T; error?: unknown; output: string }> {
  const lines: string[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' '))),
  );
  const writes = [jest.spyOn(process.stdout, 'write'), jest.spyOn(process.stderr, 'write')].map((spy) =>
    spy.mockImplementation((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    }),
  );
  try {
    return { result: await run(), output: lines.join('\n') };
  } catch (error) {
    return { error, output: lines.join('\n') };
  } finally {
    [...spies, ...writes].forEach((spy) => spy.mockRestore());
  }
}
