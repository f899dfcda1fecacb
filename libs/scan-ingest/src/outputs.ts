import type { S3Client } from '@aws-sdk/client-s3';
import { isActive, type AwsSecurityFinding, type ScanScope, type SeverityLabel } from '@devsecops/asff';
import type { GateVerdict } from '@devsecops/gate';
import { renderJunit, renderMarkdown, type ReportChanges, type ReportInput } from '@devsecops/report-formats';
import type { ImportResult } from '@devsecops/securityhub';
import { putEncrypted } from './encrypted-put';
import type { ScanOutputFormat, ScanRequest } from './events';

/** The gate's decision for the report formats: its own blocking list, since it has rules of its own (KEV, new, SLA). */
export function reportGateOf(verdict: GateVerdict): { failOn?: SeverityLabel; passed: boolean; blocking: number; blockingIds: ReadonlySet<string> } {
  return {
    ...(verdict.failOn !== 'NONE' ? { failOn: verdict.failOn } : {}),
    passed: verdict.passed,
    blocking: verdict.blocking,
    blockingIds: new Set(verdict.findings.map((f) => f.id)),
  };
}

/**
 * What this import changed, for "new since the previous scan" and "fixed by this scan": new = active findings
 * Security Hub did not hold before (the ledger or the read-back said so), fixed = what the import archived.
 */
export function changesFromImport(result: Pick<ImportResult, 'ids' | 'archivedFindings'>, findings: readonly AwsSecurityFinding[], base = 'the previous scan'): ReportChanges {
  const created = new Set(result.ids.created);
  const newIds = new Set(findings.filter((f) => f.Id !== undefined && created.has(f.Id) && isActive(f)).map((f) => f.Id!));
  return { base, newIds, fixed: result.archivedFindings };
}

interface OutputKind {
  file: string;
  contentType: string;
  render: (input: ReportInput) => Iterable<string>;
}

const OUTPUT_KINDS: Record<ScanOutputFormat, OutputKind> = {
  junit: { file: 'findings.junit.xml', contentType: 'application/xml', render: renderJunit },
  markdown: { file: 'findings.md', contentType: 'text/markdown; charset=utf-8', render: renderMarkdown },
};

/** The file name a build finds each output under (the buildspec's `reports` section names it). */
export function outputFileName(format: ScanOutputFormat): string {
  return OUTPUT_KINDS[format].file;
}

/**
 * Where a scan's outputs go: beside its report, with `reports/` swapped for `outputs/` (that prefix must not
 * trigger the S3 event rule on reports/), so the build that uploaded `reports/<tool>/…/<build>/report.json` may
 * read `outputs/<tool>/…/<build>/`. A report elsewhere (inline, another prefix) gets the same segments.
 */
export function outputsPrefix(request: Pick<ScanRequest, 'report' | 'repository' | 'branch' | 'commit' | 'buildId' | 'tool'>, tool: string): string {
  const report = request.report;
  if (report.kind === 's3' && report.key.startsWith('reports/') && report.key.lastIndexOf('/') > 'reports/'.length) {
    return `outputs/${report.key.slice('reports/'.length, report.key.lastIndexOf('/'))}/`;
  }
  return `outputs/${scanKeyPath(request.tool !== 'auto' ? request.tool : tool, request)}/`;
}

/** `<tool>/<repository>/<branch>/<commit>/<buildId>`, each URL-encoded, `-` when unknown: the keys beside a scan's report. */
export function scanKeyPath(tool: string, request: Pick<ScanRequest, 'repository' | 'branch' | 'commit' | 'buildId'>): string {
  const seg = (v: string | undefined) => encodeURIComponent(v || '-');
  return [tool, request.repository, request.branch, request.commit, request.buildId].map(seg).join('/');
}

export interface ScanOutputsInput {
  formats: readonly ScanOutputFormat[];
  findings: readonly AwsSecurityFinding[];
  scope: ScanScope;
  verdict: GateVerdict;
  changes: ReportChanges;
  generatedAt: string;
  producerVersion?: string;
}

/** Renders the requested outputs, pure: each format's text by format. */
export function renderScanOutputs(input: ScanOutputsInput): Map<ScanOutputFormat, string> {
  const report: ReportInput = {
    findings: input.findings,
    gate: reportGateOf(input.verdict),
    changes: input.changes,
    generatedAt: input.generatedAt,
    ...(input.producerVersion ? { producerVersion: input.producerVersion } : {}),
    title: `Security findings: ${input.scope.repository}@${input.scope.branch} (${input.scope.tool}${input.scope.category ? `, ${input.scope.category}` : ''})`,
  };
  const out = new Map<ScanOutputFormat, string>();
  for (const format of input.formats) out.set(format, [...OUTPUT_KINDS[format].render(report)].join(''));
  return out;
}

export interface StoreOutputsOptions {
  s3: S3Client;
  bucket: string;
  kmsKeyId?: string;
  prefix: string;
}

/**
 * Writes each rendered output (SSE-KMS, like the reports) and returns its S3 URI by format. A failed write is a
 * warning, not a failed import: the findings are in Security Hub already, and the build says the output is missing.
 */
export async function storeScanOutputs(rendered: ReadonlyMap<ScanOutputFormat, string>, options: StoreOutputsOptions): Promise<{ uris: Partial<Record<ScanOutputFormat, string>>; warnings: string[] }> {
  const uris: Partial<Record<ScanOutputFormat, string>> = {};
  const warnings: string[] = [];
  for (const [format, body] of rendered) {
    const key = `${options.prefix}${OUTPUT_KINDS[format].file}`;
    try {
      await putEncrypted(options.s3, { bucket: options.bucket, key, body, contentType: OUTPUT_KINDS[format].contentType, ...(options.kmsKeyId ? { kmsKeyId: options.kmsKeyId } : {}) });
      uris[format] = `s3://${options.bucket}/${key}`;
    } catch (error) {
      const code = (error as { name?: string }).name ?? 'Error';
      warnings.push(`the ${format} output could not be stored at s3://${options.bucket}/${key} (${code}: ${String((error as Error).message ?? error).split('\n')[0]!.slice(0, 200)})`);
    }
  }
  return { uris, warnings };
}
