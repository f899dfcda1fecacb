import type { BasicLogger } from '@devsecops/aws-conventions';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AwsTarget, SeverityCounts, SeverityLabel } from '@devsecops/asff';
import { readReport, ReportError, type ParseOptions, type ReportDocument, type ReportParser } from '@devsecops/report-input';
import { importFindings, type ImportResult, type LedgerOptions, type LedgerReport } from '@devsecops/securityhub';
import { buildConversion, gateFor, parseDocuments } from './convert';
import type { ScanRequest } from './events';


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
  defaultFailOn?: SeverityLabel | 'NONE';
  parseOptions?: ParseOptions;
  /** Epoch ms by which the importer must have stopped (the Lambda's own time limit, less a margin). */
  deadline?: number;
  now?: () => Date;
  /** Keep each scan identity's state in a ledger (FINDINGS_STATE); without it the scope is read back each time. */
  ledger?: LedgerOptions;
  /** This invocation's share of the account's Security Hub quotas (IMPORT_RATE_SHARE); default 1. */
  rateShare?: number;
}

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
  gate: { failOn: SeverityLabel | 'NONE'; passed: boolean; blocking: number };
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

async function loadReport(request: ScanRequest, deps: IngestDependencies): Promise<{ doc: ReportDocument; reportUri?: string }> {
  const source = request.report;
  if (source.kind === 's3') {
    const uri = `s3://${source.bucket}/${source.key}`;
    const object = await deps.s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key, VersionId: source.versionId }));
    if (!object.Body) throw new ReportError(uri, 'the S3 object has no body');
    const bytes = await object.Body.transformToByteArray();
    return { doc: readReport(bytes, uri), reportUri: uri };
  }
  const inline = source.report;
  const text = typeof inline === 'string' ? inline : undefined;
  const doc: ReportDocument =
    text !== undefined
      ? readReport(text, 'inline report')
      : { source: 'inline report', format: 'json', value: inline, encoding: 'utf-8', skippedPrefix: 0, bytes: 0 };
  return { doc };
}

async function storeInlineReport(request: ScanRequest, tool: string, deps: IngestDependencies): Promise<string | undefined> {
  if (request.report.kind !== 'inline' || !deps.reportsBucket) return undefined;
  const body = typeof request.report.report === 'string' ? request.report.report : JSON.stringify(request.report.report);
  const seg = (v: string | undefined) => encodeURIComponent(v || '-');
  // Not under reports/: that prefix triggers the S3 event rule, and this report is being processed already.
  const key = `inline-reports/${[tool, request.repository, request.branch, request.commit, request.buildId].map(seg).join('/')}/report.json`;
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: deps.reportsBucket,
      Key: key,
      Body: body,
      ContentType: 'application/json',
      ServerSideEncryption: 'aws:kms',
      ...(deps.kmsKeyId ? { SSEKMSKeyId: deps.kmsKeyId } : {}),
    }),
  );
  return `s3://${deps.reportsBucket}/${key}`;
}

/** Reads the report, converts it, imports the findings, archives what vanished, and applies the gate. */
export async function ingestScan(request: ScanRequest, deps: IngestDependencies): Promise<ScanResponse> {
  const now = deps.now ?? (() => new Date());
  const { doc, reportUri: s3Uri } = await loadReport(request, deps);
  const scopeBase = {
    ...deps.target,
    repository: request.repository,
    branch: request.branch,
    commit: request.commit,
    buildId: request.buildId,
    target: request.target,
    reportUri: s3Uri,
  };
  const { parser, parsed } = parseDocuments([doc], { parsers: deps.parsers, tool: request.tool, parseOptions: deps.parseOptions });
  const storedUri = s3Uri ? undefined : await storeInlineReport(request, parsed.tool, deps);
  const { scope, findings, summary } = buildConversion(parser, parsed, {
    scope: { ...scopeBase, ...(request.category ? { category: request.category } : {}), reportUri: s3Uri ?? storedUri },
    now: now().toISOString(),
  });
  const incomplete = incompleteReasons(request, parsed.incomplete);
  for (const warning of parsed.warnings) deps.logger.warn(warning, { tool: scope.tool });
  deps.logger.info('Report converted', { tool: scope.tool, total: summary.total, active: summary.active, bySeverity: summary.bySeverity });

  const result = await importFindings({
    client: deps.securityHub,
    scope,
    findings,
    now,
    deadline: deps.deadline,
    logger: deps.logger,
    incomplete,
    ...(deps.ledger ? { ledger: deps.ledger } : {}),
    ...(deps.rateShare === undefined ? {} : { rateShare: deps.rateShare }),
  });
  const failOn = request.failOn ?? deps.defaultFailOn ?? 'HIGH';
  const gate = gateFor(findings, failOn);
  const partial = result.failed.length > 0 || result.notSent.length > 0;
  const response: ScanResponse = {
    status: partial ? 'partial' : 'ok',
    tool: scope.tool,
    ...(scope.category ? { category: scope.category } : {}),
    account: scope.awsAccountId,
    total: summary.total,
    active: summary.active,
    bySeverity: summary.bySeverity,
    imported: result.imported,
    unchanged: result.unchanged,
    archived: result.archived,
    reactivated: result.reactivated,
    failed: result.failed,
    notSent: result.notSent.length,
    apiCalls: result.apiCalls,
    throttled: result.throttled,
    ...(result.archiveSkipped ? { archiveSkipped: result.archiveSkipped } : {}),
    ...(result.ledger ? { ledger: result.ledger } : {}),
    reportUri: scope.reportUri,
    gate: { failOn, passed: gate.passed, blocking: gate.blocking },
    warnings: [...parsed.warnings, ...(result.archiveSkipped ? [`nothing archived: ${result.archiveSkipped}`] : [])],
  };
  if (partial) deps.logger.warn('Import incomplete', { failed: result.failed.length, notSent: result.notSent.length });
  return response;
}
