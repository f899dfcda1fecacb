import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { awsTargetFromEnvironment } from '@devsecops/asff';
import { createHandler, createLogger, HandlerError } from '@devsecops/lambda-middleware';
import {
  FindingsImportedEventSchema,
  remediateFinding,
  remediationConfigFromEnv,
  type FindingsImportedEvent,
  type RemediationClients,
  type RemediationConfig,
  type RemediationOutcome,
  type RemediatorDependencies,
} from '@devsecops/remediation';
import type { Context } from 'aws-lambda';

const logger = createLogger('auto-remediator');
const securityHub = new SecurityHubClient({ maxAttempts: 4, ...(process.env.SECURITYHUB_ENDPOINT ? { endpoint: process.env.SECURITYHUB_ENDPOINT } : {}) });
const sns = new SNSClient({});

/** One client per service and Region, kept for the container's life. */
function perRegion<T>(make: (region: string) => T): (region: string) => T {
  const clients = new Map<string, T>();
  return (region) => {
    let client = clients.get(region);
    if (!client) clients.set(region, (client = make(region)));
    return client;
  };
}

const iam = new IAMClient({});
const clients: RemediationClients = {
  codeBuild: perRegion((region) => new CodeBuildClient({ region })),
  ssm: perRegion((region) => new SSMClient({ region })),
  iam: () => iam,
  cloudTrail: perRegion((region) => new CloudTrailClient({ region })),
  s3: perRegion((region) => new S3Client({ region, followRegionRedirects: true })),
  kms: perRegion((region) => new KMSClient({ region })),
};

let config: RemediationConfig | undefined;
function configuration(): RemediationConfig {
  try {
    return (config ??= remediationConfigFromEnv(process.env));
  } catch (error) {
    throw new HandlerError('InvalidConfiguration', (error as Error).message);
  }
}

/**
 * The worker: every finding of the event through remediateFinding. A failed playbook has already left its note on
 * the finding; the invocation then fails so the error shows in the function's metrics and on-failure destination.
 */
export async function remediateEvent(
  event: FindingsImportedEvent,
  context: Pick<Context, 'invokedFunctionArn'>,
  overrides: Partial<RemediatorDependencies> = {},
): Promise<{ outcomes: RemediationOutcome[] }> {
  const deps: RemediatorDependencies = {
    clients,
    securityHub,
    sns,
    config: configuration(),
    self: awsTargetFromEnvironment(process.env, context.invokedFunctionArn),
    logger,
    ...overrides,
  };
  const outcomes: RemediationOutcome[] = [];
  for (const finding of event.detail.findings) outcomes.push(await remediateFinding(finding, deps));
  const failed = outcomes.filter((o): o is Extract<RemediationOutcome, { status: 'failed' }> => o.status === 'failed');
  if (failed.length > 0) {
    throw new HandlerError(
      'RemediationFailed',
      failed.map((f) => `${f.controlId} on ${f.resource} failed at ${f.stage}: ${f.error}`).join('; '),
      { outcomes },
    );
  }
  return { outcomes };
}

export const handler = createHandler({
  logger,
  schema: FindingsImportedEventSchema,
  handle: (event, context) => remediateEvent(event, context),
});
