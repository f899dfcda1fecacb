import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { FIELD } from '@devsecops/asff';

/**
 * What is known of one finding of a scope after an import: the provider-owned record (content hash, record state,
 * times) and the customer-owned decision (Workflow.Status and Note, set in Security Hub with BatchUpdateFindings).
 * The gate reads decisions from here, never from an extra GetFindings pass; a ledger stores exactly this.
 */
export interface FindingState {
  id: string;
  /** ProductFields devsecops/ContentHash of the version Security Hub holds. */
  contentHash?: string;
  recordState: 'ACTIVE' | 'ARCHIVED';
  /** Customer-owned; Security Hub sets RESOLVED back to NEW when the finding comes back or changes (asff.md §5). */
  workflowStatus: 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED';
  note?: { text: string; updatedBy: string; updatedAt: string };
  /** Severity label of the stored version. */
  severity?: string;
  createdAt?: string;
  updatedAt?: string;
  firstObservedAt?: string;
  lastObservedAt?: string;
}

const WORKFLOW = new Set(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']);

/** The state of a finding as Security Hub returned it (GetFindings) or as it was just imported. */
export function stateOf(finding: AwsSecurityFinding): FindingState {
  const status = finding.Workflow?.Status ?? '';
  const note = finding.Note;
  return {
    id: finding.Id ?? '',
    ...(finding.ProductFields?.[FIELD.contentHash] ? { contentHash: finding.ProductFields[FIELD.contentHash] } : {}),
    recordState: finding.RecordState === 'ARCHIVED' ? 'ARCHIVED' : 'ACTIVE',
    workflowStatus: WORKFLOW.has(status) ? (status as FindingState['workflowStatus']) : 'NEW',
    ...(note?.Text ? { note: { text: note.Text, updatedBy: note.UpdatedBy ?? '', updatedAt: note.UpdatedAt ?? '' } } : {}),
    ...(finding.FindingProviderFields?.Severity?.Label || finding.Severity?.Label
      ? { severity: finding.FindingProviderFields?.Severity?.Label ?? finding.Severity?.Label }
      : {}),
    ...(finding.CreatedAt ? { createdAt: finding.CreatedAt } : {}),
    ...(finding.UpdatedAt ? { updatedAt: finding.UpdatedAt } : {}),
    ...(finding.FirstObservedAt ? { firstObservedAt: finding.FirstObservedAt } : {}),
    ...(finding.LastObservedAt ? { lastObservedAt: finding.LastObservedAt } : {}),
  };
}
