import { ZapScanError, type ZapPhase } from './errors';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface WaitOptions {
  phase: ZapPhase;
  /** What is being waited for, e.g. "active scan 3". */
  what: string;
  /** Reads the current value (a percentage, or records left). Throws ZapScanError on API errors. */
  read(): Promise<number>;
  isDone(value: number): boolean;
  /** Whether `value` is progress compared with the best value seen so far. */
  improves(value: number, best: number): boolean;
  /** For messages: "45%" or "12 records left". */
  show(value: number): string;
  intervalMs: number;
  /** Absolute time (clock.now()) after which the wait fails. */
  deadline: number;
  /** Fails when this many polls in a row bring no progress. */
  stallPolls: number;
  clock: Clock;
  onProgress?(value: number): void;
}

function minutes(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

/**
 * Polls until done, the deadline passes, or progress stalls. Every exit other than done is a ZapScanError that
 * says where the scan stood; the loop is bounded by the deadline whatever `read` returns.
 */
export async function waitUntilDone(options: WaitOptions): Promise<number> {
  const { clock } = options;
  const started = clock.now();
  let best: number | undefined;
  let polls = 0;
  let stalled = 0;
  for (;;) {
    const value = await options.read();
    polls += 1;
    options.onProgress?.(value);
    if (options.isDone(value)) return polls;
    if (best === undefined || options.improves(value, best)) {
      best = value;
      stalled = 0;
    } else {
      stalled += 1;
      if (stalled >= options.stallPolls) {
        throw new ZapScanError(
          options.phase,
          `${options.what} stalled at ${options.show(value)}: no progress in ${stalled} polls (${minutes(stalled * options.intervalMs)})`,
          'stalled',
        );
      }
    }
    const now = clock.now();
    if (now + options.intervalMs > options.deadline) {
      throw new ZapScanError(options.phase, `${options.what} did not finish in its time limit: waited ${minutes(now - started)}, at ${options.show(value)}`, 'timeout');
    }
    await clock.sleep(options.intervalMs);
  }
}
