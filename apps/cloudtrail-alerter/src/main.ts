import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { awsTargetFromEnvironment } from '@devsecops/asff';
import {
  AlertDeliveryError,
  CloudTrailApiCallEventSchema,
  alerterConfigFromEnv,
  processCloudTrailEvent,
  type AlertOutcome,
  type AlerterConfig,
  type AlerterDependencies,
  type CloudTrailApiCallEvent,
} from '@devsecops/cloudtrail-alerts';
import { createHandler, createLogger, HandlerError } from '@devsecops/lambda-middleware';
import type { Context } from 'aws-lambda';

const logger = createLogger('cloudtrail-alerter');
const securityHub = new SecurityHubClient({ maxAttempts: 4, ...(process.env.SECURITYHUB_ENDPOINT ? { endpoint: process.env.SECURITYHUB_ENDPOINT } : {}) });
const sns = new SNSClient({});

let config: AlerterConfig | undefined;
function configuration(): AlerterConfig {
  try {
    return (config ??= alerterConfigFromEnv(process.env));
  } catch (error) {
    throw new HandlerError('InvalidConfiguration', (error as Error).message);
  }
}

/** The worker: one EventBridge event = one CloudTrail API call → a Security Hub finding and an SNS alert. */
export async function alertOnApiCall(
  event: CloudTrailApiCallEvent,
  context: Pick<Context, 'invokedFunctionArn'>,
  overrides: Partial<AlerterDependencies> = {},
): Promise<AlertOutcome> {
  const deps: AlerterDependencies = {
    securityHub,
    sns,
    config: configuration(),
    target: awsTargetFromEnvironment(process.env, context.invokedFunctionArn),
    logger,
    ...overrides,
  };
  try {
    return await processCloudTrailEvent(event.detail, deps);
  } catch (error) {
    if (error instanceof AlertDeliveryError) throw new HandlerError('AlertNotDelivered', error.message, { outcome: error.outcome });
    throw error;
  }
}

export const handler = createHandler({
  logger,
  schema: CloudTrailApiCallEventSchema,
  handle: (event, context) => alertOnApiCall(event, context),
});
