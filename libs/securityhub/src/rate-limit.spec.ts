import { createRateLimiter, drainTokens, fullBucket, reserveToken, type TokenBucketConfig } from './rate-limit';

const config: TokenBucketConfig = { ratePerSecond: 10, burst: 3 };

/** A clock that only moves when someone sleeps, so tests are exact and instant. */
function virtualTime(start = 1_000_000) {
  const clock = { now: start };
  return { clock: () => clock.now, sleep: async (ms: number) => void (clock.now += ms), advance: (ms: number) => void (clock.now += ms) };
}

describe('reserveToken', () => {
  it('lets a full bucket spend its burst without waiting, then spaces calls at the rate', () => {
    // arrange
    let state = fullBucket(config, 0);
    const waits: number[] = [];
    // act
    for (let i = 0; i < 6; i += 1) {
      const reserved = reserveToken(config, state, 0);
      state = reserved.state;
      waits.push(reserved.waitMs);
    }
    // assert: 3 free, then 100 ms, 200 ms, 300 ms after t=0
    expect(waits).toEqual([0, 0, 0, 100, 200, 300]);
  });

  it('refills with time but never above the burst', () => {
    // arrange
    let state = fullBucket(config, 0);
    for (let i = 0; i < 3; i += 1) state = reserveToken(config, state, 0).state;
    // act
    const afterOneToken = reserveToken(config, state, 100);
    const afterLongIdle = reserveToken(config, state, 60_000);
    // assert
    expect(afterOneToken.waitMs).toBe(0);
    expect(afterOneToken.state.tokens).toBeCloseTo(0);
    expect(afterLongIdle.state.tokens).toBeCloseTo(config.burst - 1);
  });

  it('drain forgets the saved burst, so the next call waits one interval', () => {
    // arrange
    const state = fullBucket(config, 0);
    // act
    const drained = drainTokens(config, state, 0);
    const next = reserveToken(config, drained, 0);
    // assert
    expect(drained.tokens).toBe(0);
    expect(next.waitMs).toBe(100);
  });

  it('drain keeps an existing debt', () => {
    // arrange
    let state = fullBucket(config, 0);
    for (let i = 0; i < 5; i += 1) state = reserveToken(config, state, 0).state;
    // act
    const drained = drainTokens(config, state, 0);
    // assert
    expect(drained.tokens).toBe(-2);
  });
});

describe('createRateLimiter', () => {
  it('never sends faster than a server enforcing the real BatchImportFindings quota accepts', async () => {
    // arrange: our defaults (9 rps, burst 25) against the real quota (10 rps, burst 30)
    const time = virtualTime();
    const limiter = createRateLimiter({ ratePerSecond: 9, burst: 25 }, time.clock, time.sleep);
    const server: TokenBucketConfig = { ratePerSecond: 10, burst: 30 };
    let serverState = fullBucket(server, time.clock());
    let rejected = 0;
    const start = time.clock();
    // act
    for (let call = 0; call < 100; call += 1) {
      await limiter.acquire();
      const attempt = reserveToken(server, serverState, time.clock());
      if (attempt.waitMs > 0) rejected += 1;
      else serverState = attempt.state;
    }
    // assert: no 429, and the 75 calls past the burst took 75/9 s
    expect(rejected).toBe(0);
    expect(time.clock() - start).toBe(Math.ceil((75 * 1000) / 9));
  });

  it('is rejected by the same server when the limit is too high (the check above can fail)', async () => {
    // arrange
    const time = virtualTime();
    const limiter = createRateLimiter({ ratePerSecond: 20, burst: 40 }, time.clock, time.sleep);
    const server: TokenBucketConfig = { ratePerSecond: 10, burst: 30 };
    let serverState = fullBucket(server, time.clock());
    let rejected = 0;
    // act
    for (let call = 0; call < 100; call += 1) {
      await limiter.acquire();
      const attempt = reserveToken(server, serverState, time.clock());
      if (attempt.waitMs > 0) rejected += 1;
      else serverState = attempt.state;
    }
    // assert
    expect(rejected).toBeGreaterThan(0);
  });

  it('after drain() the next acquire waits one full interval', async () => {
    // arrange
    const time = virtualTime();
    const limiter = createRateLimiter({ ratePerSecond: 4, burst: 6 }, time.clock, time.sleep);
    const before = time.clock();
    // act
    limiter.drain();
    await limiter.acquire();
    // assert
    expect(time.clock() - before).toBe(250);
  });

  it('refuses a configuration that could never send', () => {
    // arrange
    const time = virtualTime();
    // act / assert
    expect(() => createRateLimiter({ ratePerSecond: 0, burst: 5 }, time.clock, time.sleep)).toThrow('Invalid rate limit');
    expect(() => createRateLimiter({ ratePerSecond: 5, burst: 0 }, time.clock, time.sleep)).toThrow('Invalid rate limit');
  });
});
