import {
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  type BatchUpdateFindingsCommandOutput,
  type GetFindingsCommandOutput,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { FIELD, findingFingerprint, type AwsSecurityFinding, type ScanScope } from '@devsecops/asff';
import { sendWithRetry, type CallRuntime, type Logger } from './call';
import { errorCode, errorMessage, type BackoffConfig } from './errors';
import type { FailedFinding, ImportResult } from './importer';
import { createRateLimiter } from './rate-limit';
import type { FindingState } from './state';
import { belongsToScope, GET_FINDINGS_PAGE_SIZE, scopeFilters } from './stored';

/** One Workflow change with its Note, as the gate decided it (a structural twin of @devsecops/gate's DecisionUpdate). */
export interface WorkflowChange {
  id: string;
  productArn: string;
  status: 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED';
  /** 1–512 characters (asff.md §5). */
  note: string;
}

/** ≤ 100 finding identifiers per BatchUpdateFindings call (asff.md §9). */
export const UPDATE_BATCH_SIZE = 100;
/** BatchUpdateFindings: 10 rps burst 30 per account and Region; a little below, the quota is shared. */
export const DEFAULT_UPDATE_RATE = { ratePerSecond: 9, burst: 25 };
const TRANSIENT_UPDATE_CODES = new Set(['ConcurrentUpdateError', 'InternalFailure']);

export interface ApplyDecisionsOptions {
  client: SecurityHubClient;
  changes: readonly WorkflowChange[];
  /** Note.UpdatedBy: who Security Hub shows as the author. */
  updatedBy: string;
  rate?: { ratePerSecond: number; burst: number };
  /** Extra calls for findings that came back as ConcurrentUpdateError/InternalFailure. Default 2. */
  maxFindingRetries?: number;
  maxRequestAttempts?: number;
  deadline?: number;
  logger?: Logger;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  backoff?: Partial<BackoffConfig>;
}

export interface ApplyDecisionsResult {
  updated: string[];
  failed: FailedFinding[];
  apiCalls: number;
  callsByOperation: Record<string, number>;
}

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };
const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type RuntimeOptions = Pick<ApplyDecisionsOptions, 'client' | 'deadline' | 'logger' | 'clock' | 'sleep' | 'random' | 'backoff' | 'maxRequestAttempts'>;

function runtimeOf(options: RuntimeOptions): CallRuntime {
  return {
    client: options.client,
    clock: options.clock ?? Date.now,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    stopAt: options.deadline ?? Number.POSITIVE_INFINITY,
    backoff: { baseMs: 250, maxMs: 20_000, ...options.backoff },
    maxAttempts: Math.max(1, options.maxRequestAttempts ?? 6),
    logger: options.logger ?? silent,
    counters: { apiCalls: 0, callsByOperation: {}, throttled: 0 },
  };
}

/**
 * Writes the gate's decisions to Security Hub with BatchUpdateFindings (Workflow and Note are customer-owned: an
 * import cannot set them, asff.md §6). Findings sharing a status and Note go together, ≤ 100 per call, through the
 * rate limiter; ConcurrentUpdateError and InternalFailure are retried in a later call.
 */
export async function applyDecisionUpdates(options: ApplyDecisionsOptions): Promise<ApplyDecisionsResult> {
  const runtime = runtimeOf(options);
  const limiter = createRateLimiter(options.rate ?? DEFAULT_UPDATE_RATE, runtime.clock, runtime.sleep);
  const result: ApplyDecisionsResult = { updated: [], failed: [], apiCalls: 0, callsByOperation: {} };
  const groups = new Map<string, WorkflowChange[]>();
  for (const change of options.changes) {
    const key = `${change.status}\u0000${change.note}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(change);
  }
  const maxRetries = options.maxFindingRetries ?? 2;
  for (const group of groups.values()) {
    const { status, note } = group[0]!;
    let pending = group;
    for (let round = 0; pending.length > 0; round += 1) {
      const retry: WorkflowChange[] = [];
      for (let i = 0; i < pending.length; i += UPDATE_BATCH_SIZE) {
        const batch = pending.slice(i, i + UPDATE_BATCH_SIZE);
        const outcome = await sendWithRetry<BatchUpdateFindingsCommandOutput>(runtime, 'BatchUpdateFindings', limiter, () =>
          runtime.client.send(
            new BatchUpdateFindingsCommand({
              FindingIdentifiers: batch.map((c) => ({ Id: c.id, ProductArn: c.productArn })),
              Workflow: { Status: status },
              Note: { Text: note.slice(0, 512), UpdatedBy: options.updatedBy },
            }),
          ),
        );
        if (outcome.status !== 'ok') {
          const code = outcome.status === 'deadline' ? 'Deadline' : outcome.code;
          const message = outcome.status === 'deadline' ? 'not sent before the deadline' : outcome.message;
          for (const c of batch) result.failed.push({ id: c.id, code, message });
          continue;
        }
        for (const p of outcome.output.ProcessedFindings ?? []) if (p.Id) result.updated.push(p.Id);
        for (const u of outcome.output.UnprocessedFindings ?? []) {
          const id = u.FindingIdentifier?.Id ?? '';
          const change = batch.find((c) => c.id === id);
          if (change && TRANSIENT_UPDATE_CODES.has(u.ErrorCode ?? '') && round < maxRetries) retry.push(change);
          else result.failed.push({ id, code: u.ErrorCode ?? 'Unknown', message: u.ErrorMessage ?? '' });
        }
      }
      pending = retry;
    }
  }
  result.apiCalls = runtime.counters.apiCalls;
  result.callsByOperation = runtime.counters.callsByOperation;
  if (result.failed.length > 0) runtime.logger.warn('Some decisions could not be written to Security Hub', { failed: result.failed.length });
  return result;
}

/** The decisions the gate reads after an import: Security Hub's state of the scope, and what changed in this run. */
export interface ImportDecisions {
  decisions: ReadonlyMap<string, FindingState>;
  /** Ids whose content was re-sent (changed, or refreshed after 30 days, which counts as changed: fail closed). */
  changedIds: Set<string>;
  /** Set when the state of some findings is unknown (the scope could not be read, or their import failed). */
  unavailable?: string;
}

/**
 * Decisions from what the importer already read back (never another GetFindings pass). A ledger that fills
 * ImportResult.states serves the gate the same way.
 */
export function decisionsFromImport(result: Pick<ImportResult, 'states' | 'ids' | 'failed'>, findings: readonly AwsSecurityFinding[]): ImportDecisions {
  const reactivated = new Set(result.ids.reactivated);
  const changedIds = new Set(result.ids.imported.filter((id) => !reactivated.has(id)));
  const missing = findings.filter((f) => f.RecordState !== 'ARCHIVED' && !result.states.has(f.Id ?? '')).length;
  if (missing === 0) return { decisions: result.states, changedIds };
  const readFailure = result.failed.find((f) => f.message.startsWith('Reading stored findings failed'));
  const why = readFailure ? `${readFailure.code}: ${readFailure.message}` : `${missing} finding(s) have no state in Security Hub (their import failed)`;
  return { decisions: result.states, changedIds, unavailable: why };
}

/**
 * For `new` mode on the base branch itself: fingerprints of this scan's findings that were already open before
 * this import (stored CreatedAt before the import's time, and not just re-activated).
 */
export function openBeforeImport(result: Pick<ImportResult, 'states' | 'ids'>, findings: readonly AwsSecurityFinding[], importedAt: Date): Set<string> {
  const reactivated = new Set(result.ids.reactivated);
  const before = importedAt.toISOString();
  const open = new Set<string>();
  for (const finding of findings) {
    const state = result.states.get(finding.Id ?? '');
    if (!state || reactivated.has(state.id) || !state.createdAt || state.createdAt >= before) continue;
    open.add(fingerprintOf(finding));
  }
  return open;
}

export function fingerprintOf(finding: AwsSecurityFinding): string {
  const fields = finding.ProductFields ?? {};
  return fields[FIELD.fingerprint] ?? findingFingerprint(fields[FIELD.tool] ?? '', fields[FIELD.rule] ?? '', fields[FIELD.location] ?? '');
}

export type OpenFingerprints = { status: 'ok'; fingerprints: Set<string>; pages: number } | { status: 'failed'; reason: string };

/**
 * Fingerprints of the ACTIVE findings of one scope (the base branch of `new` mode): one GetFindings pass over that
 * scope, through the GetFindings rate limiter. Findings stored before the fingerprint existed get it computed from
 * their tool, rule and location. A ledger can later answer the same question without GetFindings.
 */
export async function readOpenFingerprints(
  client: SecurityHubClient,
  scope: ScanScope,
  options: Omit<RuntimeOptions, 'client'> & { rate?: { ratePerSecond: number; burst: number } } = {},
): Promise<OpenFingerprints> {
  const runtime = runtimeOf({ client, ...options });
  const limiter = createRateLimiter(options.rate ?? { ratePerSecond: 2.5, burst: 5 }, runtime.clock, runtime.sleep);
  const filters = { ...scopeFilters(scope), RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' as const }] };
  const fingerprints = new Set<string>();
  let token: string | undefined;
  let pages = 0;
  try {
    do {
      const next = token;
      const page = await sendWithRetry<GetFindingsCommandOutput>(runtime, 'GetFindings', limiter, () =>
        runtime.client.send(new GetFindingsCommand({ Filters: filters, MaxResults: GET_FINDINGS_PAGE_SIZE, ...(next ? { NextToken: next } : {}) })),
      );
      if (page.status === 'deadline') return { status: 'failed', reason: 'the deadline came before the base branch was read' };
      if (page.status === 'failed') return { status: 'failed', reason: `${page.code}: ${page.message}` };
      pages += 1;
      for (const finding of page.output.Findings ?? []) {
        if (finding.RecordState === 'ARCHIVED' || !belongsToScope(finding, scope)) continue;
        fingerprints.add(fingerprintOf(finding));
      }
      token = page.output.NextToken || undefined;
    } while (token);
  } catch (error) {
    return { status: 'failed', reason: `${errorCode(error)}: ${errorMessage(error)}` };
  }
  return { status: 'ok', fingerprints, pages };
}
