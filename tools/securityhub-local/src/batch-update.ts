import type {
  AwsSecurityFinding,
  AwsSecurityFindingIdentifier,
  RelatedFinding,
  Severity,
  SeverityUpdate,
  WorkflowUpdate,
} from '@aws-sdk/client-securityhub';
import { isSeverityLabel, jsonBytes, labelFromScore, validateFinding } from '@devsecops/asff';
import { invalidInput } from './errors';
import { NORMALIZED_BY_LABEL } from './import';
import type { ProviderField, StoredFinding } from './store';

/** The fields a BatchUpdateFindings request may change. */
export interface CustomerUpdate {
  Note?: { Text: string; UpdatedBy: string };
  Severity?: SeverityUpdate;
  VerificationState?: string;
  Confidence?: number;
  Criticality?: number;
  Types?: string[];
  UserDefinedFields?: Record<string, string>;
  Workflow?: WorkflowUpdate;
  RelatedFindings?: RelatedFinding[];
}

export interface BatchUpdateRequest {
  identifiers: AwsSecurityFindingIdentifier[];
  update: CustomerUpdate;
}

const UPDATE_FIELDS = ['Note', 'Severity', 'VerificationState', 'Confidence', 'Criticality', 'Types', 'UserDefinedFields', 'Workflow', 'RelatedFindings'] as const;
/** Fields whose ASFF rules validateFinding already knows; checked by validating a probe finding that carries only them. */
const PROBED_FIELDS = ['Note', 'VerificationState', 'Confidence', 'Types', 'UserDefinedFields', 'Workflow'];
const MAX_IDENTIFIERS = 100;
const MAX_RELATED_FINDINGS = 10;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ratio(name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100)) {
    throw invalidInput(`${name} must be an integer from 0 to 100`);
  }
}

function checkIdentifiers(value: unknown): AwsSecurityFindingIdentifier[] {
  if (!Array.isArray(value) || value.length === 0) throw invalidInput('FindingIdentifiers must list at least one finding');
  if (value.length > MAX_IDENTIFIERS) throw invalidInput(`FindingIdentifiers has ${value.length} entries, limit ${MAX_IDENTIFIERS}`);
  value.forEach((id, i) => {
    if (!isRecord(id) || typeof id.Id !== 'string' || typeof id.ProductArn !== 'string') {
      throw invalidInput(`FindingIdentifiers[${i}] needs Id and ProductArn strings`);
    }
  });
  return value as AwsSecurityFindingIdentifier[];
}

function checkSeverity(value: unknown): void {
  if (value === undefined) return;
  if (!isRecord(value)) throw invalidInput('Severity must be an object');
  if (value.Label === undefined && value.Normalized === undefined && value.Product === undefined) throw invalidInput('Severity needs Label, Normalized or Product');
  if (value.Label !== undefined && !isSeverityLabel(value.Label)) throw invalidInput(`Severity.Label ${String(value.Label)} is not a severity label`);
  ratio('Severity.Normalized', value.Normalized);
  if (value.Product !== undefined && (typeof value.Product !== 'number' || !Number.isFinite(value.Product))) throw invalidInput('Severity.Product must be a number');
}

function checkRelatedFindings(value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw invalidInput('RelatedFindings must be a list');
  if (value.length > MAX_RELATED_FINDINGS) throw invalidInput(`RelatedFindings has ${value.length} entries, limit ${MAX_RELATED_FINDINGS}`);
  value.forEach((r, i) => {
    if (!isRecord(r) || typeof r.Id !== 'string' || typeof r.ProductArn !== 'string') throw invalidInput(`RelatedFindings[${i}] needs Id and ProductArn strings`);
  });
}

/**
 * Validates a BatchUpdateFindings body; any problem rejects the whole request (InvalidInputException), as the
 * real service does for malformed updates. Per-finding problems are reported later as UnprocessedFindings.
 */
export function parseBatchUpdate(body: Record<string, unknown>, now: string): BatchUpdateRequest {
  const identifiers = checkIdentifiers(body.FindingIdentifiers);
  const update = Object.fromEntries(UPDATE_FIELDS.filter((f) => body[f] !== undefined && body[f] !== null).map((f) => [f, body[f]])) as CustomerUpdate &
    Record<string, unknown>;
  if (Object.keys(update).length === 0) throw invalidInput(`BatchUpdateFindings needs at least one of ${UPDATE_FIELDS.join(', ')}`);
  if (update.Note !== undefined && !isRecord(update.Note)) throw invalidInput('Note must be an object with Text and UpdatedBy');
  if (update.Workflow !== undefined && !isRecord(update.Workflow)) throw invalidInput('Workflow must be an object with Status');
  if (update.Workflow !== undefined && update.Workflow.Status === undefined) throw invalidInput('Workflow.Status is required');

  const probed = PROBED_FIELDS.filter((f) => update[f] !== undefined);
  const probe: Record<string, unknown> = Object.fromEntries(probed.map((f) => [f, update[f]]));
  if (update.Note) probe.Note = { ...update.Note, UpdatedAt: now };
  // The probe lacks every required finding field; only problems of the fields being updated count.
  const problems = validateFinding(probe as unknown as AwsSecurityFinding).filter((p) =>
    probed.some((f) => p.path === f || p.path.startsWith(`${f}.`) || p.path.startsWith(`${f}[`)),
  );
  if (problems.length > 0) throw invalidInput(problems.map((p) => `${p.path} ${p.message}`).join('; '));
  ratio('Confidence', update.Confidence);
  ratio('Criticality', update.Criticality);
  checkSeverity(update.Severity);
  checkRelatedFindings(update.RelatedFindings);
  return { identifiers, update };
}

function updatedSeverity(current: Severity | undefined, change: SeverityUpdate): Severity {
  const next: Severity = { ...current };
  if (change.Label !== undefined) {
    next.Label = change.Label;
    next.Normalized = change.Normalized ?? NORMALIZED_BY_LABEL[change.Label];
  } else if (change.Normalized !== undefined) {
    next.Normalized = change.Normalized;
    next.Label = labelFromScore(change.Normalized / 10);
  }
  if (change.Product !== undefined) next.Product = change.Product;
  return next;
}

/**
 * Applies a customer update to one finding and returns the new stored state. UpdatedAt never changes; the edited
 * provider fields are remembered so later imports leave their top-level values alone. UserDefinedFields are merged
 * key by key; an empty value removes the key.
 */
export function applyCustomerUpdate(stored: StoredFinding, update: CustomerUpdate, now: string): StoredFinding {
  const finding: AwsSecurityFinding = { ...stored.finding, ProcessedAt: now };
  const edited = new Set<ProviderField>(stored.customerEdited);
  if (update.Note) finding.Note = { Text: update.Note.Text, UpdatedBy: update.Note.UpdatedBy, UpdatedAt: now };
  if (update.VerificationState !== undefined) finding.VerificationState = update.VerificationState as AwsSecurityFinding['VerificationState'];
  if (update.Workflow?.Status !== undefined) finding.Workflow = { Status: update.Workflow.Status };
  if (update.UserDefinedFields) {
    const merged: Record<string, string> = { ...finding.UserDefinedFields };
    for (const [key, value] of Object.entries(update.UserDefinedFields)) {
      if (value === '') delete merged[key];
      else merged[key] = value;
    }
    if (Object.keys(merged).length > 0) finding.UserDefinedFields = merged;
    else delete finding.UserDefinedFields;
  }
  if (update.Severity) {
    finding.Severity = updatedSeverity(finding.Severity, update.Severity);
    edited.add('Severity');
  }
  if (update.Confidence !== undefined) {
    finding.Confidence = update.Confidence;
    edited.add('Confidence');
  }
  if (update.Criticality !== undefined) {
    finding.Criticality = update.Criticality;
    edited.add('Criticality');
  }
  if (update.Types) {
    finding.Types = [...update.Types];
    edited.add('Types');
  }
  if (update.RelatedFindings) {
    finding.RelatedFindings = update.RelatedFindings.map((r) => ({ ProductArn: r.ProductArn, Id: r.Id }));
    edited.add('RelatedFindings');
  }
  return { finding, customerEdited: [...edited] };
}

/** Security Hub's limit for one finding (asff.md §1); LIMITS.findingBytes is our producers' stricter budget. */
const FINDING_SIZE_LIMIT = 240 * 1024;

/** Whether the updated finding still fits Security Hub's size limit (FindingSizeExceeded otherwise). */
export function fitsSizeLimit(finding: AwsSecurityFinding): boolean {
  return jsonBytes(finding) <= FINDING_SIZE_LIMIT;
}
