import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { awsTargetFromEnvironment, parseSeverityLabel, type SeverityLabel } from '@devsecops/asff';
import { createHandler, createLogger, HandlerError } from '@devsecops/lambda-middleware';
import type { ReportParser } from '@devsecops/report-input';
import type { Context } from 'aws-lambda';
import { scanEventSchema, type IgnoredRequest, type ScanRequest } from './events';
import { ingestScan, type IngestDependencies, type ScanResponse } from './ingest';

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

  async function processScan(request: ScanRequest | IgnoredRequest, context: Context, overrides: Partial<IngestDependencies> = {}): Promise<ScanResponse | { status: 'ignored'; reason: string }> {
    if (request.origin === 'ignored') {
      logger.info('Event ignored', { reason: request.reason });
      return { status: 'ignored', reason: request.reason };
    }
    if (request.buildId) logger.setCorrelationId(request.buildId);
    logger.appendKeys({ repository: request.repository, branch: request.branch, commit: request.commit });
    const remaining = typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 900_000;
    const response = await ingestScan(request, {
      ...clients,
      target: awsTargetFromEnvironment(env, context.invokedFunctionArn),
      parsers: config.parsers,
      logger,
      reportsBucket: env.REPORTS_BUCKET,
      kmsKeyId: env.REPORTS_KMS_KEY_ID,
      defaultFailOn,
      parseOptions: { sourceRoots, qualityRulesAsSecurity: env.SARIF_QUALITY_RULES_AS_SECURITY === 'true' },
      deadline: Date.now() + Math.max(1_000, remaining - DEADLINE_MARGIN_MS),
      ...overrides,
    });
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
  return { handler, processScan, logger, clients };
}
