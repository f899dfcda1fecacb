import { Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import { awsTargetFromEnvironment } from '@devsecops/asff';
import { parseEpssThreshold, parseFailOn, parseGateMode, parseSlaDays, type FailOn, type GateSettings } from '@devsecops/gate';
import { createHandler, createLogger, HandlerError } from '@devsecops/lambda-middleware';
import type { ReportParser } from '@devsecops/report-input';
import { ledgerStoreFor, type LedgerOptions } from '@devsecops/securityhub';
import type { Context } from 'aws-lambda';
import { assumedRoleCredentials, importAccountFor } from './accounts';
import { scanEventSchema, type IgnoredRequest, type ScanRequest } from './events';
import type { GateFileRef } from './events';
import { ingestScan, type GateDefaultsSources, type IngestDependencies, type ScanResponse } from './ingest';
import { emitScanMetrics, METRICS_NAMESPACE, scanMetrics } from './metrics';

/** Time kept back from the Lambda's limit so the importer stops cleanly and the response still goes out. */
const DEADLINE_MARGIN_MS = 15_000;

export interface ScanFunctionConfig {
  serviceName: string;
  parsers: readonly ReportParser[];
  env?: NodeJS.ProcessEnv;
}

function failOnFromEnv(value: string | undefined): FailOn {
  if (!value) return 'HIGH';
  const failOn = parseFailOn(value);
  if (typeof failOn === 'object') throw new Error(`GATE_FAIL_ON ${failOn.error}`);
  return failOn;
}

function s3Ref(name: string, value: string): GateFileRef {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(value.trim());
  if (!m) throw new Error(`${name} must list s3://bucket/key URIs, got "${value}"`);
  return { kind: 's3', bucket: m[1]!, key: m[2]! };
}

function valueOf<T>(name: string, parsed: T | { error: string }): T {
  if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) throw new Error(`${name} ${(parsed as { error: string }).error}`);
  return parsed as T;
}

/** The gate's configuration from GATE_* variables (parser README, "Parser Lambda configuration"). */
export function gateDefaultsFromEnv(env: NodeJS.ProcessEnv): { settings: Partial<GateSettings>; sources: GateDefaultsSources } {
  const list = (name: string) => (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((v) => s3Ref(name, v));
  const settings: Partial<GateSettings> = {
    ...(env.GATE_MODE ? { mode: valueOf('GATE_MODE', parseGateMode(env.GATE_MODE)) } : {}),
    ...(env.GATE_BASE_BRANCH ? { baseBranch: env.GATE_BASE_BRANCH.trim() } : {}),
    ...(env.GATE_SLA_DAYS ? { slaDays: valueOf('GATE_SLA_DAYS', parseSlaDays(env.GATE_SLA_DAYS)) } : {}),
    ...(env.GATE_FAIL_ON_EPSS ? { failOnEpss: valueOf('GATE_FAIL_ON_EPSS', parseEpssThreshold(env.GATE_FAIL_ON_EPSS)) } : {}),
    ...(env.GATE_FAIL_ON_KEV ? { failOnKev: env.GATE_FAIL_ON_KEV.trim().toLowerCase() !== 'false' } : {}),
  };
  if (env.GATE_ON_DECISION_READ_ERROR) {
    const value = env.GATE_ON_DECISION_READ_ERROR.trim().toLowerCase();
    if (value !== 'fail' && value !== 'ignore') throw new Error(`GATE_ON_DECISION_READ_ERROR must be fail or ignore, got "${env.GATE_ON_DECISION_READ_ERROR}"`);
    settings.onDecisionReadError = value;
  }
  const kev = env.GATE_KEV_URI ? s3Ref('GATE_KEV_URI', env.GATE_KEV_URI) : undefined;
  const epss = env.GATE_EPSS_URI ? s3Ref('GATE_EPSS_URI', env.GATE_EPSS_URI) : undefined;
  const sources: GateDefaultsSources = {
    ...(env.GATE_SUPPRESSIONS_URIS ? { suppressions: list('GATE_SUPPRESSIONS_URIS') } : {}),
    ...(env.GATE_VEX_URIS ? { vex: list('GATE_VEX_URIS') } : {}),
    ...(kev ? { kev } : {}),
    ...(epss ? { epss } : {}),
  };
  return { settings, sources };
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
  const gateDefaults = gateDefaultsFromEnv(env);
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
    const account = importAccountFor(own.awsAccountId, request.account, env.IMPORT_ROLE_ARN, request.importRoleArn);
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
      gateDefaults,
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
