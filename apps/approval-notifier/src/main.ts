import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import {
  ApprovalSnsEventSchema,
  approvalConfigFromEnv,
  isApprovalRequest,
  notifyApprovers,
  type ApprovalConfig,
  type ApprovalOutcome,
  type ApprovalSnsEvent,
  type NotifierDependencies,
} from '@devsecops/approval';
import { awsTargetFromEnvironment } from '@devsecops/asff';
import { redactSecrets } from '@devsecops/aws-conventions';
import { createHandler, createLogger, HandlerError } from '@devsecops/lambda-middleware';
import { DEFAULT_RATE_LIMITS, createRateLimiter } from '@devsecops/securityhub';
import type { Context } from 'aws-lambda';

/** Time kept back from the Lambda's limit so that the mail still goes out after reading findings. */
const MAIL_MARGIN_MS = 10_000;

const logger = createLogger('approval-notifier');
const securityHub = new SecurityHubClient({ maxAttempts: 4, ...(process.env.SECURITYHUB_ENDPOINT ? { endpoint: process.env.SECURITYHUB_ENDPOINT } : {}) });
const sns = new SNSClient({});
const pipelineClients = new Map<string, CodePipelineClient>();
/** GetFindings is limited to 3 rps per account; the bucket lives as long as the container. */
const limiter = createRateLimiter({ ratePerSecond: DEFAULT_RATE_LIMITS.getRps, burst: DEFAULT_RATE_LIMITS.getBurst }, Date.now, (ms) => new Promise((r) => setTimeout(r, ms)));

function codePipelineFor(region: string): CodePipelineClient {
  let client = pipelineClients.get(region);
  if (!client) pipelineClients.set(region, (client = new CodePipelineClient({ region })));
  return client;
}

let config: ApprovalConfig | undefined;
function configuration(): ApprovalConfig {
  try {
    return (config ??= approvalConfigFromEnv(process.env));
  } catch (error) {
    throw new HandlerError('InvalidConfiguration', (error as Error).message);
  }
}

/** A record of the event that was not an approval request: logged and skipped, never an error. */
export interface IgnoredMessage {
  messageId: string;
  reason: string;
}

/**
 * The worker: one approval per SNS record. Every record is handled even if one fails; a failure (the mail could
 * not be sent) is raised afterwards so that Lambda retries the delivery. Records that are not approval requests
 * (the pipeline's CodeStar notifications on the same topic, subscription notices) are logged and skipped.
 */
export async function notifyFromSns(
  event: ApprovalSnsEvent,
  context: Pick<Context, 'invokedFunctionArn' | 'getRemainingTimeInMillis'>,
  overrides: Partial<NotifierDependencies> = {},
): Promise<{ notified: ApprovalOutcome[]; ignored?: IgnoredMessage[] }> {
  const remaining = typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 60_000;
  const deps: NotifierDependencies = {
    codePipeline: codePipelineFor,
    securityHub,
    sns,
    config: configuration(),
    target: awsTargetFromEnvironment(process.env, context.invokedFunctionArn),
    logger,
    limiter,
    findingsDeadline: Date.now() + Math.max(1_000, remaining - MAIL_MARGIN_MS),
    ...overrides,
  };
  const notified: ApprovalOutcome[] = [];
  const ignored: IgnoredMessage[] = [];
  const failures: string[] = [];
  for (const record of event.Records) {
    const message = record.Sns.Message;
    if (record.Sns.Type !== 'Notification' || !isApprovalRequest(message)) {
      const about = isApprovalRequest(message) ? { reason: `an SNS ${record.Sns.Type} message` } : message.notApproval;
      deps.logger.info('Not an approval request: ignored', { messageId: record.Sns.MessageId, type: record.Sns.Type, ...about });
      ignored.push({ messageId: record.Sns.MessageId, reason: about.reason });
      continue;
    }
    try {
      notified.push(await notifyApprovers(message, deps));
    } catch (error) {
      const e = error as Error;
      const text = redactSecrets(`${e.name}: ${e.message}`).split(message.approval.token).join('[approval token withheld]');
      failures.push(`${message.approval.pipelineName}/${message.approval.stageName}: ${text}`);
    }
  }
  if (failures.length > 0) {
    throw new HandlerError('NotificationFailed', `The approvers could not be notified: ${failures.join('; ')}`, { notified: notified.length });
  }
  return { notified, ...(ignored.length > 0 ? { ignored } : {}) };
}

export const handler = createHandler({
  logger,
  schema: ApprovalSnsEventSchema,
  handle: (event, context) => notifyFromSns(event, context),
});
