import { FIELD, findingContentHash, type AwsSecurityFinding } from '@devsecops/asff';
import { stateOf, type FindingState } from './state';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Why a finding is sent. `archive` = stored ACTIVE, missing from this scan. */
export type ImportKind = 'new' | 'changed' | 'reactivated' | 'refreshed' | 'archive';

export interface PlannedImport {
  kind: ImportKind;
  finding: AwsSecurityFinding;
}

export interface ImportPlan {
  /** Findings of this scan to send, in input order. */
  imports: PlannedImport[];
  /** Ids of this scan that Security Hub already holds, same content and fresh. */
  unchanged: string[];
  /** Stored ACTIVE findings missing from this scan, as ARCHIVED versions to send. */
  archives: PlannedImport[];
}

export interface PlanInput {
  /** This scan's findings, one per Id. */
  current: readonly AwsSecurityFinding[];
  /** Every Id the scan reported, including ones refused before planning: none of them may be archived. */
  scanIds: ReadonlySet<string>;
  /** What Security Hub holds for the scope, by Id. */
  stored: ReadonlyMap<string, AwsSecurityFinding>;
  now: Date;
  refreshAfterDays: number;
  archiveMissing: boolean;
}

function recordState(finding: AwsSecurityFinding): 'ACTIVE' | 'ARCHIVED' {
  return finding.RecordState === 'ARCHIVED' ? 'ARCHIVED' : 'ACTIVE';
}

function epochMs(timestamp: string | undefined): number {
  const ms = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * UpdatedAt for the next import of a finding: now, but strictly after what Security Hub holds, because an equal
 * or older UpdatedAt is silently ignored (asff.md §7). Stored values with sub-millisecond digits are floored
 * before adding 1 ms, which still lands strictly after them.
 */
export function nextUpdatedAt(now: Date, stored?: Pick<AwsSecurityFinding, 'UpdatedAt'>): string {
  const after = stored ? epochMs(stored.UpdatedAt) + 1 : Number.NEGATIVE_INFINITY;
  return new Date(Math.max(now.getTime(), after)).toISOString();
}

/** ContentHash as built by @devsecops/asff; computed here for findings that were built without one. */
export function contentHashOf(finding: AwsSecurityFinding): string {
  return finding.ProductFields?.[FIELD.contentHash] ?? findingContentHash(finding);
}

/** Keeps the last finding of each Id (a later entry is the newer statement about the same problem). */
export function dedupeById(findings: readonly AwsSecurityFinding[]): { unique: AwsSecurityFinding[]; duplicateIds: string[] } {
  const lastIndex = new Map<string, number>();
  findings.forEach((finding, index) => lastIndex.set(finding.Id ?? '', index));
  const duplicateIds = new Set<string>();
  const unique = findings.filter((finding, index) => {
    const keep = lastIndex.get(finding.Id ?? '') === index;
    if (!keep) duplicateIds.add(finding.Id ?? '');
    return keep;
  });
  return { unique, duplicateIds: [...duplicateIds] };
}

/** This scan's finding as it must be sent: stable CreatedAt, strictly newer UpdatedAt, a ContentHash. */
export function prepareForImport(current: AwsSecurityFinding, stored: Pick<AwsSecurityFinding, 'CreatedAt' | 'UpdatedAt' | 'FirstObservedAt'> | undefined, now: Date): AwsSecurityFinding {
  const updatedAt = nextUpdatedAt(now, stored);
  // Security Hub wants CreatedAt = UpdatedAt on creation and a stable CreatedAt afterwards (asff.md §3).
  const createdAt = stored?.CreatedAt ?? updatedAt;
  const hash = current.ProductFields?.[FIELD.contentHash];
  // The first time any scan saw the problem (a finding stored before FirstObservedAt existed: its CreatedAt).
  const firstObservedAt = stored?.FirstObservedAt ?? (stored ? stored.CreatedAt : undefined) ?? current.FirstObservedAt;
  return {
    ...current,
    CreatedAt: createdAt,
    UpdatedAt: updatedAt,
    ...(firstObservedAt ? { FirstObservedAt: firstObservedAt } : {}),
    ...(current.LastObservedAt || current.FirstObservedAt ? { LastObservedAt: updatedAt } : {}),
    ...(hash === undefined ? { ProductFields: { ...current.ProductFields, [FIELD.contentHash]: contentHashOf(current) } } : {}),
  };
}

/** Top-level fields Security Hub fills in itself; sending them back is at best ignored. */
const SERVICE_MANAGED = ['ProcessedAt', 'Region', 'AwsAccountName'] as const;
/** Customer-owned fields (asff.md §6): a provider must not write them on updates. */
const CUSTOMER_OWNED = ['Workflow', 'WorkflowState', 'Note', 'VerificationState', 'UserDefinedFields'] as const;
const SERVICE_PRODUCT_FIELD_PREFIX = 'aws/securityhub/';

/** A finding read back from GetFindings, reduced to what its provider may send in BatchImportFindings. */
export function withoutManagedFields(stored: AwsSecurityFinding): AwsSecurityFinding {
  const copy: AwsSecurityFinding & Record<string, unknown> = { ...stored };
  for (const key of [...SERVICE_MANAGED, ...CUSTOMER_OWNED]) delete copy[key];
  if (stored.ProductFields) {
    copy.ProductFields = Object.fromEntries(Object.entries(stored.ProductFields).filter(([key]) => !key.startsWith(SERVICE_PRODUCT_FIELD_PREFIX)));
  }
  if (stored.Severity) {
    // Normalized and Product are deprecated and derived from Label by Security Hub (asff.md §4).
    const { Normalized: _n, Product: _p, ...severity } = stored.Severity;
    copy.Severity = severity;
  }
  return copy;
}

/**
 * The full stored finding, closed: RecordState ARCHIVED, a newer UpdatedAt, State FIXED. Check-style findings
 * also become PASSED / INFORMATIONAL (asff.md §8), so dashboards counting FAILED controls drop them.
 */
export function archivedVersion(stored: AwsSecurityFinding, now: Date): AwsSecurityFinding {
  const base = withoutManagedFields(stored);
  const productFields: Record<string, string> = { ...base.ProductFields, [FIELD.state]: 'FIXED' };
  delete productFields[FIELD.stateReason];
  const archived: AwsSecurityFinding = { ...base, ProductFields: productFields, RecordState: 'ARCHIVED', UpdatedAt: nextUpdatedAt(now, stored) };
  if (base.Compliance) {
    archived.Compliance = { ...base.Compliance, Status: 'PASSED' };
    archived.FindingProviderFields = {
      ...base.FindingProviderFields,
      Severity: { ...base.FindingProviderFields?.Severity, Label: 'INFORMATIONAL' },
    };
  }
  return archived;
}

/** What the plan needs of a stored finding: its provider-owned record. A ledger entry or a read-back finding. */
export type StoredRecord = Pick<FindingState, 'contentHash' | 'recordState' | 'createdAt' | 'updatedAt' | 'firstObservedAt'>;

export type FindingDecision = { kind: 'skip' } | { kind: Exclude<ImportKind, 'archive'>; finding: AwsSecurityFinding };

/**
 * One finding of this scan against the stored record with its Id:
 * - not stored → new; stored ARCHIVED and now ACTIVE → reactivated;
 * - same ContentHash and RecordState and updated less than `refreshAfterDays` ago → skip (not sent: each import
 *   emits an EventBridge event and is billed, asff.md §1);
 * - same content but older → refreshed, so the 90-day retention never deletes a still-open finding (§8);
 * - otherwise changed.
 */
export function planFinding(finding: AwsSecurityFinding, held: StoredRecord | undefined, now: Date, refreshAfterDays: number): FindingDecision {
  let kind: Exclude<ImportKind, 'archive'>;
  if (!held) {
    kind = 'new';
  } else if (held.recordState === 'ARCHIVED' && recordState(finding) === 'ACTIVE') {
    kind = 'reactivated';
  } else if (held.recordState === recordState(finding) && held.contentHash === contentHashOf(finding)) {
    if (epochMs(held.updatedAt) > now.getTime() - refreshAfterDays * DAY_MS) return { kind: 'skip' };
    kind = 'refreshed';
  } else {
    kind = 'changed';
  }
  return { kind, finding: prepareForImport(finding, held ? { CreatedAt: held.createdAt, UpdatedAt: held.updatedAt, ...(held.firstObservedAt ? { FirstObservedAt: held.firstObservedAt } : {}) } : undefined, now) };
}

/** Ids of stored ACTIVE records this scan did not report: the findings to archive. */
export function archiveCandidates(stored: ReadonlyMap<string, Pick<FindingState, 'recordState'>>, scanIds: ReadonlySet<string>): string[] {
  const ids: string[] = [];
  for (const [id, held] of stored) if (held.recordState === 'ACTIVE' && !scanIds.has(id)) ids.push(id);
  return ids;
}

/**
 * Compares this scan with what Security Hub holds for the scope:
 * - not stored → new; stored ARCHIVED and now ACTIVE → reactivated;
 * - same ContentHash and RecordState and updated less than `refreshAfterDays` ago → unchanged (not sent: each
 *   import emits an EventBridge event and is billed, asff.md §1);
 * - same content but older → refreshed, so the 90-day retention never deletes a still-open finding (§8);
 * - otherwise changed.
 * Stored ACTIVE findings whose Id the scan did not report are archived (when `archiveMissing`).
 */
export function planImport(input: PlanInput): ImportPlan {
  const { current, scanIds, stored, now, refreshAfterDays, archiveMissing } = input;
  const imports: PlannedImport[] = [];
  const unchanged: string[] = [];
  for (const finding of current) {
    const held = stored.get(finding.Id ?? '');
    const decision = planFinding(finding, held ? stateOf(held) : undefined, now, refreshAfterDays);
    if (decision.kind === 'skip') unchanged.push(finding.Id ?? '');
    else imports.push(decision);
  }
  const archives: PlannedImport[] = [];
  if (archiveMissing) {
    const records = new Map([...stored].map(([id, held]) => [id, { recordState: recordState(held) }] as const));
    for (const id of archiveCandidates(records, scanIds)) archives.push({ kind: 'archive', finding: archivedVersion(stored.get(id)!, now) });
  }
  return { imports, unchanged, archives };
}
