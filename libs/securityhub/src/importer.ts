import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { validateFinding, type AwsSecurityFinding, type ScanScope } from '@devsecops/asff';
import type { CallRuntime, Logger } from './call';
import type { BackoffConfig } from './errors';
import { decodeLedger, encodeLedger, ledgerKey, mergeRecords, newLedger, sameRecords, type LedgerStore } from './ledger';
import { archiveCandidates, archivedVersion, contentHashOf, dedupeById, planFinding, type PlannedImport } from './plan';
import { createRateLimiter, type RateLimiter } from './rate-limit';
import { createSender, type FailedFinding } from './send';
import { stateOf, type FindingState } from './state';
import { belongsToScope, describeScope, readDecisions, readFindingsByIds, readStoredFindings } from './stored';

export type { Logger } from './call';
export type { FailedFinding } from './send';

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
  /** The scan identity (tool + repository + branch + category): what is read back and what gets archived. */
  scope: ScanScope;
  /**
   * This scan's findings, built by buildFinding; may include ARCHIVED ones (suppressed or closed in the tool).
   * An array, or any (async) iterable: a streamed scan is planned and sent while it is read, holding a bounded
   * number of findings; only the Ids are kept for archiving. In an array the last of duplicated Ids wins; a
   * stream cannot look ahead, so there the first wins.
   */
  findings: readonly AwsSecurityFinding[] | Iterable<AwsSecurityFinding> | AsyncIterable<AwsSecurityFinding>;
  /**
   * Why this scan is not complete (truncated or partial report, a scanner that failed, `complete: false` in the
   * event). Non-empty = the findings are imported but nothing is archived, and `archiveSkipped` says why.
   */
  incomplete?: readonly string[];
  /** Keep the scope's state in a ledger instead of reading the whole scope back on every import. */
  ledger?: LedgerOptions;
  /**
   * This invocation's share of the account's Security Hub quotas, 0 < share ≤ 1 (default 1): with N parser
   * invocations allowed at once (reserved concurrency), 1/N keeps all of them together under the quotas.
   */
  rateShare?: number;
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
  /**
   * Called with each batch just before it is sent (e.g. to store the whole evidence the findings link to, so no
   * link ever points at nothing). A rejection fails the batch's findings with code EvidenceNotStored.
   */
  beforeSend?: (findings: readonly AwsSecurityFinding[]) => Promise<void>;
  /** Epoch ms; for the deadline and the rate limiters. Default Date.now. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** For backoff jitter. Default Math.random. */
  random?: () => number;
}

export interface LedgerOptions {
  store: LedgerStore;
  /** Rebuild the ledger from one GetFindings pass once it was rebuilt this many days ago. Default 7. */
  maxAgeDays?: number;
  /**
   * Where customer decisions (Workflow, Note) come from when the ledger is used: `read-back` (default) reads the
   * scope's ACTIVE findings that carry a decision (one GetFindings page in practice), so a suppression made in the
   * console a minute ago counts; `ledger` trusts the ledger (decisions are then up to `maxAgeDays` old).
   */
  decisions?: 'read-back' | 'ledger';
  /** Conditional writes tried before giving up after lost races. Default 5. */
  maxWriteAttempts?: number;
}

export interface LedgerReport {
  location: string;
  key: string;
  /** used: read and trusted; rebuilt: missing, stale, unreadable or foreign, rebuilt from GetFindings. */
  source: 'used' | 'rebuilt';
  /** Why it was rebuilt. */
  reason?: string;
  /** A new version was written (an unchanged scan with unchanged decisions writes nothing). */
  written: boolean;
  /** Writes lost to a concurrent import of the same scan identity (each followed by a retry from the new state). */
  conflicts: number;
  /** Set when the ledger could not be written; the next import rebuilds or reuses the old one. */
  error?: string;
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
  /** Set when nothing was archived because the scan is incomplete (see ImportOptions.incomplete): why. */
  archiveSkipped?: string;
  /** Every AWS request made (Security Hub and ledger reads/writes), retries included. */
  apiCalls: number;
  /** Requests Security Hub answered with throttling (429 / LimitExceeded); each was retried after backoff. */
  throttled: number;
  /** What the ledger did, when one is configured. */
  ledger?: LedgerReport;
  callsByOperation: Record<string, number>;
  /** The Ids behind the counts, for state stores and audits. */
  ids: { imported: string[]; unchanged: string[]; archived: string[]; reactivated: string[]; created: string[] };
  /**
   * The archived versions this run got accepted (findings of the scope that vanished from the scan): what "fixed by
   * this run" lists in the markdown and HTML reports.
   */
  archivedFindings: AwsSecurityFinding[];
  /**
   * The state Security Hub holds for every finding of the scope when the import ends (read back or from the
   * ledger, then updated by what this run sent), by Id; what the ledger stores. Customer decisions (Workflow,
   * Note) come from the stored version. Empty when the scope could not be read.
   */
  states: Map<string, FindingState>;
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
/** Taken at load, before any test installs fake timers: one turn of the event loop, for pending I/O. */
const realSetImmediate = setImmediate;
const yieldToIo = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));
const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };

const LEDGER_DEFAULTS = { maxAgeDays: 7, maxWriteAttempts: 5 };
const DAY_MS = 24 * 60 * 60 * 1000;

type InputStatus = 'imported' | 'unchanged' | 'failed' | 'notSent';
type ArchiveStatus = 'archived' | 'failed' | 'notSent';

/**
 * Where every Id ends up. Kept per Id (not as counters) so that a retry after a lost ledger write can move an Id
 * from unchanged to imported, or to failed, without counting it twice.
 */
class Accounting {
  readonly input = new Map<string, InputStatus>();
  readonly archive = new Map<string, ArchiveStatus>();
  readonly reactivated = new Set<string>();
  /** Accepted as new: Security Hub held no finding with this Id (ledger or read-back). */
  readonly created = new Set<string>();
  readonly archivedVersions = new Map<string, AwsSecurityFinding>();
  readonly failures = new Map<string, FailedFinding>();
  /** State of every finding Security Hub accepted in this run, by Id. */
  readonly accepted = new Map<string, FindingState>();

  constructor(private readonly archiveIds: Set<string>) {}

  markArchiveCandidate(id: string): void {
    this.archiveIds.add(id);
  }

  private set(id: string, status: InputStatus | ArchiveStatus): void {
    if (this.archiveIds.has(id)) this.archive.set(id, status as ArchiveStatus);
    else this.input.set(id, status as InputStatus);
  }

  unchanged(id: string): void {
    this.input.set(id, 'unchanged');
  }

  acceptedFinding(planned: PlannedImport): void {
    const id = planned.finding.Id ?? '';
    this.failures.delete(id);
    this.accepted.set(id, stateOf(planned.finding));
    if (planned.kind === 'archive') {
      this.archive.set(id, 'archived');
      this.archivedVersions.set(id, planned.finding);
      return;
    }
    this.input.set(id, 'imported');
    if (planned.kind === 'reactivated') this.reactivated.add(id);
    if (planned.kind === 'new') this.created.add(id);
  }

  failed(failure: FailedFinding): void {
    this.failures.set(failure.id, failure);
    this.set(failure.id, 'failed');
  }

  notSent(id: string): void {
    this.failures.delete(id);
    this.set(id, 'notSent');
  }

  fill(result: ImportResult): void {
    const ids = (map: Map<string, string>, status: string) => [...map].filter(([, s]) => s === status).map(([id]) => id);
    result.ids = {
      imported: ids(this.input, 'imported'),
      unchanged: ids(this.input, 'unchanged'),
      archived: ids(this.archive, 'archived'),
      reactivated: [...this.reactivated].filter((id) => this.input.get(id) === 'imported'),
      created: [...this.created].filter((id) => this.input.get(id) === 'imported'),
    };
    result.archivedFindings = result.ids.archived.map((id) => this.archivedVersions.get(id)).filter((f): f is AwsSecurityFinding => f !== undefined);
    result.imported = result.ids.imported.length;
    result.unchanged = result.ids.unchanged.length;
    result.archived = result.ids.archived.length;
    result.reactivated = result.ids.reactivated.length;
    result.failed = [...this.failures.values()];
    result.notSent = [...ids(this.input, 'notSent'), ...ids(this.archive, 'notSent')];
  }
}

function emptyResult(): ImportResult {
  return {
    imported: 0,
    unchanged: 0,
    archived: 0,
    reactivated: 0,
    failed: [],
    notSent: [],
    apiCalls: 0,
    throttled: 0,
    callsByOperation: {},
    ids: { imported: [], unchanged: [], archived: [], reactivated: [], created: [] },
    archivedFindings: [],
    states: new Map(),
  };
}

function countCall(result: ImportResult, operation: string): void {
  result.apiCalls += 1;
  result.callsByOperation[operation] = (result.callsByOperation[operation] ?? 0) + 1;
}

/**
 * The scope's state once the sends are done: the stored records, overlaid with the provider-owned fields of what
 * was accepted. Customer-owned fields stay as stored, except that Security Hub sets NOTIFIED and RESOLVED back to
 * NEW when an archived finding becomes active again (asff.md §5).
 */
function statesAfterImport(before: ReadonlyMap<string, FindingState>, accepted: ReadonlyMap<string, FindingState>): Map<string, FindingState> {
  const states = new Map(before);
  for (const [id, after] of accepted) {
    const held = states.get(id);
    const reopened = held?.recordState === 'ARCHIVED' && after.recordState === 'ACTIVE' && (held.workflowStatus === 'NOTIFIED' || held.workflowStatus === 'RESOLVED');
    states.set(id, {
      ...after,
      workflowStatus: held === undefined ? after.workflowStatus : reopened ? 'NEW' : held.workflowStatus,
      ...(held?.note ? { note: held.note } : {}),
      ...(held?.createdAt ? { createdAt: held.createdAt } : {}),
      ...(held?.firstObservedAt && !after.firstObservedAt ? { firstObservedAt: held.firstObservedAt } : {}),
    });
  }
  return states;
}

/** Customer decisions read back from Security Hub laid over the ledger's records (see LedgerOptions.decisions). */
function withDecisions(records: ReadonlyMap<string, FindingState>, decided: ReadonlyMap<string, AwsSecurityFinding>): Map<string, FindingState> {
  const states = new Map(records);
  for (const [id, state] of records) {
    if (state.recordState !== 'ACTIVE') continue;
    const finding = decided.get(id);
    if (finding) {
      const fresh = stateOf(finding);
      states.set(id, { ...state, workflowStatus: fresh.workflowStatus, ...(fresh.note ? { note: fresh.note } : {}) });
    } else if (state.workflowStatus !== 'NEW') {
      // Not among the decided findings any more: the decision was taken back in the console.
      states.set(id, { ...state, workflowStatus: 'NEW' });
    }
  }
  // A decided finding of the scope the ledger does not know: the ledger missed an import; Security Hub is right.
  for (const [id, finding] of decided) if (!states.has(id)) states.set(id, stateOf(finding));
  return states;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<AwsSecurityFinding> {
  return typeof (value as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';
}

interface ScopeState {
  /** The record of every finding of the scope, by Id (decisions included). */
  records: Map<string, FindingState>;
  /** Full stored findings, when the scope was read back (then archiving needs no extra read). */
  full?: Map<string, AwsSecurityFinding>;
  ledger?: { key: string; version?: string; read?: Map<string, FindingState>; rebuiltAt: string; source: 'used' | 'rebuilt'; reason?: string };
}

type Failure = { status: 'deadline' } | { status: 'failed'; code: string; message: string };

/**
 * The scope's state before planning: from the ledger when it is there, fresh and this scope's (plus one cheap
 * read of the decisions), else from one GetFindings pass over the whole scope, as without a ledger.
 */
async function loadScopeState(
  options: ImportOptions,
  runtime: CallRuntime,
  getLimiter: RateLimiter,
  result: ImportResult,
  now: Date,
): Promise<ScopeState | Failure> {
  const { scope, logger } = { scope: options.scope, logger: runtime.logger };
  const ledger = options.ledger;
  let rebuildReason = 'no ledger';
  let key = '';
  let version: string | undefined;
  if (ledger) {
    key = ledgerKey(scope);
    try {
      const read = await ledger.store.read(key);
      countCall(result, 'LedgerRead');
      version = read.version;
      if (read.bytes === undefined) rebuildReason = 'no ledger yet';
      else {
        const decoded = decodeLedger(read.bytes, scope);
        if ('problem' in decoded) rebuildReason = `ledger unusable: ${decoded.problem}`;
        else {
          const age = now.getTime() - Date.parse(decoded.ledger.rebuiltAt);
          const maxAgeDays = ledger.maxAgeDays ?? LEDGER_DEFAULTS.maxAgeDays;
          if (age > maxAgeDays * DAY_MS) rebuildReason = `ledger rebuilt ${Math.floor(age / DAY_MS)} days ago (max ${maxAgeDays})`;
          else {
            const records = new Map(decoded.ledger.findings.map((f) => [f.id, f]));
            let states = records;
            if ((ledger.decisions ?? 'read-back') === 'read-back') {
              const decided = await readDecisions(runtime, getLimiter, scope);
              if (decided.status !== 'ok') return decided;
              states = withDecisions(records, decided.output);
            }
            return { records: states, ledger: { key, version, read: records, rebuiltAt: decoded.ledger.rebuiltAt, source: 'used' } };
          }
        }
      }
    } catch (error) {
      countCall(result, 'LedgerRead');
      rebuildReason = `ledger not readable: ${(error as Error).name}: ${(error as Error).message}`;
    }
    logger.info('Rebuilding the ledger from Security Hub', { scope: describeScope(scope), reason: rebuildReason });
  }
  const stored = await readStoredFindings(runtime, getLimiter, scope);
  if (stored.status !== 'ok') return stored;
  const records = new Map([...stored.output].map(([id, finding]) => [id, stateOf(finding)]));
  return {
    records,
    full: stored.output,
    ...(ledger ? { ledger: { key, version, rebuiltAt: now.toISOString(), source: 'rebuilt' as const, reason: rebuildReason } } : {}),
  };
}

/** What this scan said about each of its Ids, kept for a retry after a lost ledger write. */
interface ScanRecord {
  contentHash: string;
  recordState: 'ACTIVE' | 'ARCHIVED';
}

/** What callers report of an import (the CLI's result line, the parser Lambda's response): the counts, not the Ids. */
export function importCounts(result: ImportResult) {
  return {
    imported: result.imported,
    unchanged: result.unchanged,
    archived: result.archived,
    reactivated: result.reactivated,
    failed: result.failed,
    notSent: result.notSent.length,
    apiCalls: result.apiCalls,
    throttled: result.throttled,
    ...(result.archiveSkipped ? { archiveSkipped: result.archiveSkipped } : {}),
  };
}

/**
 * Gets one scan's findings into Security Hub correctly: reads what the scope holds (from the ledger, or back from
 * Security Hub), sends only what changed (with stable CreatedAt and strictly newer UpdatedAt), archives what
 * disappeared (complete scans only), keeps the ledger, and accounts for every finding: each input Id ends up in
 * exactly one of imported, unchanged, failed or notSent.
 */
export async function importFindings(options: ImportOptions): Promise<ImportResult> {
  const { client, scope } = options;
  const logger = options.logger ?? silent;
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const nowFn = options.now ?? (() => new Date());
  const now = nowFn();
  const refreshAfterDays = options.refreshAfterDays ?? DEFAULTS.refreshAfterDays;
  const limits = sharedLimits({ ...DEFAULT_RATE_LIMITS, ...options.rateLimits }, options.rateShare);
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
  const accounting = new Accounting(new Set());
  const getLimiter = createRateLimiter({ ratePerSecond: limits.getRps, burst: limits.getBurst }, clock, sleep);
  const importLimiter = createRateLimiter({ ratePerSecond: limits.importRps, burst: limits.importBurst }, clock, sleep);
  const senderOptions = {
    concurrency: Math.max(1, options.concurrency ?? DEFAULTS.concurrency),
    maxFindingRetries: options.maxFindingRetries ?? DEFAULTS.maxFindingRetries,
    ...(options.beforeSend ? { beforeSend: options.beforeSend } : {}),
  };
  const outcomes = { accepted: (p: PlannedImport) => accounting.acceptedFinding(p), failed: (f: FailedFinding) => accounting.failed(f), notSent: (id: string) => accounting.notSent(id) };

  // An array is deduplicated up front (the last occurrence wins); a stream keeps the first.
  const isArray = Array.isArray(options.findings);
  let input: Iterable<AwsSecurityFinding> | AsyncIterable<AwsSecurityFinding> = options.findings as Iterable<AwsSecurityFinding>;
  let retained: Map<string, AwsSecurityFinding> | undefined;
  const duplicateIds = new Set<string>();
  if (isArray) {
    const deduped = dedupeById(options.findings as readonly AwsSecurityFinding[]);
    input = deduped.unique;
    for (const id of deduped.duplicateIds) duplicateIds.add(id);
    retained = new Map(deduped.unique.map((f) => [f.Id ?? '', f]));
  }

  const state = await loadScopeState(options, runtime, getLimiter, result, now);

  const seen = new Set<string>();
  const scanRecords = new Map<string, ScanRecord>();
  const sender = 'records' in state ? createSender(runtime, importLimiter, senderOptions, outcomes) : undefined;
  const records = 'records' in state ? state.records : undefined;
  const iterate = async (each: (finding: AwsSecurityFinding) => Promise<void> | void) => {
    if (isAsyncIterable(input)) for await (const finding of input) await each(finding);
    else for (const finding of input) await each(finding);
  };
  let lastYield = clock();
  await iterate(async (finding) => {
    // Planning is CPU work: every 20 ms of it, let the sender's requests and responses through, so the first
    // batches go out while the rest is planned (an await alone yields only to microtasks). Measured on the
    // importer's clock, so a test's frozen or fake clock never sees a yield.
    if (clock() - lastYield >= 20) {
      await yieldToIo();
      lastYield = clock();
    }
    const id = finding.Id ?? '';
    if (seen.has(id)) {
      duplicateIds.add(id);
      return;
    }
    seen.add(id);
    if (!belongsToScope(finding, scope)) {
      accounting.failed({ id, code: 'ScopeMismatch', message: `ProductArn/ProductFields do not match scope ${describeScope(scope)}` });
      return;
    }
    if (!records || !sender) {
      // Without the stored state neither CreatedAt/UpdatedAt nor archiving can be done right: send nothing.
      const failure = state as Failure;
      if (failure.status === 'deadline') accounting.notSent(id);
      else accounting.failed({ id, code: failure.code, message: `Reading stored findings failed: ${failure.message}` });
      return;
    }
    scanRecords.set(id, { contentHash: contentHashOf(finding), recordState: finding.RecordState === 'ARCHIVED' ? 'ARCHIVED' : 'ACTIVE' });
    const decision = planFinding(finding, records.get(id), now, refreshAfterDays);
    if (decision.kind === 'skip') {
      accounting.unchanged(id);
      return;
    }
    const problems = validateFinding(decision.finding);
    if (problems.length > 0) {
      accounting.failed({ id, code: 'ClientValidation', message: problems.slice(0, 5).map((p) => `${p.path} ${p.message}`).join('; ') });
      return;
    }
    sender.push(decision);
    await sender.room();
  });
  if (duplicateIds.size > 0) {
    logger.warn(`${duplicateIds.size} finding Id(s) occur more than once in the input; the ${isArray ? 'last' : 'first'} occurrence of each is imported`, {
      ids: [...duplicateIds].slice(0, 20),
    });
  }

  if (!records || !sender) {
    logger.warn('Could not read the scope from Security Hub; nothing imported', { status: (state as Failure).status });
    accounting.fill(result);
    return result;
  }
  const scopeState = state as ScopeState;

  // Archive: the stored ACTIVE findings this scan no longer reports, complete scans only.
  const incomplete = (options.incomplete ?? []).filter((reason) => reason.trim() !== '');
  let toArchive: string[] = [];
  if (incomplete.length > 0) {
    result.archiveSkipped = `incomplete scan: ${incomplete.join('; ')}`;
    logger.warn('Incomplete scan: nothing is archived', { scope: describeScope(scope), reasons: incomplete });
  } else if (options.archiveMissing ?? true) {
    toArchive = archiveCandidates(records, seen);
  }
  for (const id of toArchive) accounting.markArchiveCandidate(id);
  if (toArchive.length > 0) await queueArchives(toArchive, scopeState, runtime, getLimiter, sender, accounting, scope, now);
  logger.info('Import plan', {
    scope: describeScope(scope),
    stored: records.size,
    source: scopeState.ledger?.source ?? 'read-back',
    unchanged: [...accounting.input.values()].filter((s) => s === 'unchanged').length,
    toArchive: toArchive.length,
  });
  await sender.finish();

  let states = statesAfterImport(records, accounting.accepted);
  if (options.ledger && scopeState.ledger) {
    states = await keepLedger(options, options.ledger, scopeState, states, { retained, scanRecords, runtime, importLimiter, senderOptions, outcomes, accounting, result, now: nowFn });
  }
  result.states = states;
  accounting.fill(result);

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

/** This invocation's part of the quotas: rates scaled by `share`, bursts too (at least one token). */
export function sharedLimits(limits: RateLimits, share: number | undefined): RateLimits {
  if (share === undefined || share === 1) return limits;
  if (!(share > 0 && share <= 1)) throw new Error(`rateShare must be in (0, 1], got ${share}`);
  return {
    importRps: limits.importRps * share,
    importBurst: Math.max(1, Math.floor(limits.importBurst * share)),
    getRps: limits.getRps * share,
    getBurst: Math.max(1, Math.floor(limits.getBurst * share)),
  };
}

/**
 * Queues the archived versions of these Ids. Security Hub needs the whole finding again (asff.md §8): it is at hand
 * when the scope was read back; with a ledger it is read by Id, ⌈k / 20⌉ GetFindings for k vanished findings.
 */
async function queueArchives(
  ids: readonly string[],
  state: ScopeState,
  runtime: CallRuntime,
  getLimiter: RateLimiter,
  sender: ReturnType<typeof createSender>,
  accounting: Accounting,
  scope: ScanScope,
  now: Date,
): Promise<void> {
  let full = state.full;
  if (!full) {
    const read = await readFindingsByIds(runtime, getLimiter, scope, ids);
    if (read.status !== 'ok') {
      for (const id of ids) {
        if (read.status === 'deadline') accounting.notSent(id);
        else accounting.failed({ id, code: read.code, message: `Reading the finding to archive failed: ${read.message}` });
      }
      return;
    }
    full = read.output;
  }
  for (const id of ids) {
    const stored = full.get(id);
    if (!stored) {
      // Deleted by retention, or not visible yet (GetFindings is eventually consistent): the ledger keeps it
      // ACTIVE and a later scan archives it.
      accounting.failed({ id, code: 'StoredFindingNotFound', message: 'Security Hub did not return the finding to archive; a later scan retries' });
      continue;
    }
    if (stored.RecordState === 'ARCHIVED') {
      // Already archived in Security Hub (the ledger was behind): nothing to send.
      accounting.acceptedFinding({ kind: 'archive', finding: stored });
      continue;
    }
    sender.push({ kind: 'archive', finding: archivedVersion(stored, now) });
    await sender.room();
  }
}

interface LedgerContext {
  retained: Map<string, AwsSecurityFinding> | undefined;
  scanRecords: Map<string, ScanRecord>;
  runtime: CallRuntime;
  importLimiter: RateLimiter;
  senderOptions: Parameters<typeof createSender>[2];
  outcomes: Parameters<typeof createSender>[3];
  accounting: Accounting;
  result: ImportResult;
  now: () => Date;
}

/**
 * Writes the new ledger version, conditionally. When another import of the same scan identity wrote first, the
 * winner's records are merged with what this run got accepted (the newer UpdatedAt is what Security Hub holds),
 * this scan is planned again against that and whatever Security Hub now holds differently is sent again; then the
 * write is retried against the new version. Retries never archive: the winner's findings are its scan's, and the
 * next complete scan settles them.
 */
async function keepLedger(
  options: ImportOptions,
  ledgerOptions: LedgerOptions,
  state: ScopeState,
  states: Map<string, FindingState>,
  context: LedgerContext,
): Promise<Map<string, FindingState>> {
  const { result, accounting, runtime } = context;
  const meta = state.ledger!;
  const report: LedgerReport = {
    location: ledgerOptions.store.location,
    key: meta.key,
    source: meta.source,
    ...(meta.reason ? { reason: meta.reason } : {}),
    written: false,
    conflicts: 0,
  };
  result.ledger = report;
  if (meta.source === 'used' && meta.read && sameRecords(states, meta.read)) return states;

  let version = meta.version;
  let rebuiltAt = meta.rebuiltAt;
  const maxAttempts = Math.max(1, ledgerOptions.maxWriteAttempts ?? LEDGER_DEFAULTS.maxWriteAttempts);
  for (let attempt = 1; ; attempt += 1) {
    let written;
    try {
      written = await ledgerOptions.store.write(meta.key, encodeLedger(newLedger(options.scope, states.values(), context.now(), rebuiltAt)), version);
      countCall(result, 'LedgerWrite');
    } catch (error) {
      countCall(result, 'LedgerWrite');
      report.error = `${(error as Error).name}: ${(error as Error).message}`;
      runtime.logger.warn('Could not write the ledger; the next import reads the scope again', { error: report.error });
      return states;
    }
    if (written.status === 'written') {
      report.written = true;
      return states;
    }
    report.conflicts += 1;
    if (attempt >= maxAttempts) {
      report.error = `lost ${report.conflicts} conditional writes to concurrent imports`;
      runtime.logger.warn('Gave up writing the ledger', { conflicts: report.conflicts });
      return states;
    }
    // Lost the race: start again from the winner's version.
    const reread = await ledgerOptions.store.read(meta.key);
    countCall(result, 'LedgerRead');
    version = reread.version;
    const decoded = reread.bytes ? decodeLedger(reread.bytes, options.scope) : undefined;
    const winner = decoded && 'ledger' in decoded ? new Map(decoded.ledger.findings.map((f) => [f.id, f])) : new Map<string, FindingState>();
    if (decoded && 'ledger' in decoded) rebuiltAt = decoded.ledger.rebuiltAt;
    const merged = mergeRecords(winner, accounting.accepted);
    runtime.logger.info('Ledger changed meanwhile; re-planning against the new version', { conflicts: report.conflicts });
    states = await replanAfterConflict(merged, context);
  }
}

/** Sends again what Security Hub now holds differently from this scan (see keepLedger); the new states. */
async function replanAfterConflict(merged: Map<string, FindingState>, context: LedgerContext): Promise<Map<string, FindingState>> {
  const { accounting, retained, scanRecords } = context;
  const now = context.now();
  const sender = createSender(context.runtime, context.importLimiter, context.senderOptions, context.outcomes);
  const acceptedBefore = new Map(accounting.accepted);
  for (const [id, mine] of scanRecords) {
    const status = accounting.input.get(id);
    if (status !== 'imported' && status !== 'unchanged') continue;
    const held = merged.get(id);
    if (held && held.contentHash === mine.contentHash && held.recordState === mine.recordState) continue;
    const finding = retained?.get(id);
    if (!finding) {
      accounting.failed({ id, code: 'ConcurrentScan', message: 'a concurrent import of this scan identity changed the finding; run the import again' });
      continue;
    }
    const decision = planFinding(finding, held, now, 0);
    if (decision.kind === 'skip') continue;
    sender.push(decision);
    await sender.room();
  }
  await sender.finish();
  const sentNow = new Map([...accounting.accepted].filter(([id, s]) => acceptedBefore.get(id) !== s));
  return statesAfterImport(merged, sentNow);
}
