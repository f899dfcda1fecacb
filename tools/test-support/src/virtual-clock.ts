/**
 * A clock that only moves when the code under test sleeps, for tests of rate limits, back-off and deadlines.
 *
 * Give `clock` and `sleep` to the code under test (the importer's `clock`/`sleep` options) and `clock` to the
 * server (securityhub-local's `clock` option): both then see the same time, so throttling depends only on how many
 * requests are sent per virtual second, never on how fast the machine runs the test. Sleepers that start in the
 * same turn of the event loop overlap, as real timers do: each wakes at its own start + ms, and the clock moves to
 * the latest wake-up reached so far, never backwards.
 */
export interface VirtualClock {
  /** Current virtual time in ms. */
  clock: () => number;
  /** Resolves on the next turn of the event loop, with the clock moved to at least start + ms. */
  sleep: (ms: number) => Promise<void>;
  /** Moves the clock forward by ms (a pause in which nothing is sent). */
  advance: (ms: number) => void;
  /** Virtual ms since the clock was created. */
  elapsed: () => number;
}

export function virtualClock(start = Date.parse('2026-11-22T12:00:00.000Z')): VirtualClock {
  let now = start;
  return {
    clock: () => now,
    sleep: (ms: number) => {
      const wakeAt = now + Math.max(0, ms);
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          now = Math.max(now, wakeAt);
          resolve();
        }),
      );
    },
    advance: (ms: number) => {
      now += Math.max(0, ms);
    },
    elapsed: () => now - start,
  };
}
