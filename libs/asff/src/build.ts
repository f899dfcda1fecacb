import type { AwsSecurityFinding, Resource } from '@aws-sdk/client-securityhub';
import { defaultProductArn } from './environment';
import { contentHash, findingFingerprint, findingId, generatorId, normalizeCategory } from './identity';
import { LIMITS, jsonBytes, nonEmpty, nonEmptyText, truncate } from './limits';
import { evidenceDigests, evidenceFields, type EvidenceDigest } from './evidence';
import { FIELD, FIELD_PREFIX } from './product-fields';
import type { FindingDraft, ParsedReport, ScanScope } from './types';

export const SCHEMA_VERSION = '2018-10-08';
export const COMPANY_NAME = 'devsecops-pipeline';
export const DEFAULT_TYPE = 'Software and Configuration Checks/Vulnerabilities';
const VALID_NAMESPACES = [
  'Software and Configuration Checks',
  'TTPs',
  'Effects',
  'Unusual Behaviors',
  'Sensitive Data Identifications',
];

function cleanTypes(types: readonly string[] | undefined): string[] {
  const kept = [...new Set((types ?? []).map((t) => t.trim()).filter((t) => VALID_NAMESPACES.some((ns) => t === ns || t.startsWith(`${ns}/`))))];
  return (kept.length > 0 ? kept : [DEFAULT_TYPE]).slice(0, LIMITS.types).map((t) => truncate(t, 256));
}

const NOT_BLANK = /\S/;

/**
 * ProductFields: the scope's fields, then the draft's (tool-prefixed unless already namespaced), then the
 * per-build ones; a later value for the same key wins. Capped to leave room for Security Hub's own keys.
 */
function productFields(scope: ScanScope, draft: FindingDraft, omittedResources: number, evidence: readonly EvidenceDigest[]): Record<string, string> {
  const fields = new Map<string, string | undefined>([
    [FIELD.tool, scope.tool],
    [FIELD.repository, scope.repository],
    [FIELD.branch, scope.branch],
    [FIELD.category, normalizeCategory(scope.category)],
    [FIELD.commit, scope.commit],
    [FIELD.target, scope.target],
    [FIELD.rule, draft.ruleId],
    [FIELD.location, draft.location],
    [FIELD.fingerprint, findingFingerprint(scope.tool, draft.ruleId, draft.location)],
    [FIELD.state, draft.state ?? 'ACTIVE'],
    [FIELD.stateReason, draft.stateReason],
    // Before the tool's own fields, so the 50-field cap never drops a link to the whole evidence.
    ...evidenceFields(evidence, scope.evidenceLocation),
  ]);
  if (omittedResources > 0) fields.set(FIELD.resourcesOmitted, String(omittedResources));
  if (draft.productFields) {
    const toolPrefix = `${FIELD_PREFIX}${scope.tool}/`;
    for (const key in draft.productFields) {
      const fullKey = key.includes('/') ? key : toolPrefix + key;
      if (!fullKey.startsWith('aws/securityhub/')) fields.set(fullKey, draft.productFields[key]);
    }
  }
  fields.set(FIELD.buildId, scope.buildId);
  fields.set(FIELD.reportUri, scope.reportUri);
  const out: Record<string, string> = {};
  let count = 0;
  for (const [key, value] of fields) {
    if (value === undefined || value === null) continue;
    const text = String(value);
    if (!NOT_BLANK.test(text)) continue;
    if (count >= LIMITS.ownProductFields - 1) break; // one place is kept for the content hash
    out[truncate(key, LIMITS.productFieldKey, '…')] = truncate(text, LIMITS.productFieldValue);
    count += 1;
  }
  return out;
}

function resources(scope: ScanScope, draft: FindingDraft): { list: Resource[]; omitted: number } {
  const given = draft.resources.length > 0 ? draft.resources : [{ Type: 'Other', Id: draft.location || scope.repository }];
  const list = given.slice(0, LIMITS.resources).map((r) => ({
    ...r,
    Type: truncate(nonEmpty(r.Type, 'Other'), LIMITS.resourceType, ''),
    Id: truncate(nonEmpty(r.Id, scope.repository), LIMITS.resourceId),
    Partition: scope.partition,
    Region: scope.region,
  }));
  return { list, omitted: Math.max(0, given.length - LIMITS.resources) };
}

/** Shrinks a finding that is over the 240 KB limit: Details first, then vulnerability detail, then resources. */
function fitSize(finding: AwsSecurityFinding): AwsSecurityFinding {
  if (jsonBytes(finding) <= LIMITS.findingBytes) return finding;
  const steps: Array<(f: AwsSecurityFinding) => void> = [
    (f) => f.Resources?.forEach((r) => delete r.Details),
    (f) =>
      f.Vulnerabilities?.forEach((v) => {
        v.ReferenceUrls = v.ReferenceUrls?.slice(0, 10).map((u) => truncate(u, 512, ''));
        v.VulnerablePackages = v.VulnerablePackages?.slice(0, 10);
        v.RelatedVulnerabilities = v.RelatedVulnerabilities?.slice(0, 10);
      }),
    (f) => {
      for (const [k, v] of Object.entries(f.ProductFields ?? {})) f.ProductFields![k] = truncate(v, 256);
    },
    (f) => {
      f.Resources = f.Resources?.slice(0, 1);
      f.Vulnerabilities = f.Vulnerabilities?.slice(0, 1);
    },
  ];
  for (const step of steps) {
    step(finding);
    if (jsonBytes(finding) <= LIMITS.findingBytes) break;
  }
  return finding;
}

function describe(draft: FindingDraft, toolName: string): string {
  const base = nonEmptyText(draft.description, nonEmpty(draft.title, draft.ruleId));
  if (draft.state === 'SUPPRESSED') return `[Suppressed in ${toolName}${draft.stateReason ? `: ${draft.stateReason}` : ''}] ${base}`;
  if (draft.state === 'RESOLVED') return `[Closed in ${toolName}${draft.stateReason ? `: ${draft.stateReason}` : ''}] ${base}`;
  return base;
}

/**
 * Builds one ASFF finding that Security Hub accepts: deterministic Id, ProductArn for the partition, severity in
 * Severity and FindingProviderFields, every length limit enforced with a visible marker, ≤ 240 KB.
 * `now` becomes CreatedAt and UpdatedAt; the importer keeps CreatedAt stable and UpdatedAt increasing.
 */
export function buildFinding(draft: FindingDraft, scope: ScanScope, now: string): AwsSecurityFinding {
  const { list, omitted } = resources(scope, draft);
  const types = cleanTypes(draft.types);
  const severity = {
    Label: draft.severity.label,
    Original: truncate(nonEmpty(draft.severity.original, draft.severity.label), LIMITS.severityOriginal, '…'),
  };
  const state = draft.state ?? 'ACTIVE';
  const finding: AwsSecurityFinding = {
    SchemaVersion: SCHEMA_VERSION,
    Id: findingId(scope, draft),
    ProductArn: defaultProductArn(scope),
    ProductName: scope.tool,
    CompanyName: COMPANY_NAME,
    GeneratorId: generatorId(scope.tool, nonEmpty(draft.ruleId, 'unknown-rule')),
    AwsAccountId: scope.awsAccountId,
    Types: types,
    CreatedAt: now,
    UpdatedAt: now,
    // The importer keeps the stored FirstObservedAt, so a finding's age counts from the first scan that saw it.
    FirstObservedAt: now,
    LastObservedAt: now,
    Severity: severity,
    FindingProviderFields: {
      Severity: { ...severity },
      Types: [...types],
      ...(draft.confidence !== undefined ? { Confidence: Math.max(0, Math.min(100, Math.round(draft.confidence))) } : {}),
    },
    ...(draft.confidence !== undefined ? { Confidence: Math.max(0, Math.min(100, Math.round(draft.confidence))) } : {}),
    Title: truncate(nonEmpty(draft.title, draft.ruleId), LIMITS.title),
    Description: truncate(describe(draft, scope.tool), LIMITS.description),
    Resources: list,
    RecordState: state === 'ACTIVE' ? 'ACTIVE' : 'ARCHIVED',
    ...(state === 'SUPPRESSED' ? { Workflow: { Status: 'SUPPRESSED' } } : {}),
  };
  const text = draft.remediation?.text?.trim();
  const givenUrl = draft.remediation?.url?.trim();
  const url = givenUrl && givenUrl.length <= LIMITS.url ? givenUrl : undefined;
  if (text || url) {
    finding.Remediation = {
      Recommendation: {
        Text: truncate(nonEmpty(text, `See ${url}`), LIMITS.recommendationText),
        ...(url ? { Url: url } : {}),
      },
    };
  }
  if (draft.sourceUrl && draft.sourceUrl.length <= LIMITS.url) finding.SourceUrl = draft.sourceUrl;
  if (draft.vulnerabilities?.length) finding.Vulnerabilities = draft.vulnerabilities;
  const evidence = evidenceDigests(draft.evidence);
  finding.ProductFields = productFields(scope, draft, omitted, evidence);
  // The draft's JSON bounds the finding's size (what buildFinding adds is small and capped), so the exact
  // measurement is needed only for big drafts; the same JSON, with the scope, is the content hash. Evidence texts
  // count by their digests: the hash covers the whole evidence, the size check only what the finding carries.
  const draftJson = JSON.stringify(draft.evidence ? { ...draft, evidence } : draft);
  const scopeJson = JSON.stringify(scopeIdentity(scope));
  // JSON.stringify escapes lone surrogates as \udXXX: only then is the slower repair walk needed.
  if (LONE_SURROGATE_ESCAPE.test(draftJson) || LONE_SURROGATE_ESCAPE.test(scopeJson)) makeWellFormed(finding);
  const sized = draftJson.length * 3 + FIXED_FIELDS_BOUND < LIMITS.findingBytes ? finding : fitSize(finding);
  sized.ProductFields![FIELD.contentHash] = contentHash([String(BUILDER_VERSION), scopeJson, draftJson]);
  return sized;
}

const LONE_SURROGATE_ESCAPE = /\\ud[89a-f][0-9a-f]{2}/i;

/**
 * Replaces lone surrogates (valid in JSON text as \ud800, not encodable as UTF-8) in every string of the finding,
 * keys included, with U+FFFD. Security Hub would reject the finding, or store mojibake.
 */
function makeWellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.toWellFormed();
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = makeWellFormed(value[i]);
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const cleanKey = key.toWellFormed();
      const cleanValue = makeWellFormed(record[key]);
      if (cleanKey !== key) delete record[key];
      record[cleanKey] = cleanValue;
    }
  }
  return value;
}

/** Bumped when buildFinding changes what it writes, so that stored findings count as changed and are re-imported. */
export const BUILDER_VERSION = 2;

/**
 * Upper bound, in UTF-8 bytes, of what buildFinding adds beyond the draft's own JSON: Id, GeneratorId, ARNs, Title,
 * Description and Recommendation (each capped), and the scope's ProductFields (≤ 12 values of ≤ 2048 characters).
 */
const FIXED_FIELDS_BOUND = 96 * 1024;

/** The scope fields that belong in a finding's content (not the build id or report location). */
function scopeIdentity(scope: ScanScope): unknown[] {
  const base = [scope.tool, scope.repository, scope.branch, scope.commit, scope.target, scope.awsAccountId, scope.region, scope.partition];
  // Appended only when set, so the content hashes of findings without a category stay what they were.
  const category = normalizeCategory(scope.category);
  return category === undefined ? base : [...base, category];
}

/** ProductFields that change every build without changing the finding. */
const PER_BUILD_FIELDS: readonly string[] = [FIELD.buildId, FIELD.reportUri, FIELD.contentHash];

/**
 * Content hash of a finding that was not built by buildFinding (it has no ContentHash field): the whole finding
 * except timestamps and per-build ProductFields, keys sorted.
 */
export function findingContentHash(finding: AwsSecurityFinding): string {
  const { CreatedAt: _c, UpdatedAt: _u, FirstObservedAt: _f, LastObservedAt: _l, ProductFields, ...rest } = finding;
  const fields = Object.entries(ProductFields ?? {})
    .filter(([key]) => !PER_BUILD_FIELDS.includes(key) && !key.startsWith('aws/'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return contentHash([String(BUILDER_VERSION), JSON.stringify(rest), JSON.stringify(fields)]);
}

/** Builds every finding of a parsed report for one scan. */
export function buildFindings(report: ParsedReport, scope: ScanScope, now: string = new Date().toISOString()): AwsSecurityFinding[] {
  return report.drafts.map((draft) => buildFinding(draft, scope, now));
}

/** Active = counts now: RecordState ACTIVE and not suppressed. */
export function isActive(finding: AwsSecurityFinding): boolean {
  return finding.RecordState !== 'ARCHIVED' && finding.Workflow?.Status !== 'SUPPRESSED';
}
