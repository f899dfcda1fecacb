import { parseSeverityLabel, type SeverityLabel } from '@devsecops/asff';
import { TOOL_IDS, type ToolId } from '@devsecops/report-input';
import * as z from 'zod';

/** Where the report is: an S3 object (any size) or inline in the event (small reports, reference pipeline). */
export type ReportSource =
  | { kind: 's3'; bucket: string; key: string; versionId?: string }
  | { kind: 'inline'; report: unknown };

/** Every accepted event shape, normalised. */
export interface ScanRequest {
  origin: 'direct' | 's3-event' | 'reference-pipeline';
  tool: ToolId | 'auto';
  repository: string;
  branch: string;
  commit?: string;
  buildId?: string;
  report: ReportSource;
  /** Gate threshold; 'NONE' disables the gate; undefined → the function's default. */
  failOn?: SeverityLabel | 'NONE';
  /** Scanned URL (DAST). */
  target?: string;
  /** What the build wants a person to know (e.g. "analyzer errors, report partial"); returned in the response's warnings. */
  warnings?: string[];
  /**
   * The scan was cut short (e.g. ZAP at its time limit): its findings are imported, but findings it did not report are
   * not archived, since it may simply not have reached them.
   */
  partialScan?: boolean;
  /**
   * Scan identity part: tells apart several scans of one tool over one repository branch (e.g. `backend`,
   * `frontend`). Undefined = none (DAST then defaults to the target's origin).
   */
  category?: string;
  /** False when the caller knows the scan is not whole (scanner failed, report cut): nothing is archived. */
  complete?: boolean;
  /** Errors the scanner reported (its exit status, stderr lines); any makes the scan incomplete. */
  scannerErrors?: string[];
  /** Workload account whose Security Hub receives the findings (the parser assumes IMPORT_ROLE_ARN there). */
  account?: string;
  /** Role to assume for the import (the application's `<name>-securityhub-import` role in its workload account). */
  importRoleArn?: string;
  /** The gate's other settings and data files; each field overrides the function's configuration. */
  gate?: GateRequest;
  /**
   * Reports to render for the build (JUnit for a CodeBuild test report, markdown for a summary), stored in the
   * reports bucket under outputs/ and returned as S3 URIs in the response's `outputs`.
   */
  outputs?: ScanOutputFormat[];
}

export const SCAN_OUTPUT_FORMATS = ['junit', 'markdown'] as const;
export type ScanOutputFormat = (typeof SCAN_OUTPUT_FORMATS)[number];

/** A data file for the gate: an S3 object, or (suppressions and VEX only) its content inline. */
export type GateFileRef = { kind: 's3'; bucket: string; key: string } | { kind: 'inline'; name: string; content: string };

export interface GateRequest {
  mode?: 'all' | 'new';
  baseBranch?: string;
  slaDays?: Partial<Record<SeverityLabel, number>>;
  failOnEpss?: number;
  failOnKev?: boolean;
  onDecisionReadError?: 'fail' | 'ignore';
  suppressions?: GateFileRef[];
  vex?: GateFileRef[];
  kev?: GateFileRef;
  epss?: GateFileRef;
}

/** A reference-pipeline event whose messageType is not CodeScanReport: logged and ignored, as the original did. */
export interface IgnoredRequest {
  origin: 'ignored';
  reason: string;
}

const nonBlank = z.string().trim().min(1);
const toolName = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const lower = value.toLowerCase();
    if (lower === 'auto' || (TOOL_IDS as readonly string[]).includes(lower)) return lower as ToolId | 'auto';
    ctx.addIssue({ code: 'custom', message: `unknown tool "${value}"; expected auto or one of ${TOOL_IDS.join(', ')}` });
    return z.NEVER;
  });
const failOn = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value.toUpperCase() === 'NONE') return 'NONE' as const;
    const label = parseSeverityLabel(value);
    if (label) return label;
    ctx.addIssue({ code: 'custom', message: `failOn must be NONE, INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL, got "${value}"` });
    return z.NEVER;
  });

/** Build warnings: short, bounded lines written by the scan scripts (never a secret, never a whole log). */
const buildWarnings = z.array(z.string().trim().min(1).max(1000)).max(50);

const s3Pointer = z.strictObject({ bucket: nonBlank, key: nonBlank, versionId: z.string().optional() });

/** `s3://bucket/key` or `{bucket, key}`; suppressions and VEX may also come inline as `{name, content}`. */
function s3Uri(value: string, ctx: z.core.$RefinementCtx): GateFileRef {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(value.trim());
  if (m) return { kind: 's3', bucket: m[1]!, key: m[2]! };
  ctx.addIssue({ code: 'custom', message: `expected s3://bucket/key, got "${value}"` });
  return z.NEVER;
}
const s3File = z.union([
  z.string().transform(s3Uri),
  z.strictObject({ bucket: nonBlank, key: nonBlank }).transform((p): GateFileRef => ({ kind: 's3', ...p })),
]);
const gateFile = z.union([s3File, z.strictObject({ name: nonBlank, content: z.string() }).transform((f): GateFileRef => ({ kind: 'inline', ...f }))]);
const severityDays = z.record(z.string(), z.number().int().min(0)).transform((days, ctx) => {
  const out: Partial<Record<SeverityLabel, number>> = {};
  for (const [key, n] of Object.entries(days)) {
    const label = parseSeverityLabel(key);
    if (!label) ctx.addIssue({ code: 'custom', path: [key], message: 'is not a severity' });
    else out[label] = n;
  }
  return out;
});

/** The gate's part of a direct invoke (README "Triage and the gate"). */
export const GateRequestSchema = z.strictObject({
  mode: z.enum(['all', 'new']).optional(),
  baseBranch: nonBlank.optional(),
  slaDays: severityDays.optional(),
  failOnEpss: z.number().min(0).max(1).optional(),
  failOnKev: z.boolean().optional(),
  onDecisionReadError: z.enum(['fail', 'ignore']).optional(),
  suppressions: z.array(gateFile).optional(),
  vex: z.array(gateFile).optional(),
  kev: s3File.optional(),
  epss: s3File.optional(),
});

/** `{tool, repository, branch, commit, buildId, report: {bucket, key} | <inline report>, failOn?}` from CodeBuild. */
export const DirectInvokeSchema = z.object({
  tool: toolName.optional(),
  repository: nonBlank,
  branch: nonBlank,
  commit: z.string().optional(),
  buildId: z.string().optional(),
  report: z.union([s3Pointer, z.record(z.string(), z.unknown()), z.array(z.unknown()), nonBlank]),
  failOn: failOn.optional(),
  target: z.string().optional(),
  warnings: buildWarnings.optional(),
  partialScan: z.boolean().optional(),
  category: z.string().trim().max(256).optional(),
  complete: z.boolean().optional(),
  scannerErrors: z.array(z.string()).max(100).optional(),
  account: z.string().regex(/^\d{12}$/, 'account must be a 12-digit AWS account id').optional(),
  importRoleArn: z.string().trim().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/, 'importRoleArn must be an IAM role ARN').optional(),
  gate: GateRequestSchema.optional(),
  outputs: z.array(z.enum(SCAN_OUTPUT_FORMATS)).max(SCAN_OUTPUT_FORMATS.length).optional(),
});

/**
 * EventBridge `Object Created` from S3: only the fields we read. (Powertools' schema would pull zod's whole
 * namespace, every locale included, into the bundle.)
 */
export const S3ObjectCreatedSchema = z.object({
  source: z.literal('aws.s3'),
  'detail-type': z.literal('Object Created'),
  detail: z.object({
    bucket: z.object({ name: nonBlank }),
    object: z.object({ key: nonBlank, size: z.number().optional(), 'version-id': z.string().optional() }),
  }),
});

const SEED_REPORT_TYPES: Record<string, ToolId> = {
  'owasp-dependency-check': 'dependency-check',
  'sonar-qube': 'sonarqube',
  phpstan: 'phpstan',
  'owasp-zap': 'zap',
};

/** The AWS reference pipeline's event (seed-pipeline.md §5): only messageType, reportType and report are required. */
export const ReferencePipelineEventSchema = z.object({
  messageType: z.string(),
  reportType: z.string(),
  report: z.unknown().refine((r) => r !== undefined && r !== null, 'report is required'),
  createdAt: z.string().optional(),
  source_repository: z.string().optional(),
  source_branch: z.string().optional(),
  source_commitid: z.string().optional(),
  build_id: z.string().optional(),
});

/**
 * Report object keys carry the scan's identity, one URL-encoded segment each:
 *   reports/<tool>/<repository>/<branch>/<commit>/<buildId>/<file name>
 *   reports/<tool>/<repository>/<branch>/<commit>/<buildId>/<category>/<file name>   (a scan with a category)
 * e.g. reports/dependency-check/hospital%2Fportal/main/3f2c…/sca%3Aab12…/dependency-check-report.json
 */
export const REPORT_KEY_PREFIX = 'reports/';

export function reportObjectKey(parts: { tool: string; repository: string; branch: string; commit?: string; buildId?: string; category?: string; fileName: string }): string {
  const seg = (v: string | undefined) => encodeURIComponent(v && v.length > 0 ? v : '-');
  const category = parts.category?.trim() ? [parts.category.trim()] : [];
  return `${REPORT_KEY_PREFIX}${[parts.tool, parts.repository, parts.branch, parts.commit, parts.buildId, ...category, parts.fileName].map(seg).join('/')}`;
}

export function parseReportObjectKey(rawKey: string): Omit<ScanRequest, 'origin' | 'report'> | string {
  // S3 notifications URL-encode keys ('+' for space); our segments are URL-encoded once more inside.
  const key = rawKey.includes('%25') || rawKey.includes('+') ? decodeURIComponent(rawKey.replace(/\+/g, ' ')) : rawKey;
  const segments = key.split('/');
  if (segments[0] !== 'reports' || (segments.length !== 7 && segments.length !== 8)) {
    return `object key "${rawKey}" does not follow reports/<tool>/<repository>/<branch>/<commit>/<buildId>/[<category>/]<file>`;
  }
  const [, tool, repository, branch, commit, buildId, category] = segments.map((s) => decodeURIComponent(s)) as string[];
  const parsedTool = toolName.safeParse(tool);
  if (!parsedTool.success) return `object key "${rawKey}": unknown tool "${tool}"`;
  const opt = (v: string | undefined) => (v && v !== '-' ? v : undefined);
  return {
    tool: parsedTool.data,
    repository: repository!,
    branch: branch!,
    commit: opt(commit),
    buildId: opt(buildId),
    ...(segments.length === 8 && opt(category) ? { category: category! } : {}),
  };
}

/** Repository name from CODEBUILD_SOURCE_REPO_URL (https://…/v1/repos/name, git@host:org/name.git, or a plain name). */
export function repositoryFromUrl(url: string | undefined): string | undefined {
  const value = url?.trim();
  if (!value) return undefined;
  const codecommit = /\/v1\/repos\/([^/?#]+)/.exec(value);
  if (codecommit) return codecommit[1];
  const path = value.replace(/^[a-z+]+:\/\/[^/]+\//i, '').replace(/^[^@]+@[^:]+:/, '').replace(/\.git$/, '');
  return path.replace(/^\/+|\/+$/g, '') || undefined;
}

/** CODEBUILD_SOURCE_VERSION is a branch only for some sources; pipeline builds put an artifact ARN or S3 path there. */
export function branchFromSourceVersion(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v || v.startsWith('arn:') || v.startsWith('s3:') || /^[0-9a-f]{40}$/.test(v) || v.startsWith('pr/')) return undefined;
  return v.replace(/^refs\/heads\//, '');
}

export interface EventDefaults {
  repository?: string;
  branch?: string;
}

function classify(event: unknown): 'reference' | 's3' | 'direct' {
  const e = event as Record<string, unknown> | null;
  if (e && typeof e === 'object' && 'messageType' in e) return 'reference';
  if (e && typeof e === 'object' && e.source === 'aws.s3' && 'detail' in e) return 's3';
  return 'direct';
}

/**
 * One schema for every event the parser Lambdas accept; the shape is picked by its marker fields so a
 * bad event gets the errors of the shape it was meant to be, not of all three.
 */
export function scanEventSchema(defaults: EventDefaults = {}) {
  return z.unknown().transform((event, ctx): ScanRequest | IgnoredRequest => {
    const fail = (issues: readonly z.core.$ZodIssue[]) => {
      for (const issue of issues) ctx.addIssue({ ...issue, path: issue.path as PropertyKey[] } as never);
      return z.NEVER;
    };
    const kind = classify(event);
    if (kind === 'reference') {
      const parsed = ReferencePipelineEventSchema.safeParse(event);
      if (!parsed.success) return fail(parsed.error.issues);
      const e = parsed.data;
      if (e.messageType !== 'CodeScanReport') return { origin: 'ignored', reason: `messageType "${e.messageType}" is not CodeScanReport` };
      const tool = SEED_REPORT_TYPES[e.reportType.trim().toLowerCase()];
      if (!tool) {
        ctx.addIssue({ code: 'custom', path: ['reportType'], message: `unknown reportType "${e.reportType}"; expected OWASP-Dependency-Check, SONAR-QUBE, PHPStan or OWASP-Zap` });
        return z.NEVER;
      }
      return {
        origin: 'reference-pipeline',
        tool,
        repository: repositoryFromUrl(e.source_repository) ?? defaults.repository ?? 'unknown-repository',
        branch: branchFromSourceVersion(e.source_branch) ?? defaults.branch ?? 'main',
        commit: e.source_commitid?.trim() || undefined,
        buildId: e.build_id?.trim() || undefined,
        report: { kind: 'inline', report: e.report },
      };
    }
    if (kind === 's3') {
      const parsed = S3ObjectCreatedSchema.safeParse(event);
      if (!parsed.success) return fail(parsed.error.issues);
      const { bucket, object } = parsed.data.detail;
      const identity = parseReportObjectKey(object.key);
      if (typeof identity === 'string') {
        ctx.addIssue({ code: 'custom', path: ['detail', 'object', 'key'], message: identity });
        return z.NEVER;
      }
      return { origin: 's3-event', ...identity, report: { kind: 's3', bucket: bucket.name, key: object.key, versionId: object['version-id'] } };
    }
    const parsed = DirectInvokeSchema.safeParse(event);
    if (!parsed.success) return fail(parsed.error.issues);
    const e = parsed.data;
    const pointer = s3Pointer.safeParse(e.report);
    return {
      origin: 'direct',
      tool: e.tool ?? 'auto',
      repository: e.repository,
      branch: e.branch,
      commit: e.commit?.trim() || undefined,
      buildId: e.buildId?.trim() || undefined,
      report: pointer.success ? { kind: 's3', ...pointer.data } : { kind: 'inline', report: e.report },
      failOn: e.failOn,
      target: e.target?.trim() || undefined,
      ...(e.warnings && e.warnings.length > 0 ? { warnings: e.warnings } : {}),
      ...(e.partialScan ? { partialScan: true } : {}),
      ...(e.category ? { category: e.category } : {}),
      ...(e.complete === undefined ? {} : { complete: e.complete }),
      ...(e.scannerErrors && e.scannerErrors.length > 0 ? { scannerErrors: e.scannerErrors } : {}),
      ...(e.account ? { account: e.account } : {}),
      ...(e.importRoleArn ? { importRoleArn: e.importRoleArn } : {}),
      ...(e.gate ? { gate: e.gate as GateRequest } : {}),
      ...(e.outputs && e.outputs.length > 0 ? { outputs: [...new Set(e.outputs)] } : {}),
    };
  });
}
