import { BatchImportFindingsCommand, type BatchImportFindingsCommandOutput, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { jsonBytes, validateFinding, type AwsSecurityFinding, type ScanScope } from '@devsecops/asff';
import { sendWithRetry, type CallRuntime, type Logger } from './call';
import { BATCH_LIMITS, batchEnd } from './chunking';
import { errorCode, errorMessage, isTransientFindingError, type BackoffConfig } from './errors';
import { dedupeById, planImport, type PlannedImport } from './plan';
import { createRateLimiter, type RateLimiter } from './rate-limit';
import { stateOf, type FindingState } from './state';
import { belongsToScope, readStoredFindings } from './stored';

export type { Logger } from './call';

export interface RateLimits {
  importRps: number;
  importBurst: number;
  getRps: number;
  getBurst: number;
}

/**
 * Security Hub allows BatchImportFindings 10 rps burst 30 and GetFindings 3 rps burst 6 per account and Region
 * (asff.md §1). A little below, because other producers in the account share those buckets.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = { importRps: 9, importBurst: 25, getRps: 2.5, getBurst: 5 };

export interface ImportOptions {
  /** Caller-constructed (the endpoint may be securityhub-local). `maxAttempts: 1` leaves all retrying to the importer. */
  client: SecurityHubClient;
  /** tool + repository + branch: what is read back and what gets archived. */
  scope: ScanScope;
  /** This scan's findings, built by buildFinding; may include ARCHIVED ones (suppressed or closed in the tool). */
  findings: AwsSecurityFinding[];
  /** Source of CreatedAt/UpdatedAt. */
  now?: () => Date;
  /** Epoch ms: no request is started after `deadline - deadlineMarginMs`; what is left is reported in notSent. */
  deadline?: number;
  /** Time kept free before the deadline for the request in flight and the caller's own work. Default 3000. */
  deadlineMarginMs?: number;
  /** Archive stored ACTIVE findings of the scope that this scan did not report. Default true. */
  archiveMissing?: boolean;
  /** Re-import an unchanged finding once its stored UpdatedAt is this old (retention is 90 days). Default 30. */
  refreshAfterDays?: number;
  rateLimits?: Partial<RateLimits>;
  logger?: Logger;
  /** Extra batches a finding may ride in after a transient per-finding failure. Default 3. */
  maxFindingRetries?: number;
  /** Requests per API call on throttling/5xx, first try included. Default 6. */
  maxRequestAttempts?: number;
  backoff?: Partial<BackoffConfig>;
  /** BatchImportFindings requests in flight at once (all still pass the rate limiter). Default 3. */
  concurrency?: number;
  /** Epoch ms; for the deadline and the rate limiters. Default Date.now. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** For backoff jitter. Default Math.random. */
  random?: () => number;
}

export interface FailedFinding {
  id: string;
  code: string;
  message: string;
}

export interface ImportResult {
  /** Findings of this scan accepted in this run (new, changed, re-activated or refreshed). */
  imported: number;
  /** Skipped: Security Hub holds the same ContentHash and RecordState, updated within refreshAfterDays. */
  unchanged: number;
  /** Stored ACTIVE findings of the scope missing from this scan, now ARCHIVED. */
  archived: number;
  /** Stored ARCHIVED, ACTIVE again (also counted in imported). */
  reactivated: number;
  /** Refused by Security Hub or by the client-side checks; may include Ids that were being archived. */
  failed: FailedFinding[];
  /** Not attempted because the deadline came; a later run finishes the job idempotently. May include archive Ids. */
  notSent: string[];
  /** Every HTTP request made, retries included. */
  apiCalls: number;
  callsByOperation: Record<string, number>;
  /** The Ids behind the counts, for state stores and audits. */
  ids: { imported: string[]; unchanged: string[]; archived: string[]; reactivated: string[] };
  /**
   * The state Security Hub holds for every finding of the scope when the import ends (read back, then updated by
   * what this run sent), by Id. Customer decisions (Workflow, Note) come from the stored version. Empty when the
   * scope could not be read.
   */
  states: Map<string, FindingState>;
}

interface Pending {
  planned: PlannedImport;
  bytes: number;
  retries: number;
}

const DEFAULTS = {
  deadlineMarginMs: 3000,
  refreshAfterDays: 30,
  maxFindingRetries: 3,
  maxRequestAttempts: 6,
  concurrency: 3,
  backoff: { baseMs: 250, maxMs: 20_000 },
};

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };

function emptyResult(): ImportResult {
  return {
    imported: 0,
    unchanged: 0,
    archived: 0,
    reactivated: 0,
    failed: [],
    notSent: [],
    apiCalls: 0,
    callsByOperation: {},
    ids: { imported: [], unchanged: [], archived: [], reactivated: [] },
    states: new Map(),
  };
}

function recordSuccess(result: ImportResult, planned: PlannedImport): void {
  const id = planned.finding.Id ?? '';
  if (planned.kind === 'archive') {
    result.archived += 1;
    result.ids.archived.push(id);
    return;
  }
  result.imported += 1;
  result.ids.imported.push(id);
  if (planned.kind === 'reactivated') {
    result.reactivated += 1;
    result.ids.reactivated.push(id);
  }
}

/**
 * Sends planned findings in batches of ≤ 100 findings and ≤ ~6 MB, through the import rate limiter, with up to
 * `concurrency` requests in flight. Per-finding transient failures go back to the end of the queue and ride in
 * a later batch (same UpdatedAt, so a duplicate delivery is a no-op). Once the deadline is reached, whatever
 * was not sent is reported in notSent.
 */
async function sendAll(
  queue: Pending[],
  runtime: CallRuntime,
  limiter: RateLimiter,
  options: { concurrency: number; maxFindingRetries: number },
  result: ImportResult,
): Promise<void> {
  let head = 0;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();

  const sendBatch = async (batch: Pending[]): Promise<void> => {
    try {
      await sendOne(batch);
    } catch (error) {
      // A bug must not make findings vanish from the accounting.
      for (const p of batch) result.failed.push({ id: p.planned.finding.Id ?? '', code: errorCode(error), message: errorMessage(error) });
    }
  };

  const sendOne = async (batch: Pending[]): Promise<void> => {
    const outcome = await sendWithRetry<BatchImportFindingsCommandOutput>(runtime, 'BatchImportFindings', limiter, () =>
      runtime.client.send(new BatchImportFindingsCommand({ Findings: batch.map((p) => p.planned.finding) })),
    );
    if (outcome.status === 'deadline') {
      stopped = true;
      for (const p of batch) result.notSent.push(p.planned.finding.Id ?? '');
      return;
    }
    if (outcome.status === 'failed') {
      // The whole request was refused (InvalidInput, InvalidAccess, or retries exhausted): every finding in it failed.
      for (const p of batch) result.failed.push({ id: p.planned.finding.Id ?? '', code: outcome.code, message: outcome.message });
      return;
    }
    const failures = new Map<string, { ErrorCode?: string; ErrorMessage?: string }>();
    for (const f of outcome.output.FailedFindings ?? []) failures.set(f.Id ?? '', f);
    for (const p of batch) {
      const id = p.planned.finding.Id ?? '';
      const failure = failures.get(id);
      if (!failure) {
        recordSuccess(result, p.planned);
        continue;
      }
      const code = failure.ErrorCode ?? 'Unknown';
      if (isTransientFindingError(code) && p.retries < options.maxFindingRetries) {
        p.retries += 1;
        queue.push(p);
        runtime.logger.debug('Finding failed transiently; queued for a later batch', { id, code, retry: p.retries });
      } else {
        result.failed.push({ id, code, message: failure.ErrorMessage ?? '' });
      }
    }
  };

  for (;;) {
    while (!stopped && head < queue.length && inFlight.size < options.concurrency) {
      if (runtime.clock() >= runtime.stopAt) {
        stopped = true;
        break;
      }
      const end = batchEnd(queue, head, (p) => p.bytes, BATCH_LIMITS);
      const batch = queue.slice(head, end);
      head = end;
      const running: Promise<void> = sendBatch(batch).finally(() => inFlight.delete(running));
      inFlight.add(running);
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight);
  }
  for (let i = head; i < queue.length; i += 1) result.notSent.push(queue[i]!.planned.finding.Id ?? '');
}

/**
 * The scope's state once the sends are done: the stored findings, overlaid with the provider-owned fields of what
 * was accepted. Customer-owned fields stay as stored, except that Security Hub sets NOTIFIED and RESOLVED back to
 * NEW when an archived finding becomes active again (asff.md §5).
 */
function statesAfterImport(stored: ReadonlyMap<string, AwsSecurityFinding>, sent: readonly Pending[], accepted: ReadonlySet<string>): Map<string, FindingState> {
  const states = new Map<string, FindingState>();
  for (const [id, finding] of stored) states.set(id, stateOf(finding));
  for (const { planned } of sent) {
    const id = planned.finding.Id ?? '';
    if (!accepted.has(id)) continue;
    const before = states.get(id);
    const after = stateOf(planned.finding);
    const reopened = before?.recordState === 'ARCHIVED' && after.recordState === 'ACTIVE' && (before.workflowStatus === 'NOTIFIED' || before.workflowStatus === 'RESOLVED');
    states.set(id, {
      ...after,
      workflowStatus: before === undefined ? after.workflowStatus : reopened ? 'NEW' : before.workflowStatus,
      ...(before?.note ? { note: before.note } : {}),
      ...(before?.createdAt ? { createdAt: before.createdAt } : {}),
      ...(before?.firstObservedAt && !after.firstObservedAt ? { firstObservedAt: before.firstObservedAt } : {}),
    });
  }
  return states;
}

/**
 * Gets one scan's findings into Security Hub correctly: reads what the scope holds, sends only what changed
 * (with stable CreatedAt and strictly newer UpdatedAt), archives what disappeared, and accounts for every
 * finding: each input Id ends up in exactly one of imported, unchanged, failed or notSent.
 */
export async function importFindings(options: ImportOptions): Promise<ImportResult> {
  const { client, scope } = options;
  const logger = options.logger ?? silent;
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const now = (options.now ?? (() => new Date()))();
  const limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const result = emptyResult();
  const runtime: CallRuntime = {
    client,
    clock,
    sleep,
    random: options.random ?? Math.random,
    stopAt: options.deadline === undefined ? Number.POSITIVE_INFINITY : options.deadline - (options.deadlineMarginMs ?? DEFAULTS.deadlineMarginMs),
    backoff: { ...DEFAULTS.backoff, ...options.backoff },
    maxAttempts: Math.max(1, options.maxRequestAttempts ?? DEFAULTS.maxRequestAttempts),
    logger,
    counters: result,
  };

  const { unique, duplicateIds } = dedupeById(options.findings);
  if (duplicateIds.length > 0) {
    logger.warn(`${duplicateIds.length} finding Id(s) occur more than once in the input; the last occurrence of each is imported`, {
      ids: duplicateIds.slice(0, 20),
    });
  }
  const scanIds = new Set(unique.map((f) => f.Id ?? ''));
  const inScope: AwsSecurityFinding[] = [];
  for (const finding of unique) {
    if (belongsToScope(finding, scope)) inScope.push(finding);
    else {
      result.failed.push({
        id: finding.Id ?? '',
        code: 'ScopeMismatch',
        message: `ProductArn/ProductFields do not match scope ${scope.tool} ${scope.repository}@${scope.branch}`,
      });
    }
  }

  const getLimiter = createRateLimiter({ ratePerSecond: limits.getRps, burst: limits.getBurst }, clock, sleep);
  const stored = await readStoredFindings(runtime, getLimiter, scope);
  if (stored.status !== 'ok') {
    // Without the stored state neither CreatedAt/UpdatedAt nor archiving can be done right: send nothing.
    for (const finding of inScope) {
      if (stored.status === 'deadline') result.notSent.push(finding.Id ?? '');
      else result.failed.push({ id: finding.Id ?? '', code: stored.code, message: `Reading stored findings failed: ${stored.message}` });
    }
    logger.warn('Could not read the scope from Security Hub; nothing imported', { status: stored.status });
    return result;
  }

  const plan = planImport({
    current: inScope,
    scanIds,
    stored: stored.output,
    now,
    refreshAfterDays: options.refreshAfterDays ?? DEFAULTS.refreshAfterDays,
    archiveMissing: options.archiveMissing ?? true,
  });
  result.unchanged = plan.unchanged.length;
  result.ids.unchanged = plan.unchanged;

  const queue: Pending[] = [];
  for (const planned of [...plan.imports, ...plan.archives]) {
    const problems = planned.kind === 'archive' ? [] : validateFinding(planned.finding);
    if (problems.length > 0) {
      const message = problems.slice(0, 5).map((p) => `${p.path} ${p.message}`).join('; ');
      result.failed.push({ id: planned.finding.Id ?? '', code: 'ClientValidation', message });
      continue;
    }
    queue.push({ planned, bytes: jsonBytes(planned.finding), retries: 0 });
  }
  logger.info('Import plan', {
    scope: `${scope.tool} ${scope.repository}@${scope.branch}`,
    stored: stored.output.size,
    toImport: plan.imports.length,
    unchanged: plan.unchanged.length,
    toArchive: plan.archives.length,
  });

  const importLimiter = createRateLimiter({ ratePerSecond: limits.importRps, burst: limits.importBurst }, clock, sleep);
  await sendAll(
    queue,
    runtime,
    importLimiter,
    { concurrency: Math.max(1, options.concurrency ?? DEFAULTS.concurrency), maxFindingRetries: options.maxFindingRetries ?? DEFAULTS.maxFindingRetries },
    result,
  );

  result.states = statesAfterImport(stored.output, queue, new Set([...result.ids.imported, ...result.ids.archived]));

  const summary = {
    imported: result.imported,
    unchanged: result.unchanged,
    archived: result.archived,
    reactivated: result.reactivated,
    failed: result.failed.length,
    notSent: result.notSent.length,
    apiCalls: result.apiCalls,
  };
  if (result.failed.length > 0 || result.notSent.length > 0) logger.warn('Import incomplete', summary);
  else logger.info('Import complete', summary);
  return result;
}
