import type { BasicLogger as Logger } from '@devsecops/aws-conventions';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { attemptsOf, backoffDelay, classifyError, errorCode, errorMessage, type BackoffConfig } from './errors';
import type { RateLimiter } from './rate-limit';

export type { Logger };

/** Everything a call needs from the outside world, injectable so tests neither wait nor depend on chance. */
export interface CallRuntime {
  client: SecurityHubClient;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Epoch ms after which no new request is started (the caller's deadline minus its safety margin). */
  stopAt: number;
  backoff: BackoffConfig;
  /** Requests per call, first try included. */
  maxAttempts: number;
  logger: Logger;
  counters: { apiCalls: number; callsByOperation: Record<string, number>; throttled: number };
}

export type CallOutcome<T> =
  | { status: 'ok'; output: T }
  | { status: 'deadline' }
  | { status: 'failed'; code: string; message: string };

function count(runtime: CallRuntime, operation: string, calls: number): void {
  runtime.counters.apiCalls += calls;
  runtime.counters.callsByOperation[operation] = (runtime.counters.callsByOperation[operation] ?? 0) + calls;
}

/**
 * Sends one Security Hub request through the client-side rate limiter, retrying throttling and server errors
 * with full-jitter backoff. The caller's client may retry on its own as well; its attempts are counted from
 * $metadata. Gives up with `deadline` rather than start a request or a wait that ends after `stopAt`.
 */
export async function sendWithRetry<T>(
  runtime: CallRuntime,
  operation: string,
  limiter: RateLimiter,
  request: () => Promise<T>,
): Promise<CallOutcome<T>> {
  for (let attempt = 1; ; attempt += 1) {
    if (runtime.clock() >= runtime.stopAt) return { status: 'deadline' };
    await limiter.acquire();
    if (runtime.clock() >= runtime.stopAt) return { status: 'deadline' };
    try {
      const output = await request();
      count(runtime, operation, attemptsOf(output));
      return { status: 'ok', output };
    } catch (error) {
      count(runtime, operation, attemptsOf(error));
      const kind = classifyError(error);
      const code = errorCode(error);
      const message = errorMessage(error);
      if (kind === 'permanent') return { status: 'failed', code, message };
      if (kind === 'throttled') {
        runtime.counters.throttled += 1;
        limiter.drain();
      }
      if (attempt >= runtime.maxAttempts) {
        runtime.logger.warn(`${operation} failed after ${attempt} attempts`, { code, message });
        return { status: 'failed', code, message: `${message} (gave up after ${attempt} attempts)` };
      }
      const delay = backoffDelay(attempt - 1, runtime.backoff, runtime.random);
      if (runtime.clock() + delay >= runtime.stopAt) return { status: 'deadline' };
      runtime.logger.debug(`${operation} ${kind} (${code}); retrying in ${delay} ms`, { attempt });
      await runtime.sleep(delay);
    }
  }
}
