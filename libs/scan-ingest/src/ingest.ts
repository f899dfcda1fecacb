import type { BasicLogger } from '@devsecops/aws-conventions';
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AwsSecurityFinding, AwsTarget, ScanScope, SeverityCounts } from '@devsecops/asff';
import { summarize } from '@devsecops/asff';
import { formatGateText, gateJson, loadGateData, type FailOn, type GateDataSources, type GateSettings, type GateVerdict } from '@devsecops/gate';
import { readReport, readReportStream, ReportError, type ByteSource, type ParseOptions, type ReportParser, type StreamReadResult } from '@devsecops/report-input';
import { importCounts, type ImportResult, type LedgerOptions, type LedgerReport } from '@devsecops/securityhub';
import { collectFindings, parseReads, scanCategory, streamFindings } from './convert';
import type { GateFileRef, ScanRequest } from './events';
import { putEncrypted } from './encrypted-put';
import { DEFAULT_GATE_SETTINGS, importAndGate } from './gating';
import { changesFromImport, outputsPrefix, renderScanOutputs, scanKeyPath, storeScanOutputs } from './outputs';
import { evidenceBySha, evidenceLocation, evidenceWriter } from './evidence-store';


export interface IngestDependencies {
  s3: S3Client;
  securityHub: SecurityHubClient;
  target: AwsTarget;
  parsers: readonly ReportParser[];
  logger: BasicLogger;
  /** Bucket (KMS-encrypted) where inline reports are stored so every finding can link to its report. */
  reportsBucket?: string;
  kmsKeyId?: string;
  /** Gate threshold when the event names none. */
  defaultFailOn?: FailOn;
  /** The gate's settings and data files when the event names none (GATE_* variables). */
  gateDefaults?: { settings?: Partial<GateSettings>; sources?: GateDefaultsSources };
  parseOptions?: ParseOptions;
  /** Reports of known size below this many bytes are read in memory (`readReportStream`'s `streamFrom`). */
  streamFrom?: number;
  /** Epoch ms by which the importer must have stopped (the Lambda's own time limit, less a margin). */
  deadline?: number;
  now?: () => Date;
  /** Keep each scan identity's state in a ledger (FINDINGS_STATE); without it the scope is read back each time. */
  ledger?: LedgerOptions;
  /** This invocation's share of the account's Security Hub quotas (IMPORT_RATE_SHARE); default 1. */
  rateShare?: number;
}

/** Key prefix of whole evidence in the reports bucket (not under reports/, which triggers the parser). */
export const EVIDENCE_PREFIX = 'evidence/';

/** Data files from the function's configuration (S3 URIs). */
export interface GateDefaultsSources {
  suppressions?: GateFileRef[];
  vex?: GateFileRef[];
  kev?: GateFileRef;
  epss?: GateFileRef;
}

/** The gate's verdict in the response: the threshold, then the same shape as `findings gate --json`. */
export type ScanGate = ReturnType<typeof gateJson>;

export interface ScanResponse {
  /** ok: everything imported; partial: some findings failed or were not sent (retry the same event). */
  status: 'ok' | 'partial';
  tool: string;
  /** The scan identity's category (given, or the DAST target's origin); absent = none. */
  category?: string;
  /** The account whose Security Hub received the findings. */
  account: string;
  total: number;
  active: number;
  bySeverity: SeverityCounts;
  imported: number;
  unchanged: number;
  archived: number;
  reactivated: number;
  failed: ImportResult['failed'];
  notSent: number;
  apiCalls: number;
  /** Throttled Security Hub responses (each retried). */
  throttled: number;
  /** Set when nothing was archived because the scan is incomplete: why. */
  archiveSkipped?: string;
  /** What the ledger did (when FINDINGS_STATE is set). */
  ledger?: LedgerReport;
  reportUri?: string;
  gate: ScanGate;
  /** Workflow changes written with BatchUpdateFindings (repository suppressions, expiries). */
  decisionsWritten: number;
  /** The outputs the event asked for (`outputs`), stored in the reports bucket: S3 URI by format. */
  outputs?: Partial<Record<'junit' | 'markdown', string>>;
  warnings: string[];
}

/** Why a scan is not whole: the event says so, the scanner reported errors, or the parser found the report cut. */
export function incompleteReasons(request: Pick<ScanRequest, 'complete' | 'scannerErrors'>, parserReasons: readonly string[] = []): string[] {
  const reasons: string[] = [];
  if (request.complete === false) reasons.push('the event says complete: false');
  for (const error of request.scannerErrors ?? []) if (error.trim()) reasons.push(`scanner error: ${error.trim().slice(0, 500)}`);
  reasons.push(...parserReasons);
  return reasons;
}

/** The GetObject body as chunks: the SDK's Node stream is an AsyncIterable; anything else is read whole. */
async function bodyChunks(body: NonNullable<GetObjectCommandOutput['Body']>): Promise<ByteSource> {
  if (Symbol.asyncIterator in body) return body as unknown as AsyncIterable<Uint8Array>;
  return [await body.transformToByteArray()];
}

function refName(ref: GateFileRef): string {
  return ref.kind === 's3' ? `s3://${ref.bucket}/${ref.key}` : ref.name;
}

/** The gate's settings and data: the event's fields win over the function's configuration. */
async function gateInputs(request: ScanRequest, deps: IngestDependencies): Promise<{ settings: GateSettings; data: Awaited<ReturnType<typeof loadGateData>> }> {
  const g = request.gate ?? {};
  const d = deps.gateDefaults ?? {};
  const settings: GateSettings = {
    ...DEFAULT_GATE_SETTINGS,
    ...d.settings,
    failOn: request.failOn ?? deps.defaultFailOn ?? d.settings?.failOn ?? 'HIGH',
    ...(g.mode ? { mode: g.mode } : {}),
    ...(g.baseBranch ? { baseBranch: g.baseBranch } : {}),
    ...(g.slaDays ? { slaDays: g.slaDays } : {}),
    ...(g.failOnEpss !== undefined ? { failOnEpss: g.failOnEpss } : {}),
    ...(g.failOnKev !== undefined ? { failOnKev: g.failOnKev } : {}),
    ...(g.onDecisionReadError ? { onDecisionReadError: g.onDecisionReadError } : {}),
  };
  const refs = new Map<string, GateFileRef>();
  const names = (list: GateFileRef[] | undefined) => (list ?? []).map((r) => (refs.set(refName(r), r), refName(r)));
  const one = (r: GateFileRef | undefined) => (r ? (refs.set(refName(r), r), refName(r)) : undefined);
  const sources: GateDataSources = {
    suppressions: names(g.suppressions ?? d.sources?.suppressions),
    vex: names(g.vex ?? d.sources?.vex),
    ...(one(g.kev ?? d.sources?.kev) ? { kev: one(g.kev ?? d.sources?.kev) } : {}),
    ...(one(g.epss ?? d.sources?.epss) ? { epss: one(g.epss ?? d.sources?.epss) } : {}),
  };
  const read = async (name: string): Promise<Uint8Array> => {
    const ref = refs.get(name)!;
    if (ref.kind === 'inline') return Buffer.from(ref.content, 'utf8');
    const object = await deps.s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
    if (!object.Body) throw new ReportError(name, 'the S3 object has no body');
    return object.Body.transformToByteArray();
  };
  const data = await loadGateData(sources, read, request.commit ? { commit: request.commit } : {});
  return { settings, data };
}

/** Reads the report: an S3 object as a stream (a big Dependency-Check JSON is parsed while it downloads). */
async function loadReport(request: ScanRequest, deps: IngestDependencies): Promise<{ read: StreamReadResult; reportUri?: string }> {
  const source = request.report;
  if (source.kind === 's3') {
    const uri = `s3://${source.bucket}/${source.key}`;
    const object = await deps.s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key, VersionId: source.versionId }));
    if (!object.Body) throw new ReportError(uri, 'the S3 object has no body');
    const read = await readReportStream(await bodyChunks(object.Body), uri, {
      parsers: deps.parsers,
      tool: request.tool,
      parseOptions: deps.parseOptions,
      ...(object.ContentLength !== undefined ? { size: object.ContentLength } : {}),
      ...(deps.streamFrom !== undefined ? { streamFrom: deps.streamFrom } : {}),
    });
    return { read, reportUri: uri };
  }
  const inline = source.report;
  const text = typeof inline === 'string' ? inline : undefined;
  const doc =
    text !== undefined
      ? readReport(text, 'inline report')
      : { source: 'inline report', format: 'json' as const, value: inline, encoding: 'utf-8' as const, skippedPrefix: 0, bytes: 0 };
  return { read: { kind: 'document', doc } };
}

async function storeInlineReport(request: ScanRequest, tool: string, deps: IngestDependencies): Promise<string | undefined> {
  if (request.report.kind !== 'inline' || !deps.reportsBucket) return undefined;
  const body = typeof request.report.report === 'string' ? request.report.report : JSON.stringify(request.report.report);
  // Not under reports/: that prefix triggers the S3 event rule, and this report is being processed already.
  const key = `inline-reports/${scanKeyPath(tool, request)}/report.json`;
  await putEncrypted(deps.s3, { bucket: deps.reportsBucket, key, body, contentType: 'application/json', ...(deps.kmsKeyId ? { kmsKeyId: deps.kmsKeyId } : {}) });
  return `s3://${deps.reportsBucket}/${key}`;
}

/** The gate's list in the function's log (CloudWatch; CodeBuild prints the same from the response). */
function logGate(verdict: GateVerdict, deps: IngestDependencies): void {
  const log = verdict.passed ? deps.logger.info.bind(deps.logger) : deps.logger.warn.bind(deps.logger);
  log(verdict.summary, { blocking: verdict.findings.map((f) => ({ id: f.id, severity: f.severity, reasons: f.reasons.map((r) => r.kind) })).slice(0, 50) });
  deps.logger.debug(formatGateText(verdict));
}

/** The JUnit and markdown outputs the event asked for, rendered from the gated import and stored beside the report. */
async function scanOutputs(
  request: ScanRequest,
  deps: IngestDependencies,
  scan: { findings: AwsSecurityFinding[]; scope: ScanScope; verdict: GateVerdict; result: ImportResult; now: Date },
): Promise<{ uris?: Partial<Record<'junit' | 'markdown', string>>; warnings: string[] }> {
  if (!request.outputs) return { warnings: [] };
  if (!deps.reportsBucket) return { warnings: [`outputs (${request.outputs.join(', ')}) were asked for, but the function has no REPORTS_BUCKET to store them in`] };
  const rendered = renderScanOutputs({
    formats: request.outputs,
    findings: scan.findings,
    scope: scan.scope,
    verdict: scan.verdict,
    changes: changesFromImport(scan.result, scan.findings),
    generatedAt: scan.now.toISOString(),
  });
  const stored = await storeScanOutputs(rendered, { s3: deps.s3, bucket: deps.reportsBucket, ...(deps.kmsKeyId ? { kmsKeyId: deps.kmsKeyId } : {}), prefix: outputsPrefix(request, scan.scope.tool) });
  return { uris: stored.uris, warnings: stored.warnings };
}

/** Reads the report, converts it, imports the findings, archives what vanished, and applies the gate. */
export async function ingestScan(request: ScanRequest, deps: IngestDependencies): Promise<ScanResponse> {
  const now = deps.now ?? (() => new Date());
  const { read, reportUri: s3Uri } = await loadReport(request, deps);
  const scopeBase = {
    ...deps.target,
    repository: request.repository,
    branch: request.branch,
    commit: request.commit,
    buildId: request.buildId,
    target: request.target,
    reportUri: s3Uri,
  };
  const { parsed } = parseReads([read], { parsers: deps.parsers, tool: request.tool, parseOptions: deps.parseOptions });
  const storedUri = s3Uri ? undefined : await storeInlineReport(request, parsed.tool, deps);
  // Whole evidence (a ZAP alert's megabyte other info, its requests and responses) goes beside the reports.
  const evidence = evidenceBySha(parsed.drafts);
  const evidenceStore = deps.reportsBucket && evidence.size > 0 ? { s3: deps.s3, bucket: deps.reportsBucket, prefix: EVIDENCE_PREFIX, ...(deps.kmsKeyId ? { kmsKeyId: deps.kmsKeyId } : {}) } : undefined;
  const scope: ScanScope = {
    ...scopeBase,
    ...scanCategory(request, parsed.tool),
    reportUri: s3Uri ?? storedUri,
    tool: parsed.tool,
    ...(evidenceStore ? { evidenceLocation: evidenceLocation(evidenceStore) } : {}),
  };
  // The importer takes an AsyncIterable, but the gate enriches (KEV/EPSS) and judges the whole scan before and
  // after the import, and the summary counts it: so the findings are collected here (the drafts are in memory anyway).
  const findings = await collectFindings(streamFindings(parsed, scope, now().toISOString()));
  const summary = summarize(findings);
  for (const warning of request.warnings ?? []) deps.logger.warn(warning, { tool: scope.tool, from: 'build' });
  const incomplete = incompleteReasons(request, parsed.incomplete ? [parsed.incomplete] : []);
  for (const warning of parsed.warnings) deps.logger.warn(warning, { tool: scope.tool });
  deps.logger.info('Report converted', { tool: scope.tool, total: summary.total, active: summary.active, bySeverity: summary.bySeverity });

  const { settings, data } = await gateInputs(request, deps);
  const { result, verdict, decisions } = await importAndGate({
    client: deps.securityHub,
    scope,
    findings,
    settings,
    data,
    ...(incomplete.length > 0 ? { incomplete: incomplete.join('; ') } : {}),
    now: now(),
    ...(deps.deadline ? { deadline: deps.deadline } : {}),
    logger: deps.logger,
    importOptions: {
      ...(deps.ledger ? { ledger: deps.ledger } : {}),
      ...(deps.rateShare === undefined ? {} : { rateShare: deps.rateShare }),
      ...(evidenceStore ? { beforeSend: evidenceWriter(evidence, evidenceStore) } : {}),
    },
    // A partial scan did not look everywhere: what it did not report may still be there.
    archiveMissing: !request.partialScan,
  });
  logGate(verdict, deps);
  // The build's own warnings first (partial scan, analyzer errors), then the parser's.
  const warnings = [
    ...(request.warnings ?? []),
    ...(request.partialScan ? ['partial scan: its findings were imported, but findings it did not report were not archived'] : []),
    ...parsed.warnings,
    ...(result.archiveSkipped ? [`nothing archived: ${result.archiveSkipped}`] : []),
  ];
  const outputs = await scanOutputs(request, deps, { findings, scope, verdict, result, now: now() });
  warnings.push(...outputs.warnings);
  if (decisions.failed.length > 0) warnings.push(`${decisions.failed.length} decision(s) could not be written to Security Hub (BatchUpdateFindings): ${decisions.failed[0]!.code}`);
  const partial = result.failed.length > 0 || result.notSent.length > 0;
  const response: ScanResponse = {
    status: partial ? 'partial' : 'ok',
    tool: scope.tool,
    ...(scope.category ? { category: scope.category } : {}),
    account: scope.awsAccountId,
    total: summary.total,
    active: summary.active,
    bySeverity: summary.bySeverity,
    ...importCounts(result),
    apiCalls: result.apiCalls + decisions.apiCalls,
    ...(result.ledger ? { ledger: result.ledger } : {}),
    reportUri: scope.reportUri,
    gate: gateJson(verdict),
    decisionsWritten: decisions.updated.length,
    ...(outputs.uris ? { outputs: outputs.uris } : {}),
    warnings,
  };
  if (partial) deps.logger.warn('Import incomplete', { failed: result.failed.length, notSent: result.notSent.length });
  return response;
}
