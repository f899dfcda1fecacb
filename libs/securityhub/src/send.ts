import { BatchImportFindingsCommand, type BatchImportFindingsCommandOutput } from '@aws-sdk/client-securityhub';
import { jsonBytes, type AwsSecurityFinding } from '@devsecops/asff';
import { sendWithRetry, type CallRuntime } from './call';
import { BATCH_LIMITS, batchEnd } from './chunking';
import { errorCode, errorMessage, isTransientFindingError } from './errors';
import type { PlannedImport } from './plan';
import type { RateLimiter } from './rate-limit';

export interface FailedFinding {
  id: string;
  code: string;
  message: string;
}

/** What the sender reports, finding by finding. */
export interface SendOutcomes {
  accepted(planned: PlannedImport): void;
  failed(failure: FailedFinding): void;
  notSent(id: string): void;
}

interface Pending {
  planned: PlannedImport;
  bytes: number;
  retries: number;
}

export interface Sender {
  /** Queues a planned finding; batches go out as soon as one is full (or the input has ended). */
  push(planned: PlannedImport): void;
  /** Resolves once fewer than `backlog` findings wait, so a streaming caller holds a bounded number in memory. */
  room(): Promise<void>;
  /** No more input: sends what is left (partial batches too) and resolves when every finding is accounted for. */
  finish(): Promise<void>;
  /** True once the deadline stopped sending; later pushes go straight to notSent. */
  readonly stopped: boolean;
}

/**
 * Sends planned findings in batches of ≤ 100 findings and ≤ ~6 MB, through the import rate limiter, with up to
 * `concurrency` requests in flight, while the caller is still planning (a streamed scan is sent as it is read).
 * Per-finding transient failures go back to the end of the queue and ride in a later batch (same UpdatedAt, so
 * a duplicate delivery is a no-op). Once the deadline is reached, whatever was not sent is reported in notSent.
 */
export function createSender(
  runtime: CallRuntime,
  limiter: RateLimiter,
  options: { concurrency: number; maxFindingRetries: number; backlog?: number; beforeSend?: (findings: readonly AwsSecurityFinding[]) => Promise<void> },
  outcomes: SendOutcomes,
): Sender {
  const backlog = options.backlog ?? 20 * BATCH_LIMITS.maxCount;
  let queue: Pending[] = [];
  let head = 0;
  let stopped = false;
  let inputDone = false;
  const inFlight = new Set<Promise<void>>();
  let wake: () => void = () => undefined;
  let roomWaiters: (() => void)[] = [];

  const notifyRoom = () => {
    if (stopped || queue.length - head < backlog) {
      const waiters = roomWaiters;
      roomWaiters = [];
      for (const w of waiters) w();
    }
  };

  const sendOne = async (batch: Pending[]): Promise<void> => {
    if (options.beforeSend) {
      try {
        await options.beforeSend(batch.map((p) => p.planned.finding));
      } catch (error) {
        const message = `The evidence the findings link to could not be stored, so they were not sent: ${errorCode(error)}: ${errorMessage(error)}`;
        for (const p of batch) outcomes.failed({ id: p.planned.finding.Id ?? '', code: 'EvidenceNotStored', message });
        return;
      }
    }
    const outcome = await sendWithRetry<BatchImportFindingsCommandOutput>(runtime, 'BatchImportFindings', limiter, () =>
      runtime.client.send(new BatchImportFindingsCommand({ Findings: batch.map((p) => p.planned.finding) })),
    );
    if (outcome.status === 'deadline') {
      stopped = true;
      for (const p of batch) outcomes.notSent(p.planned.finding.Id ?? '');
      return;
    }
    if (outcome.status === 'failed') {
      // The whole request was refused (InvalidInput, InvalidAccess, or retries exhausted): every finding in it failed.
      for (const p of batch) outcomes.failed({ id: p.planned.finding.Id ?? '', code: outcome.code, message: outcome.message });
      return;
    }
    const failures = new Map<string, { ErrorCode?: string; ErrorMessage?: string }>();
    for (const f of outcome.output.FailedFindings ?? []) failures.set(f.Id ?? '', f);
    for (const p of batch) {
      const id = p.planned.finding.Id ?? '';
      const failure = failures.get(id);
      if (!failure) {
        outcomes.accepted(p.planned);
        continue;
      }
      const code = failure.ErrorCode ?? 'Unknown';
      if (isTransientFindingError(code) && p.retries < options.maxFindingRetries) {
        p.retries += 1;
        queue.push(p);
        runtime.logger.debug('Finding failed transiently; queued for a later batch', { id, code, retry: p.retries });
      } else {
        outcomes.failed({ id, code, message: failure.ErrorMessage ?? '' });
      }
    }
  };

  const sendBatch = async (batch: Pending[]): Promise<void> => {
    try {
      await sendOne(batch);
    } catch (error) {
      // A bug must not make findings vanish from the accounting.
      for (const p of batch) outcomes.failed({ id: p.planned.finding.Id ?? '', code: errorCode(error), message: errorMessage(error) });
    }
  };

  /** Starts every batch that may start now. */
  const fill = () => {
    while (!stopped && head < queue.length && inFlight.size < options.concurrency) {
      if (runtime.clock() >= runtime.stopAt) {
        stopped = true;
        break;
      }
      const end = batchEnd(queue, head, (p) => p.bytes, BATCH_LIMITS);
      // While input still comes, only full batches go: a request costs the same for 1 finding as for 100.
      const full = end - head >= BATCH_LIMITS.maxCount || end < queue.length;
      if (!full && !inputDone) break;
      const batch = queue.slice(head, end);
      head = end;
      if (head > 10_000) {
        queue = queue.slice(head);
        head = 0;
      }
      const running: Promise<void> = sendBatch(batch).finally(() => {
        inFlight.delete(running);
        wake();
      });
      inFlight.add(running);
    }
    notifyRoom();
  };

  let loop: Promise<void> | undefined;
  const run = async (): Promise<void> => {
    for (;;) {
      fill();
      if (inFlight.size === 0 && (inputDone || stopped) && (stopped || head >= queue.length)) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (inFlight.size === 0 && head >= queue.length && inputDone) resolve();
      });
    }
    for (let i = head; i < queue.length; i += 1) outcomes.notSent(queue[i]!.planned.finding.Id ?? '');
    head = queue.length;
    notifyRoom();
  };

  return {
    get stopped() {
      return stopped;
    },
    push(planned) {
      if (stopped) {
        outcomes.notSent(planned.finding.Id ?? '');
        return;
      }
      queue.push({ planned, bytes: jsonBytes(planned.finding), retries: 0 });
      loop ??= run();
      wake();
    },
    room() {
      if (stopped || queue.length - head < backlog) return Promise.resolve();
      return new Promise<void>((resolve) => roomWaiters.push(resolve));
    },
    async finish() {
      inputDone = true;
      loop ??= run();
      wake();
      await loop;
    },
  };
}
