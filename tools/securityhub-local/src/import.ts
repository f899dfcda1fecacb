import type { AwsSecurityFinding, FindingProviderFields, Severity } from '@aws-sdk/client-securityhub';
import { labelFromScore, validateFinding, type SeverityLabel } from '@devsecops/asff';
import { PROVIDER_FIELDS, type ProviderField, type StoredFinding } from './store';
import { timestampNanos } from './timestamps';

/** What the server knows about the request a finding arrived in. */
export interface ImportContext {
  /** ISO time of processing: becomes ProcessedAt (and Note.UpdatedAt for customer updates). */
  now: string;
  /** The Region the request was signed for; fills Region and must match the ProductArn's Region. */
  region: string;
  /** The calling account, when the server is told one; default-product findings must belong to it. */
  callerAccountId?: string;
}

export type ImportFailureCode = 'InvalidInput' | 'InvalidAccess';

export type ImportResult =
  | { status: 'created' | 'updated'; stored: StoredFinding }
  /** UpdatedAt not newer than the stored one: counted as success, nothing changes (asff.md §7). */
  | { status: 'ignored' };

export type CheckResult = { ok: true; finding: AwsSecurityFinding } | { ok: false; errorCode: ImportFailureCode; message: string };

/** Severity.Normalized that Security Hub fills in from a Label (asff.md §4). */
export const NORMALIZED_BY_LABEL: Readonly<Record<SeverityLabel, number>> = {
  INFORMATIONAL: 0,
  LOW: 1,
  MEDIUM: 40,
  HIGH: 70,
  CRITICAL: 90,
};

const ARN = /^arn:([a-z-]+):securityhub:([a-z0-9-]+):(\d{12})?:product\/([^/]+)\/([^/]+)$/;

export interface ProductArnParts {
  partition: string;
  region: string;
  /** Empty for partner products. */
  account: string;
  company: string;
  product: string;
}

export function parseProductArn(arn: string): ProductArnParts | undefined {
  const m = ARN.exec(arn);
  if (!m) return undefined;
  return { partition: m[1]!, region: m[2]!, account: m[3] ?? '', company: m[4]!, product: m[5]! };
}

function isDefaultProduct(parts: ProductArnParts): boolean {
  return parts.account !== '' && parts.company === parts.account && parts.product === 'default';
}

/** A label for an error message: the problems of validateFinding, joined. */
function describeProblems(problems: ReturnType<typeof validateFinding>): string {
  return problems
    .slice(0, 5)
    .map((p) => `${p.path || 'finding'} ${p.message}`)
    .join('; ')
    .concat(problems.length > 5 ? `; and ${problems.length - 5} more` : '');
}

/**
 * Per-finding checks of BatchImportFindings: the ASFF rules (validateFinding) and who may import into the
 * product (asff.md §2). A failure lands in FailedFindings; the rest of the batch still imports.
 */
export function checkFinding(raw: unknown, ctx: ImportContext): CheckResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, errorCode: 'InvalidInput', message: 'A finding must be a JSON object' };
  const finding = raw as AwsSecurityFinding;
  let problems: ReturnType<typeof validateFinding>;
  try {
    problems = validateFinding(finding);
  } catch {
    // validateFinding expects the modeled shapes; anything it cannot even walk is malformed input.
    return { ok: false, errorCode: 'InvalidInput', message: 'The finding does not have the AwsSecurityFinding structure' };
  }
  if (problems.length > 0) return { ok: false, errorCode: 'InvalidInput', message: describeProblems(problems) };
  const product = parseProductArn(finding.ProductArn!);
  if (!product) return { ok: false, errorCode: 'InvalidInput', message: `ProductArn ${finding.ProductArn} is not a product ARN` };
  if (product.region !== ctx.region) {
    return { ok: false, errorCode: 'InvalidAccess', message: `Product ${finding.ProductArn} does not exist in Region ${ctx.region}` };
  }
  if (isDefaultProduct(product)) {
    if (finding.AwsAccountId !== product.account) {
      return {
        ok: false,
        errorCode: 'InvalidAccess',
        message: `AwsAccountId ${finding.AwsAccountId} must equal the account ${product.account} of the default product`,
      };
    }
    if (ctx.callerAccountId !== undefined && ctx.callerAccountId !== product.account) {
      return {
        ok: false,
        errorCode: 'InvalidAccess',
        message: `Account ${ctx.callerAccountId} cannot import findings into the default product of account ${product.account}`,
      };
    }
  }
  return { ok: true, finding };
}

/** Fills Normalized from Label or Label from Normalized, as Security Hub does for new findings. */
export function completeSeverity(severity: Severity | undefined): Severity | undefined {
  if (!severity) return severity;
  const out: Severity = { ...severity };
  if (out.Label !== undefined && out.Normalized === undefined) out.Normalized = NORMALIZED_BY_LABEL[out.Label as SeverityLabel];
  if (out.Label === undefined && typeof out.Normalized === 'number') out.Label = labelFromScore(out.Normalized / 10);
  return out;
}

function hasAny(fpf: FindingProviderFields | undefined): fpf is FindingProviderFields {
  return fpf !== undefined && fpf !== null && PROVIDER_FIELDS.some((f) => fpf[f] !== undefined);
}

/**
 * The provider's current values of the five shared fields: its FindingProviderFields, completed from the
 * top-level copies it sent. Copies, so later customer edits of the top level never alias them.
 */
function providerView(finding: AwsSecurityFinding): FindingProviderFields {
  const severity = completeSeverity(finding.Severity);
  const fromTop: FindingProviderFields = structuredClone({
    Confidence: finding.Confidence,
    Criticality: finding.Criticality,
    RelatedFindings: finding.RelatedFindings,
    Severity: severity && { Label: severity.Label, Original: severity.Original },
    Types: finding.Types,
  });
  const merged: FindingProviderFields = hasAny(finding.FindingProviderFields) ? { ...fromTop, ...structuredClone(finding.FindingProviderFields) } : fromTop;
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as FindingProviderFields;
}

/** The top-level value a provider field takes from FindingProviderFields. */
function fromProvider(field: ProviderField, fpf: FindingProviderFields, sentFinding: AwsSecurityFinding): unknown {
  if (field !== 'Severity') return structuredClone(fpf[field]);
  const sent = completeSeverity(sentFinding.Severity);
  if (!fpf.Severity) return sent;
  // Same label as the top level that was sent: keep its finer Normalized and deprecated Product.
  if (sent && sent.Label === fpf.Severity.Label) return { ...sent, Original: fpf.Severity.Original ?? sent.Original };
  return completeSeverity({ ...(sent?.Product !== undefined ? { Product: sent.Product } : {}), ...fpf.Severity });
}

function setOrDelete<K extends keyof AwsSecurityFinding>(finding: AwsSecurityFinding, key: K, value: AwsSecurityFinding[K] | undefined): void {
  if (value === undefined) delete finding[key];
  else finding[key] = value;
}

/** ProductFields Security Hub adds to every finding. */
function withSecurityHubFields(finding: AwsSecurityFinding): Record<string, string> {
  return {
    ...finding.ProductFields,
    'aws/securityhub/FindingId': `${finding.ProductArn}/${finding.Id}`,
    'aws/securityhub/ProductName': finding.ProductName!,
    'aws/securityhub/CompanyName': finding.CompanyName!,
  };
}

/** Fields Security Hub fills on every accepted import. */
function stamp(finding: AwsSecurityFinding, ctx: ImportContext): void {
  const product = parseProductArn(finding.ProductArn!)!;
  const isDefault = isDefaultProduct(product);
  finding.ProcessedAt = ctx.now;
  finding.Region ??= ctx.region;
  finding.RecordState ??= 'ACTIVE';
  // Custom integrations show up as company "Personal", product "Default" unless they name themselves.
  finding.CompanyName ??= isDefault ? 'Personal' : product.company;
  finding.ProductName ??= isDefault ? 'Default' : product.product;
  finding.ProductFields = withSecurityHubFields(finding);
}

const CUSTOMER_OWNED = ['Workflow', 'WorkflowState', 'Note', 'VerificationState', 'UserDefinedFields'] as const;
const RESET_FROM = ['NOTIFIED', 'RESOLVED'];
const FAILING_COMPLIANCE = ['FAILED', 'WARNING', 'NOT_AVAILABLE'];

/** Security Hub reopens NOTIFIED/RESOLVED findings that come back: ARCHIVED→ACTIVE, or Compliance PASSED→failing (asff.md §5). */
function reopens(stored: AwsSecurityFinding, next: AwsSecurityFinding): boolean {
  if (!RESET_FROM.includes(next.Workflow?.Status ?? '')) return false;
  const reactivated = stored.RecordState === 'ARCHIVED' && next.RecordState === 'ACTIVE';
  const failingAgain = stored.Compliance?.Status === 'PASSED' && FAILING_COMPLIANCE.includes(next.Compliance?.Status ?? '');
  return reactivated || failingAgain;
}

/**
 * Applies one checked finding from BatchImportFindings to what is stored under its key.
 * - New: FindingProviderFields filled from the top level (and back), Severity completed, Workflow/WorkflowState NEW,
 *   ProcessedAt, Region, CompanyName, ProductName and the aws/securityhub/* ProductFields set.
 * - Existing with a newer UpdatedAt: full replacement, except customer-owned fields (Workflow, Note, VerificationState,
 *   UserDefinedFields) which stay, and the five provider fields, which follow FindingProviderFields unless a customer
 *   edited them. NOTIFIED/RESOLVED reopen to NEW when the finding comes back.
 * - Existing with an older or equal UpdatedAt: ignored.
 * `incoming` is owned by the caller's request and is reused, not copied.
 */
export function importFinding(existing: StoredFinding | undefined, incoming: AwsSecurityFinding, ctx: ImportContext): ImportResult {
  const next = incoming;
  const fpf = providerView(next);
  if (!existing) {
    for (const field of PROVIDER_FIELDS) {
      if (next[field] === undefined && fpf[field] !== undefined) setOrDelete(next, field, fromProvider(field, fpf, next) as never);
    }
    next.Severity = completeSeverity(next.Severity);
    next.FindingProviderFields = fpf;
    next.Workflow ??= { Status: 'NEW' };
    next.WorkflowState ??= 'NEW';
    stamp(next, ctx);
    return { status: 'created', stored: { finding: next, customerEdited: [] } };
  }

  const stored = existing.finding;
  const newer = timestampNanos(next.UpdatedAt)! > (timestampNanos(stored.UpdatedAt) ?? -1n);
  if (!newer) return { status: 'ignored' };

  for (const field of CUSTOMER_OWNED) setOrDelete(next, field, structuredClone(stored[field]) as never);
  for (const field of PROVIDER_FIELDS) {
    const value = existing.customerEdited.includes(field) ? structuredClone(stored[field]) : fromProvider(field, fpf, next);
    setOrDelete(next, field, value as never);
  }
  next.FindingProviderFields = fpf;
  next.Workflow ??= { Status: 'NEW' };
  next.WorkflowState ??= 'NEW';
  stamp(next, ctx);
  if (reopens(stored, next)) {
    next.Workflow = { Status: 'NEW' };
    next.WorkflowState = 'NEW';
  }
  return { status: 'updated', stored: { finding: next, customerEdited: [...existing.customerEdited] } };
}
