import type { AwsSecurityFinding, BatchUpdateFindingsUnprocessedFinding, ImportFindingsError } from '@aws-sdk/client-securityhub';
import { partitionForRegion } from '@devsecops/asff';
import { applyCustomerUpdate, fitsSizeLimit, parseBatchUpdate } from './batch-update';
import { Cursors } from './cursors';
import { ServiceError, invalidInput } from './errors';
import { FaultInjector, OPERATIONS, type FaultOptions, type Operation } from './faults';
import { compileFilters, compileSort } from './filters';
import { checkFinding, importFinding, type ImportContext } from './import';
import { FindingStore, findingKey, type StoredFinding } from './store';
import { Throttle, resolveQuotas, type BucketName, type Clock, type ThrottlingQuotas } from './throttle';

export const MAX_FINDINGS_PER_IMPORT = 100;
export const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
export const MAX_PAGE_SIZE = 100;

const BUCKET: Readonly<Record<Operation, BucketName>> = {
  BatchImportFindings: 'import',
  BatchUpdateFindings: 'import',
  GetFindings: 'get',
  DescribeHub: 'other',
};

export interface ServiceOptions {
  region: string;
  accountId?: string;
  throttling?: boolean | Partial<ThrottlingQuotas>;
  faults?: FaultOptions;
  /** Wall clock for ProcessedAt, Note.UpdatedAt and DateRange filters. */
  now?: () => Date;
  /** Monotonic clock (ms) for the token buckets. */
  clock?: Clock;
}

export interface SecurityHubLocalStats {
  /** Requests received per operation, including throttled and failed ones. */
  requests: Record<Operation, number>;
  /** Requests to paths that are no Security Hub operation this server implements. */
  unknownRequests: number;
  /** Every 429 sent: quota exhausted plus injected. */
  throttled: number;
  injected: { throttles: number; serverErrors: number; findingFailures: number };
  imports: { created: number; updated: number; ignored: number; failed: number };
  updates: { processed: number; unprocessed: number };
  /** Findings in the store now. */
  findings: number;
}

/** The body of a request as the HTTP layer received it. */
export interface RequestBody {
  bytes: Buffer;
  /** Total size; larger than `bytes.length` when the body was over the limit and the rest was discarded. */
  size: number;
}

export interface ImportSummary {
  SuccessCount: number;
  FailedCount: number;
  FailedFindings: ImportFindingsError[];
}

function emptyStats(): SecurityHubLocalStats {
  return {
    requests: Object.fromEntries(OPERATIONS.map((op) => [op, 0])) as Record<Operation, number>,
    unknownRequests: 0,
    throttled: 0,
    injected: { throttles: 0, serverErrors: 0, findingFailures: 0 },
    imports: { created: 0, updated: 0, ignored: 0, failed: 0 },
    updates: { processed: 0, unprocessed: 0 },
    findings: 0,
  };
}

function parseBody(body: RequestBody): Record<string, unknown> {
  if (body.size > MAX_REQUEST_BYTES) throw invalidInput(`The request is ${body.size} bytes, limit ${MAX_REQUEST_BYTES} (6 MB)`);
  if (body.bytes.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.bytes.toString('utf8'));
  } catch {
    throw invalidInput('The request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidInput('The request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * Security Hub's behaviour without the HTTP: quotas, injected faults, the operations and the store.
 * `dispatch` either returns the response body or throws a ServiceError.
 */
export class SecurityHubService {
  readonly store = new FindingStore();
  private readonly cursors = new Cursors();
  private readonly throttle: Throttle;
  private readonly faults: FaultInjector;
  private counters = emptyStats();
  private readonly startedAt: string;
  /** Called after every change of the store (for persistence). */
  onChange: () => void = () => undefined;

  constructor(private readonly options: ServiceOptions) {
    this.throttle = new Throttle(resolveQuotas(options.throttling), options.clock);
    this.faults = new FaultInjector(options.faults);
    this.startedAt = this.nowIso();
  }

  private nowIso(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  private importContext(region: string): ImportContext {
    return { now: this.nowIso(), region, ...(this.options.accountId !== undefined ? { callerAccountId: this.options.accountId } : {}) };
  }

  countUnknown(): void {
    this.counters.unknownRequests += 1;
  }

  /** Runs one operation: quota, injected faults, then the operation itself. */
  dispatch(operation: Operation, body: RequestBody, region: string): unknown {
    this.counters.requests[operation] += 1;
    if (!this.throttle.admit(BUCKET[operation])) {
      this.counters.throttled += 1;
      throw new ServiceError('LimitExceededException', `Rate exceeded for ${operation}`);
    }
    if (this.faults.throttle(operation)) {
      this.counters.throttled += 1;
      this.counters.injected.throttles += 1;
      throw new ServiceError('LimitExceededException', `Rate exceeded for ${operation} (injected)`);
    }
    if (this.faults.serverError(operation)) {
      this.counters.injected.serverErrors += 1;
      throw new ServiceError('InternalException', `Internal error in ${operation} (injected)`);
    }
    const input = parseBody(body);
    switch (operation) {
      case 'BatchImportFindings':
        return this.batchImportFindings(input, region);
      case 'GetFindings':
        return this.getFindings(input);
      case 'BatchUpdateFindings':
        return this.batchUpdateFindings(input);
      case 'DescribeHub':
        return this.describeHub(region);
    }
  }

  private batchImportFindings(input: Record<string, unknown>, region: string): ImportSummary {
    const findings = input.Findings;
    if (!Array.isArray(findings) || findings.length === 0) throw invalidInput(`Findings must list 1 to ${MAX_FINDINGS_PER_IMPORT} findings`);
    if (findings.length > MAX_FINDINGS_PER_IMPORT) {
      throw invalidInput(`Findings has ${findings.length} findings, limit ${MAX_FINDINGS_PER_IMPORT} per BatchImportFindings call`);
    }
    return this.importAll(findings, this.importContext(region), true);
  }

  /** The per-finding part of BatchImportFindings; also used to seed the store in-process. */
  importAll(findings: readonly unknown[], ctx: ImportContext, withFaults: boolean): ImportSummary {
    const failed: ImportFindingsError[] = [];
    let changed = false;
    for (const raw of findings) {
      const id = typeof (raw as AwsSecurityFinding | null)?.Id === 'string' ? (raw as AwsSecurityFinding).Id! : '';
      if (withFaults && this.faults.findingFailure('BatchImportFindings')) {
        this.counters.injected.findingFailures += 1;
        failed.push({ Id: id, ErrorCode: 'InternalException', ErrorMessage: 'Internal error while importing the finding (injected); retry' });
        continue;
      }
      const checked = checkFinding(raw, ctx);
      if (!checked.ok) {
        failed.push({ Id: id, ErrorCode: checked.errorCode, ErrorMessage: checked.message });
        continue;
      }
      const key = findingKey(checked.finding.ProductArn!, checked.finding.Id!);
      const result = importFinding(this.store.get(key), checked.finding, ctx);
      if (result.status === 'ignored') {
        this.counters.imports.ignored += 1;
        continue;
      }
      this.store.put(key, result.stored);
      this.counters.imports[result.status] += 1;
      changed = true;
    }
    this.counters.imports.failed += failed.length;
    if (changed) this.onChange();
    return { SuccessCount: findings.length - failed.length, FailedCount: failed.length, FailedFindings: failed };
  }

  private getFindings(input: Record<string, unknown>): { Findings: AwsSecurityFinding[]; NextToken?: string } {
    const { MaxResults, NextToken } = input;
    if (MaxResults !== undefined && (typeof MaxResults !== 'number' || !Number.isInteger(MaxResults) || MaxResults < 1 || MaxResults > MAX_PAGE_SIZE)) {
      throw invalidInput(`MaxResults must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    if (NextToken !== undefined && typeof NextToken !== 'string') throw invalidInput('NextToken must be a string');
    const pageSize = (MaxResults as number | undefined) ?? MAX_PAGE_SIZE;
    let keys: readonly string[];
    let offset = 0;
    let token: string | undefined;
    if (NextToken) {
      const cursor = this.cursors.resolve(NextToken);
      if (!cursor) throw invalidInput('The NextToken is invalid or has expired');
      ({ keys, offset, token } = cursor);
    } else {
      keys = this.store.query(compileFilters(input.Filters, (this.options.now?.() ?? new Date()).getTime()), compileSort(input.SortCriteria));
    }
    const end = offset + pageSize;
    const page = keys.slice(offset, end).flatMap((key) => {
      const stored = this.store.get(key);
      return stored ? [stored.finding] : [];
    });
    return { Findings: page, ...(end < keys.length ? { NextToken: this.cursors.issue(keys, end, token) } : {}) };
  }

  private batchUpdateFindings(input: Record<string, unknown>): {
    ProcessedFindings: { Id: string; ProductArn: string }[];
    UnprocessedFindings: BatchUpdateFindingsUnprocessedFinding[];
  } {
    const now = this.nowIso();
    const { identifiers, update } = parseBatchUpdate(input, now);
    const processed: { Id: string; ProductArn: string }[] = [];
    const unprocessed: BatchUpdateFindingsUnprocessedFinding[] = [];
    const seen = new Set<string>();
    const reject = (identifier: { Id: string; ProductArn: string }, ErrorCode: string, ErrorMessage: string) =>
      unprocessed.push({ FindingIdentifier: identifier, ErrorCode, ErrorMessage });
    for (const { Id, ProductArn } of identifiers) {
      const identifier = { Id: Id!, ProductArn: ProductArn! };
      const key = findingKey(identifier.ProductArn, identifier.Id);
      if (seen.has(key)) {
        reject(identifier, 'DuplicatedFindingIdentifier', 'The finding is listed more than once in this request');
        continue;
      }
      seen.add(key);
      if (this.faults.findingFailure('BatchUpdateFindings')) {
        this.counters.injected.findingFailures += 1;
        reject(identifier, 'InternalFailure', 'Internal error while updating the finding (injected); retry');
        continue;
      }
      const stored = this.store.get(key);
      if (!stored) {
        reject(identifier, 'FindingNotFound', 'No finding with this Id exists for this ProductArn');
        continue;
      }
      const next = applyCustomerUpdate(stored, update, now);
      if (!fitsSizeLimit(next.finding)) {
        reject(identifier, 'FindingSizeExceeded', 'The updated finding would exceed 240 KB');
        continue;
      }
      this.store.put(key, next);
      processed.push(identifier);
    }
    this.counters.updates.processed += processed.length;
    this.counters.updates.unprocessed += unprocessed.length;
    if (processed.length > 0) this.onChange();
    return { ProcessedFindings: processed, UnprocessedFindings: unprocessed };
  }

  private describeHub(region: string): Record<string, unknown> {
    const account = this.options.accountId ?? '123456789012';
    return {
      HubArn: `arn:${partitionForRegion(region)}:securityhub:${region}:${account}:hub/default`,
      SubscribedAt: this.startedAt,
      AutoEnableControls: true,
      ControlFindingGenerator: 'SECURITY_CONTROL',
    };
  }

  /** Loads saved findings (e.g. from persistPath) without counting them as imports. */
  restore(findings: readonly StoredFinding[]): void {
    for (const stored of findings) this.store.put(findingKey(stored.finding.ProductArn!, stored.finding.Id!), stored);
  }

  stats(): SecurityHubLocalStats {
    return structuredClone({ ...this.counters, findings: this.store.size });
  }

  /** Empties the store, the counters and the page snapshots and refills the quota buckets; faults stay as set. */
  reset(): void {
    this.store.clear();
    this.cursors.clear();
    this.counters = emptyStats();
    this.throttle.refill();
    this.onChange();
  }

  setFaults(faults: FaultOptions | undefined): void {
    this.faults.configure(faults);
  }

  setThrottling(throttling: boolean | Partial<ThrottlingQuotas>): void {
    this.throttle.configure(resolveQuotas(throttling));
  }

  get region(): string {
    return this.options.region;
  }

  contextFor(region: string): ImportContext {
    return this.importContext(region);
  }
}
