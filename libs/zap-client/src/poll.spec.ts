import { ZapScanError } from './errors';
import { waitUntilDone, type WaitOptions } from './poll';

function options(values: number[], overrides: Partial<WaitOptions> = {}): WaitOptions & { sleeps: number[] } {
  let time = 0;
  let i = 0;
  const sleeps: number[] = [];
  return {
    phase: 'active',
    what: 'active scan 1',
    read: async () => values[Math.min(i++, values.length - 1)]!,
    isDone: (v) => v >= 100,
    improves: (v, best) => v > best,
    show: (v) => `${v}%`,
    intervalMs: 1_000,
    deadline: 60_000,
    stallPolls: 3,
    clock: { now: () => time, sleep: async (ms) => void (sleeps.push(ms), (time += ms)) },
    sleeps,
    ...overrides,
  };
}

describe('waitUntilDone', () => {
  it('polls until done, sleeping the interval between polls', async () => {
    // Arrange
    const opts = options([0, 30, 30, 70, 100]);

    // Act
    const polls = await waitUntilDone(opts);

    // Assert
    expect(polls).toBe(5);
    expect(opts.sleeps).toEqual([1_000, 1_000, 1_000, 1_000]);
  });

  it('resets the stall count whenever progress is made', async () => {
    // Arrange: two flat polls, progress, two flat polls, done: never three flat in a row
    const opts = options([10, 10, 10, 20, 20, 20, 100]);

    // Act / Assert
    await expect(waitUntilDone(opts)).resolves.toBe(7);
  });

  it('fails when progress goes backwards or stays flat for stallPolls polls', async () => {
    // Arrange
    const opts = options([50, 40, 45, 50]);

    // Act / Assert
    await expect(waitUntilDone(opts)).rejects.toThrow(new ZapScanError('active', 'active scan 1 stalled at 50%: no progress in 3 polls (3 s)'));
  });

  it('ends at the deadline even if the status always moves', async () => {
    // Arrange
    let n = 0;
    const opts = options([], { read: async () => (n += 0.001), stallPolls: 1_000_000, deadline: 10_000 });

    // Act / Assert
    await expect(waitUntilDone(opts)).rejects.toThrow(/did not finish in its time limit: waited 10 s/);
  });

  it('passes API errors through unchanged', async () => {
    // Arrange
    const apiError = new ZapScanError('active', '/JSON/ascan/view/status/ failed with HTTP 500: boom');
    const opts = options([], { read: async () => Promise.reject(apiError) });

    // Act / Assert
    await expect(waitUntilDone(opts)).rejects.toBe(apiError);
  });
});
