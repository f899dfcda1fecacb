import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { normalizeCategory, type ScanScope } from '@devsecops/asff';
import type { FindingState } from './state';

/**
 * The ledger of one scan identity (tool + repository + branch + category, in one account and Region): for every
 * finding Id the importer has seen in that scope, the state Security Hub holds for it. It replaces reading the
 * whole scope back before every import. Security Hub stays the source of truth: a missing, unreadable, foreign
 * or old ledger is rebuilt from one GetFindings pass.
 */
export interface Ledger {
  version: typeof LEDGER_VERSION;
  scope: LedgerScope;
  /** When this version was written. */
  writtenAt: string;
  /** When it was last rebuilt from Security Hub; the ledger is trusted for `maxAgeDays` after that. */
  rebuiltAt: string;
  /** Exactly the FindingState records of the scope, sorted by Id. */
  findings: FindingState[];
}

export const LEDGER_VERSION = 1;

/** The scan identity a ledger belongs to. */
export interface LedgerScope {
  awsAccountId: string;
  region: string;
  partition: string;
  tool: string;
  repository: string;
  branch: string;
  category?: string;
}

export function ledgerScope(scope: ScanScope): LedgerScope {
  const category = normalizeCategory(scope.category);
  return {
    awsAccountId: scope.awsAccountId,
    region: scope.region,
    partition: scope.partition,
    tool: scope.tool,
    repository: scope.repository,
    branch: scope.branch,
    ...(category === undefined ? {} : { category }),
  };
}

function sameScope(a: LedgerScope, b: LedgerScope): boolean {
  return (
    a.awsAccountId === b.awsAccountId &&
    a.region === b.region &&
    a.partition === b.partition &&
    a.tool === b.tool &&
    a.repository === b.repository &&
    a.branch === b.branch &&
    (a.category ?? '') === (b.category ?? '')
  );
}

/**
 * Object key (or relative file path) of a scope's ledger: readable, one URL-encoded segment per identity part,
 * never under `reports/` (that prefix triggers the parsers' S3 event rule).
 */
export function ledgerKey(scope: ScanScope): string {
  const s = ledgerScope(scope);
  const seg = (value: string) => encodeURIComponent(value);
  const category = s.category === undefined ? 'no-category' : `category-${seg(s.category)}`;
  return ['ledger', `v${LEDGER_VERSION}`, seg(s.awsAccountId), seg(s.region), seg(s.tool), seg(s.repository), seg(s.branch), `${category}.json.gz`].join('/');
}

/** Gzipped JSON: ~270 bytes of JSON and ~47 bytes gzipped per finding (10,000 findings: 0.47 MB). */
export function encodeLedger(ledger: Ledger): Uint8Array {
  return gzipSync(Buffer.from(JSON.stringify(ledger), 'utf8'));
}

const RECORD_STATES = new Set(['ACTIVE', 'ARCHIVED']);
const WORKFLOW = new Set(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']);

function isFindingState(value: unknown): value is FindingState {
  const v = value as Partial<FindingState> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    v.id !== '' &&
    RECORD_STATES.has(v.recordState as string) &&
    WORKFLOW.has(v.workflowStatus as string) &&
    (v.updatedAt === undefined || typeof v.updatedAt === 'string') &&
    (v.createdAt === undefined || typeof v.createdAt === 'string') &&
    (v.contentHash === undefined || typeof v.contentHash === 'string')
  );
}

/** The ledger in these bytes, or why it cannot be used (then it is rebuilt; never a failed import). */
export function decodeLedger(bytes: Uint8Array, scope: ScanScope): { ledger: Ledger } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(gunzipSync(bytes).toString('utf8'));
  } catch (error) {
    return { problem: `not gzipped JSON (${(error as Error).message})` };
  }
  const l = parsed as Partial<Ledger> | null;
  if (typeof l !== 'object' || l === null) return { problem: 'not a JSON object' };
  if (l.version !== LEDGER_VERSION) return { problem: `version ${String(l.version)}, expected ${LEDGER_VERSION}` };
  if (typeof l.scope !== 'object' || l.scope === null || !sameScope(l.scope, ledgerScope(scope))) return { problem: 'written for another scope' };
  if (typeof l.rebuiltAt !== 'string' || Number.isNaN(Date.parse(l.rebuiltAt))) return { problem: 'rebuiltAt is missing' };
  if (!Array.isArray(l.findings) || !l.findings.every(isFindingState)) return { problem: 'a finding record is malformed' };
  return { ledger: l as Ledger };
}

export function newLedger(scope: ScanScope, findings: Iterable<FindingState>, now: Date, rebuiltAt: string): Ledger {
  const sorted = [...findings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { version: LEDGER_VERSION, scope: ledgerScope(scope), writtenAt: now.toISOString(), rebuiltAt, findings: sorted };
}

/** True when the two sets of records are the same (so an unchanged scan need not write the ledger). */
export function sameRecords(a: ReadonlyMap<string, FindingState>, b: ReadonlyMap<string, FindingState>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, state] of a) {
    const other = b.get(id);
    if (!other || JSON.stringify(state) !== JSON.stringify(other)) return false;
  }
  return true;
}

function epochMs(timestamp: string | undefined): number {
  const ms = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * After a lost write: the winner's records, overlaid with what this run got accepted where it is newer. Security
 * Hub keeps, for each Id, the version with the greatest UpdatedAt (an older one is ignored, asff.md §7), so the
 * record with the greater updatedAt is the one Security Hub holds; ties keep the winner's.
 */
export function mergeRecords(winner: ReadonlyMap<string, FindingState>, mine: ReadonlyMap<string, FindingState>): Map<string, FindingState> {
  const merged = new Map(winner);
  for (const [id, state] of mine) {
    const theirs = merged.get(id);
    if (!theirs || epochMs(state.updatedAt) > epochMs(theirs.updatedAt)) merged.set(id, state);
  }
  return merged;
}

/** What a read returned: the raw bytes (absent when there is no ledger yet) and the version to write against. */
export interface LedgerRead {
  bytes?: Uint8Array;
  /** Opaque version (S3 ETag, file hash) for the conditional write; undefined = no ledger exists. */
  version?: string;
}

export type LedgerWrite = { status: 'written'; version: string } | { status: 'conflict' };

/**
 * Where ledgers live. Writes are conditional: `expected` undefined means "only if none exists" (S3
 * If-None-Match: *), otherwise "only if it is still this version" (S3 If-Match: <ETag>). A lost race returns
 * `conflict`, never overwrites.
 */
export interface LedgerStore {
  /** For logs: s3://bucket/prefix or a directory. */
  readonly location: string;
  read(key: string): Promise<LedgerRead>;
  write(key: string, bytes: Uint8Array, expected: string | undefined): Promise<LedgerWrite>;
}

/** A store in memory, for tests and for callers that keep state themselves. */
export function memoryLedgerStore(): LedgerStore & { objects: Map<string, { bytes: Uint8Array; version: string }> } {
  const objects = new Map<string, { bytes: Uint8Array; version: string }>();
  return {
    location: 'memory',
    objects,
    async read(key) {
      const held = objects.get(key);
      return held ? { bytes: held.bytes, version: held.version } : {};
    },
    async write(key, bytes, expected) {
      const held = objects.get(key);
      if ((expected === undefined && held) || (expected !== undefined && held?.version !== expected)) return { status: 'conflict' };
      const version = createHash('sha256').update(bytes).digest('hex');
      objects.set(key, { bytes, version });
      return { status: 'written', version };
    },
  };
}
