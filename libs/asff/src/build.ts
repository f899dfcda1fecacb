import type { AwsSecurityFinding, Resource } from '@aws-sdk/client-securityhub';
import { defaultProductArn } from './environment';
import { contentHash, findingId, generatorId } from './identity';
import { LIMITS, jsonBytes, nonEmpty, nonEmptyText, truncate } from './limits';
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

function scopeFields(scope: ScanScope, draft: FindingDraft): Record<string, string | undefined> {
  return {
    [FIELD.tool]: scope.tool,
    [FIELD.repository]: scope.repository,
    [FIELD.branch]: scope.branch,
    [FIELD.commit]: scope.commit,
    [FIELD.target]: scope.target,
    [FIELD.rule]: draft.ruleId,
    [FIELD.location]: draft.location,
    [FIELD.state]: draft.state ?? 'ACTIVE',
    [FIELD.stateReason]: draft.stateReason,
  };
}

/** Fields that change every build without changing the finding: left out of the content hash. */
const VOLATILE_FIELDS: readonly string[] = [FIELD.buildId, FIELD.reportUri, FIELD.contentHash];

function productFields(scope: ScanScope, draft: FindingDraft, omittedResources: number): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...scopeFields(scope, draft) };
  if (omittedResources > 0) merged[FIELD.resourcesOmitted] = String(omittedResources);
  for (const [key, value] of Object.entries(draft.productFields ?? {})) {
    const fullKey = key.includes('/') ? key : `${FIELD_PREFIX}${scope.tool}/${key}`;
    if (fullKey.startsWith('aws/securityhub/')) continue;
    merged[fullKey] = value;
  }
  merged[FIELD.buildId] = scope.buildId;
  merged[FIELD.reportUri] = scope.reportUri;
  const out: Record<string, string> = {};
  let count = 0;
  for (const [key, value] of Object.entries(merged)) {
    if (value === undefined || value === null || String(value).trim() === '') continue;
    if (count >= LIMITS.ownProductFields - 1) break; // one place is kept for the content hash
    out[truncate(key, LIMITS.productFieldKey, '…')] = truncate(String(value), LIMITS.productFieldValue);
    count += 1;
  }
  return out;
}

function resources(scope: ScanScope, draft: FindingDraft): { list: Resource[]; omitted: number } {
  const given = draft.resources.length > 0 ? draft.resources : [{ Type: 'Other', Id: draft.location || scope.repository }];
  const list = given.slice(0, LIMITS.resources).map((r) => ({
    ...r,
    Type: truncate(nonEmpty(r.Type, 'Other'), LIMITS.resourceType, ''),
    Id: nonEmpty(r.Id, scope.repository),
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
  const url = draft.remediation?.url?.trim();
  if (text || url) {
    finding.Remediation = {
      Recommendation: {
        Text: truncate(nonEmpty(text, `See ${url}`), LIMITS.recommendationText),
        ...(url ? { Url: url } : {}),
      },
    };
  }
  if (draft.sourceUrl) finding.SourceUrl = draft.sourceUrl;
  if (draft.vulnerabilities?.length) finding.Vulnerabilities = draft.vulnerabilities;
  finding.ProductFields = productFields(scope, draft, omitted);
  const sized = fitSize(finding);
  sized.ProductFields![FIELD.contentHash] = contentHash(stableContent(sized));
  return sized;
}

/** The finding without timestamps and per-build fields: equal content means an unchanged finding. */
export function stableContent(finding: AwsSecurityFinding): unknown {
  const { CreatedAt: _c, UpdatedAt: _u, FirstObservedAt: _f, LastObservedAt: _l, ProductFields, ...rest } = finding;
  const fields = Object.fromEntries(
    Object.entries(ProductFields ?? {})
      .filter(([k]) => !VOLATILE_FIELDS.includes(k) && !k.startsWith('aws/'))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return { ...rest, ProductFields: fields };
}

/** Builds every finding of a parsed report for one scan. */
export function buildFindings(report: ParsedReport, scope: ScanScope, now: string = new Date().toISOString()): AwsSecurityFinding[] {
  return report.drafts.map((draft) => buildFinding(draft, scope, now));
}

/** Active = counts now: RecordState ACTIVE and not suppressed. */
export function isActive(finding: AwsSecurityFinding): boolean {
  return finding.RecordState !== 'ARCHIVED' && finding.Workflow?.Status !== 'SUPPRESSED';
}
