import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { LIMITS } from './limits';
import { SEVERITY_LABELS, type FindingProblem } from './types';

const NAMESPACES = ['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications'];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;
const PRODUCT_ARN = /^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:\d{0,12}:product\/[^/]+\/[^/]+$/;
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];

type Check = (problems: FindingProblem[]) => void;

function str(problems: FindingProblem[], path: string, value: unknown, min: number, max: number, required = true): void {
  if (value === undefined || value === null) {
    if (required) problems.push({ path, message: 'is required' });
    return;
  }
  if (typeof value !== 'string') return void problems.push({ path, message: 'must be a string' });
  if (value.trim().length < min) problems.push({ path, message: `must have at least ${min} non-blank character(s)` });
  if (value.length > max) problems.push({ path, message: `has ${value.length} characters, limit ${max}` });
}

function timestamp(problems: FindingProblem[], path: string, value: unknown, required: boolean): void {
  if (value === undefined) {
    if (required) problems.push({ path, message: 'is required' });
    return;
  }
  if (typeof value !== 'string' || !RFC3339.test(value) || Number.isNaN(Date.parse(value))) {
    problems.push({ path, message: `must be an RFC 3339 timestamp, got ${JSON.stringify(value)}` });
  }
}

function oneOf(problems: FindingProblem[], path: string, value: unknown, allowed: readonly string[], required = false): void {
  if (value === undefined) {
    if (required) problems.push({ path, message: 'is required' });
    return;
  }
  if (typeof value !== 'string' || !allowed.includes(value)) {
    problems.push({ path, message: `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}` });
  }
}

function types(problems: FindingProblem[], path: string, value: unknown, required: boolean): void {
  if (value === undefined) {
    if (required) problems.push({ path, message: 'is required' });
    return;
  }
  if (!Array.isArray(value)) return void problems.push({ path, message: 'must be an array' });
  if (value.length > LIMITS.types) problems.push({ path, message: `has ${value.length} entries, limit ${LIMITS.types}` });
  value.forEach((t, i) => {
    if (typeof t !== 'string' || !NAMESPACES.some((ns) => t === ns || t.startsWith(`${ns}/`))) {
      problems.push({ path: `${path}[${i}]`, message: `must start with a valid namespace (${NAMESPACES.join(', ')})` });
    } else if (t.split('/').length > 3) {
      problems.push({ path: `${path}[${i}]`, message: 'must have at most three parts namespace/category/classifier' });
    }
  });
}

function stringMap(problems: FindingProblem[], path: string, value: unknown, maxPairs: number, maxKey: number, maxValue: number): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return void problems.push({ path, message: 'must be a map' });
  const entries = Object.entries(value);
  if (entries.length > maxPairs) problems.push({ path, message: `has ${entries.length} pairs, limit ${maxPairs}` });
  for (const [k, v] of entries) {
    if (k.length === 0 || k.length > maxKey) problems.push({ path: `${path}.${k.slice(0, 40)}`, message: `key length ${k.length} outside 1..${maxKey}` });
    if (typeof v !== 'string') problems.push({ path: `${path}.${k.slice(0, 40)}`, message: 'value must be a string' });
    else if (v.length > maxValue) problems.push({ path: `${path}.${k.slice(0, 40)}`, message: `value has ${v.length} characters, limit ${maxValue}` });
  }
}

function severity(problems: FindingProblem[], path: string, value: unknown, required: boolean): void {
  if (value === undefined) {
    if (required) problems.push({ path, message: 'is required' });
    return;
  }
  const sev = value as { Label?: unknown; Normalized?: unknown; Original?: unknown };
  if (sev.Label === undefined && sev.Normalized === undefined) problems.push({ path, message: 'needs Label (or Normalized)' });
  oneOf(problems, `${path}.Label`, sev.Label, SEVERITY_LABELS);
  if (sev.Normalized !== undefined && (typeof sev.Normalized !== 'number' || sev.Normalized < 0 || sev.Normalized > 100)) {
    problems.push({ path: `${path}.Normalized`, message: 'must be 0..100' });
  }
  str(problems, `${path}.Original`, sev.Original, 1, LIMITS.severityOriginal, false);
}

/**
 * Every rule of ../shared/reference/asff.md that a provider's finding must satisfy.
 * Returns the problems; an empty array means Security Hub accepts the finding.
 */
export function validateFinding(finding: AwsSecurityFinding): FindingProblem[] {
  const p: FindingProblem[] = [];
  const f = finding as AwsSecurityFinding & Record<string, unknown>;
  const checks: Check[] = [
    (q) => (f.SchemaVersion === '2018-10-08' ? undefined : q.push({ path: 'SchemaVersion', message: 'must be 2018-10-08' })),
    (q) => str(q, 'Id', f.Id, 1, LIMITS.id),
    (q) => {
      str(q, 'ProductArn', f.ProductArn, LIMITS.productArnMin, LIMITS.productArn);
      if (typeof f.ProductArn === 'string' && !PRODUCT_ARN.test(f.ProductArn)) q.push({ path: 'ProductArn', message: 'is not a Security Hub product ARN' });
    },
    (q) => str(q, 'GeneratorId', f.GeneratorId, 1, LIMITS.generatorId),
    (q) => {
      if (typeof f.AwsAccountId !== 'string' || !/^\d{12}$/.test(f.AwsAccountId)) q.push({ path: 'AwsAccountId', message: 'must be exactly 12 digits' });
    },
    (q) => types(q, 'Types', f.Types, true),
    (q) => timestamp(q, 'CreatedAt', f.CreatedAt, true),
    (q) => timestamp(q, 'UpdatedAt', f.UpdatedAt, true),
    (q) => timestamp(q, 'FirstObservedAt', f.FirstObservedAt, false),
    (q) => timestamp(q, 'LastObservedAt', f.LastObservedAt, false),
    (q) => {
      if (typeof f.CreatedAt === 'string' && typeof f.UpdatedAt === 'string' && Date.parse(f.UpdatedAt) < Date.parse(f.CreatedAt)) {
        q.push({ path: 'UpdatedAt', message: 'must not be before CreatedAt' });
      }
    },
    (q) => severity(q, 'Severity', f.Severity, true),
    (q) => str(q, 'Title', f.Title, 1, LIMITS.title),
    (q) => str(q, 'Description', f.Description, 1, LIMITS.description),
    (q) => {
      const rec = f.Remediation?.Recommendation;
      if (f.Remediation && !rec) q.push({ path: 'Remediation.Recommendation', message: 'is required when Remediation is set' });
      if (rec) {
        str(q, 'Remediation.Recommendation.Text', rec.Text, 1, LIMITS.recommendationText, rec.Url === undefined);
        if (rec.Url !== undefined && !/^https?:\/\/\S+$/.test(rec.Url)) q.push({ path: 'Remediation.Recommendation.Url', message: 'must be an http(s) URL' });
      }
    },
    (q) => stringMap(q, 'ProductFields', f.ProductFields, LIMITS.productFields, LIMITS.productFieldKey, LIMITS.productFieldValue),
    (q) => stringMap(q, 'UserDefinedFields', f.UserDefinedFields, LIMITS.userDefinedFields, LIMITS.productFieldKey, LIMITS.userDefinedFieldValue),
    (q) => {
      const res = f.Resources;
      if (!Array.isArray(res) || res.length === 0) return void q.push({ path: 'Resources', message: 'needs 1 to 32 resources' });
      if (res.length > LIMITS.resources) q.push({ path: 'Resources', message: `has ${res.length} resources, limit ${LIMITS.resources}` });
      res.forEach((r, i) => {
        str(q, `Resources[${i}].Type`, r.Type, 1, LIMITS.resourceType);
        str(q, `Resources[${i}].Id`, r.Id, 1, 4096);
        oneOf(q, `Resources[${i}].Partition`, r.Partition, PARTITIONS);
        str(q, `Resources[${i}].Region`, r.Region, 1, LIMITS.region, false);
        stringMap(q, `Resources[${i}].Details.Other`, r.Details?.Other, LIMITS.detailsOtherPairs, LIMITS.detailsOtherKey, LIMITS.detailsOtherValue);
        stringMap(q, `Resources[${i}].Tags`, r.Tags, 50, 128, 256);
      });
    },
    (q) =>
      f.Vulnerabilities?.forEach((v, i) => {
        const path = `Vulnerabilities[${i}]`;
        str(q, `${path}.Id`, v.Id, 1, 512);
        oneOf(q, `${path}.FixAvailable`, v.FixAvailable, ['YES', 'NO', 'PARTIAL']);
        oneOf(q, `${path}.ExploitAvailable`, v.ExploitAvailable, ['YES', 'NO']);
        if (v.Vendor) str(q, `${path}.Vendor.Name`, v.Vendor.Name, 1, 512);
        v.Cvss?.forEach((c, j) => {
          if (c.BaseScore !== undefined && (typeof c.BaseScore !== 'number' || c.BaseScore < 0 || c.BaseScore > 10)) {
            q.push({ path: `${path}.Cvss[${j}].BaseScore`, message: 'must be a number 0..10' });
          }
        });
        v.VulnerablePackages?.forEach((pkg, j) => str(q, `${path}.VulnerablePackages[${j}].Name`, pkg.Name, 1, 1024, false));
      }),
    (q) => oneOf(q, 'RecordState', f.RecordState, ['ACTIVE', 'ARCHIVED']),
    (q) => oneOf(q, 'Workflow.Status', f.Workflow?.Status, ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']),
    (q) => oneOf(q, 'VerificationState', f.VerificationState, ['UNKNOWN', 'TRUE_POSITIVE', 'FALSE_POSITIVE', 'BENIGN_POSITIVE']),
    (q) => {
      if (f.Note) {
        str(q, 'Note.Text', f.Note.Text, 1, LIMITS.noteText);
        str(q, 'Note.UpdatedBy', f.Note.UpdatedBy, 1, 512);
        timestamp(q, 'Note.UpdatedAt', f.Note.UpdatedAt, true);
      }
    },
    (q) => {
      if (f.Compliance) {
        oneOf(q, 'Compliance.Status', f.Compliance.Status, ['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE']);
        if ((f.Compliance.RelatedRequirements?.length ?? 0) > LIMITS.relatedRequirements) q.push({ path: 'Compliance.RelatedRequirements', message: 'limit 32' });
      }
    },
    (q) => {
      const fpf = f.FindingProviderFields;
      if (!fpf) return;
      severity(q, 'FindingProviderFields.Severity', fpf.Severity, false);
      types(q, 'FindingProviderFields.Types', fpf.Types, false);
      if (fpf.Confidence !== undefined && (fpf.Confidence < 0 || fpf.Confidence > 100)) q.push({ path: 'FindingProviderFields.Confidence', message: 'must be 0..100' });
    },
    (q) => {
      if (f.Confidence !== undefined && (f.Confidence < 0 || f.Confidence > 100)) q.push({ path: 'Confidence', message: 'must be 0..100' });
    },
    (q) => {
      const json = JSON.stringify(f);
      const bytes = Buffer.byteLength(json, 'utf8');
      if (bytes > 240 * 1024) q.push({ path: '', message: `finding is ${bytes} bytes, limit 240 KB` });
      if (/\\ud[89a-f][0-9a-f]{2}/i.test(json)) q.push({ path: '', message: 'contains a lone surrogate, which is not encodable as UTF-8' });
    },
  ];
  for (const check of checks) check(p);
  return p;
}

/** Throws with every problem listed; for tests and assertions. */
export function assertValidFinding(finding: AwsSecurityFinding): void {
  const problems = validateFinding(finding);
  if (problems.length > 0) {
    throw new Error(`Invalid finding ${finding.Id ?? '(no Id)'}: ${problems.map((x) => `${x.path} ${x.message}`).join('; ')}`);
  }
}
