import { Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import { awsTargetFromEnvironment, parseSeverityLabel, type SeverityLabel } from '@devsecops/asff';
import { createHandler, createLogger, HandlerError } from '@devsecops/lambda-middleware';
import type { ReportParser } from '@devsecops/report-input';
import { ledgerStoreFor, type LedgerOptions } from '@devsecops/securityhub';
import type { Context } from 'aws-lambda';
import { assumedRoleCredentials, importAccountFor } from './accounts';
import { scanEventSchema, type IgnoredRequest, type ScanRequest } from './events';
import { ingestScan, type IngestDependencies, type ScanResponse } from './ingest';
import { emitScanMetrics, METRICS_NAMESPACE, scanMetrics } from './metrics';

/** Time kept back from the Lambda's limit so the importer stops cleanly and the response still goes out. */
const DEADLINE_MARGIN_MS = 15_000;

export interface ScanFunctionConfig {
  serviceName: string;
  parsers: readonly ReportParser[];
  env?: NodeJS.ProcessEnv;
}

function failOnFromEnv(value: string | undefined): SeverityLabel | 'NONE' {
  if (!value) return 'HIGH';
  if (value.trim().toUpperCase() === 'NONE') return 'NONE';
  const label = parseSeverityLabel(value);
  if (!label) throw new Error(`GATE_FAIL_ON must be NONE or a severity label, got "${value}"`);
  return label;
}

/** SDK clients built once per container; local endpoints (securityhub-local, a local S3) come from the environment. */
export function clientsFromEnvironment(env: NodeJS.ProcessEnv = process.env): { s3: S3Client; securityHub: SecurityHubClient } {
  return {
    s3: new S3Client({ ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT, forcePathStyle: true } : {}) }),
    securityHub: new SecurityHubClient({ ...(env.SECURITYHUB_ENDPOINT ? { endpoint: env.SECURITYHUB_ENDPOINT } : {}) }),
  };
}

/**
 * The ledger settings: FINDINGS_STATE (`s3://bucket/prefix`; the reports bucket's `state/` prefix when deployed),
 * LEDGER_MAX_AGE_DAYS (default 7), LEDGER_DECISIONS (`read-back` default, or `ledger`). Unset = read back.
 */
export function ledgerFromEnvironment(env: NodeJS.ProcessEnv, s3: () => S3Client): LedgerOptions | undefined {
  const location = env.FINDINGS_STATE?.trim();
  if (!location) return undefined;
  if (!location.startsWith('s3://')) throw new Error(`FINDINGS_STATE must be s3://bucket/prefix, got "${location}"`);
  const maxAgeDays = env.LEDGER_MAX_AGE_DAYS ? Number(env.LEDGER_MAX_AGE_DAYS) : undefined;
  if (maxAgeDays !== undefined && !(maxAgeDays > 0)) throw new Error(`LEDGER_MAX_AGE_DAYS must be a positive number, got "${env.LEDGER_MAX_AGE_DAYS}"`);
  const decisions = env.LEDGER_DECISIONS?.trim() || undefined;
  if (decisions !== undefined && decisions !== 'read-back' && decisions !== 'ledger') throw new Error(`LEDGER_DECISIONS must be read-back or ledger, got "${decisions}"`);
  return {
    store: ledgerStoreFor(location, s3, env.REPORTS_KMS_KEY_ID),
    ...(maxAgeDays === undefined ? {} : { maxAgeDays }),
    ...(decisions === undefined ? {} : { decisions }),
  };
}

/** IMPORT_RATE_SHARE: this invocation's share of the Security Hub quotas, e.g. 0.2 with 5 parser invocations at once. */
export function rateShareFromEnvironment(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.IMPORT_RATE_SHARE?.trim();
  if (!value) return undefined;
  const share = Number(value);
  if (!(share > 0 && share <= 1)) throw new Error(`IMPORT_RATE_SHARE must be a number in (0, 1], got "${value}"`);
  return share;
}

/**
 * The worker and handler of a report-parser Lambda (SCA, SAST, DAST differ only in their parsers).
 * Direct invokes get a response, partial imports included; S3 events throw on a partial import so that
 * Lambda retries them (the import is idempotent).
 */
export function createScanFunction(config: ScanFunctionConfig) {
  const env = config.env ?? process.env;
  const logger = createLogger(config.serviceName);
  const clients = clientsFromEnvironment(env);
  const defaultFailOn = failOnFromEnv(env.GATE_FAIL_ON);
  const sourceRoots = (env.SOURCE_ROOTS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const ledger = ledgerFromEnvironment(env, () => clients.s3);
  const rateShare = rateShareFromEnvironment(env);
  const metrics = new Metrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE, serviceName: config.serviceName });
  let sts: STSClient | undefined;
  /** One Security Hub client per assumed role, kept for the container's life (credentials refresh themselves). */
  const assumedClients = new Map<string, SecurityHubClient>();
  const securityHubFor = (roleArn: string | undefined): SecurityHubClient => {
    if (!roleArn) return clients.securityHub;
    let client = assumedClients.get(roleArn);
    if (!client) {
      sts ??= new STSClient({});
      client = new SecurityHubClient({
        ...(env.SECURITYHUB_ENDPOINT ? { endpoint: env.SECURITYHUB_ENDPOINT } : {}),
        credentials: assumedRoleCredentials(sts, roleArn, `${config.serviceName}-import`),
      });
      assumedClients.set(roleArn, client);
    }
    return client;
  };

  async function processScan(request: ScanRequest | IgnoredRequest, context: Context, overrides: Partial<IngestDependencies> = {}): Promise<ScanResponse | { status: 'ignored'; reason: string }> {
    if (request.origin === 'ignored') {
      logger.info('Event ignored', { reason: request.reason });
      return { status: 'ignored', reason: request.reason };
    }
    if (request.buildId) logger.setCorrelationId(request.buildId);
    logger.appendKeys({ repository: request.repository, branch: request.branch, commit: request.commit });
    const remaining = typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 900_000;
    const own = awsTargetFromEnvironment(env, context.invokedFunctionArn);
    const account = importAccountFor(own.awsAccountId, request.account, env.IMPORT_ROLE_ARN);
    if (typeof account === 'string') throw new HandlerError('InvalidEvent', account);
    const response = await ingestScan(request, {
      ...clients,
      securityHub: securityHubFor(account.roleArn),
      target: { ...own, awsAccountId: account.awsAccountId },
      parsers: config.parsers,
      logger,
      reportsBucket: env.REPORTS_BUCKET,
      kmsKeyId: env.REPORTS_KMS_KEY_ID,
      defaultFailOn,
      parseOptions: { sourceRoots, qualityRulesAsSecurity: env.SARIF_QUALITY_RULES_AS_SECURITY === 'true' },
      deadline: Date.now() + Math.max(1_000, remaining - DEADLINE_MARGIN_MS),
      ...(ledger ? { ledger } : {}),
      ...(rateShare === undefined ? {} : { rateShare }),
      ...overrides,
    });
    emitScanMetrics(metrics, scanMetrics(response), { tool: response.tool, repository: request.repository, branch: request.branch, category: response.category, account: response.account });
    logger.info('Scan processed', { ...response, failed: response.failed.length, warnings: response.warnings.length });
    if (response.status === 'partial' && request.origin === 's3-event') {
      throw new HandlerError('PartialImport', `${response.failed.length} finding(s) failed and ${response.notSent} were not sent; the event will be retried`, { response });
    }
    return response;
  }

  const handler = createHandler({
    logger,
    schema: scanEventSchema({ repository: env.DEFAULT_REPOSITORY, branch: env.DEFAULT_BRANCH }),
    handle: (request, context) => processScan(request, context),
  });
  return { handler, processScan, logger, clients, metrics };
}
