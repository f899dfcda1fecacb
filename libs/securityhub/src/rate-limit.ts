/**
 * Client-side token bucket, so one importer never goes over Security Hub's per-account quotas
 * (BatchImportFindings 10 rps burst 30, GetFindings 3 rps burst 6; ../shared/reference/asff.md §1).
 *
 * The bucket works by reservation: a caller takes a token now and is told how long to wait before using it.
 * Tokens may go negative (a debt), so concurrent callers queue up at exactly `ratePerSecond` without
 * polling and without one caller overtaking another.
 */
export interface TokenBucketConfig {
  ratePerSecond: number;
  burst: number;
}

export interface TokenBucketState {
  /** Tokens available at `at`; negative when callers are already waiting. */
  tokens: number;
  /** Epoch ms of the last refill. */
  at: number;
}

export function fullBucket(config: TokenBucketConfig, now: number): TokenBucketState {
  return { tokens: config.burst, at: now };
}

function refilled(config: TokenBucketConfig, state: TokenBucketState, now: number): number {
  const elapsed = Math.max(0, now - state.at);
  return Math.min(config.burst, state.tokens + (elapsed * config.ratePerSecond) / 1000);
}

/** Takes one token at `now`: the new state and how many ms the caller must wait before it may send. */
export function reserveToken(config: TokenBucketConfig, state: TokenBucketState, now: number): { state: TokenBucketState; waitMs: number } {
  const tokens = refilled(config, state, now);
  const waitMs = tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 1000) / config.ratePerSecond);
  return { state: { tokens: tokens - 1, at: Math.max(now, state.at) }, waitMs };
}

/**
 * After a 429 the server's bucket is empty (other producers share the account quota), so ours must not still
 * believe it holds a burst: drop saved tokens, keep any debt.
 */
export function drainTokens(config: TokenBucketConfig, state: TokenBucketState, now: number): TokenBucketState {
  return { tokens: Math.min(0, refilled(config, state, now)), at: Math.max(now, state.at) };
}

export interface RateLimiter {
  /** Resolves when the caller may send one request. */
  acquire(): Promise<void>;
  /** Called on throttling: forget the saved burst. */
  drain(): void;
}

export function createRateLimiter(
  config: TokenBucketConfig,
  clock: () => number,
  sleep: (ms: number) => Promise<void>,
): RateLimiter {
  if (!(config.ratePerSecond > 0) || !(config.burst >= 1)) {
    throw new Error(`Invalid rate limit: ${config.ratePerSecond} rps, burst ${config.burst} (need rps > 0 and burst >= 1)`);
  }
  let state = fullBucket(config, clock());
  return {
    async acquire() {
      const reserved = reserveToken(config, state, clock());
      state = reserved.state;
      if (reserved.waitMs > 0) await sleep(reserved.waitMs);
    },
    drain() {
      state = drainTokens(config, state, clock());
    },
  };
}
