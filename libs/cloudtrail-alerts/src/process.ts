import { BatchImportFindingsCommand, type AwsSecurityFinding, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { LoggerLike } from '@devsecops/aws-conventions';
import { severityRank, validateFinding, type AwsTarget, type SeverityLabel } from '@devsecops/asff';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { redactSecrets } from '@devsecops/aws-conventions';
import { buildAlertFinding, composeAlertMessage } from './alert';
import { matchesPattern, type AlerterConfig, type WatchList } from './config';
import { describeChange, type ChangeDescription, type ResourceKind } from './describe';
import type { CloudTrailDetail } from './event';
import { judgeChange } from './severity';

export interface AlerterDependencies {
  securityHub: SecurityHubClient;
  sns: SNSClient;
  config: AlerterConfig;
  target: AwsTarget;
  logger: LoggerLike;
}

export type AlertOutcome =
  | { status: 'ignored'; eventId: string; eventName: string; reason: string }
  | {
      status: 'alerted';
      eventId: string;
      eventName: string;
      severity: SeverityLabel;
      findingId?: string;
      imported: boolean;
      mailed: boolean;
      mailMessageId?: string;
    };

const WATCH_KEY: Record<ResourceKind, keyof WatchList | undefined> = {
  pipeline: 'pipelines',
  project: 'projects',
  trail: 'trails',
  parameter: 'parameters',
  other: undefined,
};

/** The resources of the change that the configuration watches (all of them when the list for their kind is empty). */
export function watchedResources(change: ChangeDescription, watch: WatchList): ChangeDescription['resources'] {
  return change.resources.filter((r) => {
    const key = WATCH_KEY[r.kind];
    return key === undefined || matchesPattern(r.name, watch[key]);
  });
}

export class AlertDeliveryError extends Error {
  constructor(message: string, readonly outcome: AlertOutcome) {
    super(message);
    this.name = 'AlertDeliveryError';
  }
}

function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return redactSecrets(`${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`);
}

async function importFinding(client: SecurityHubClient, finding: AwsSecurityFinding): Promise<void> {
  const response = await client.send(new BatchImportFindingsCommand({ Findings: [finding] }));
  const failed = response.FailedFindings?.[0];
  if ((response.FailedCount ?? 0) > 0 || failed) {
    throw Object.assign(new Error(failed?.ErrorMessage ?? 'the finding was refused'), { name: failed?.ErrorCode ?? 'FindingRefused' });
  }
}

/**
 * One CloudTrail API call: describe it, judge it, import a finding and mail an alert. Both deliveries are tried;
 * if either fails an AlertDeliveryError is thrown so the event is retried (the finding Id and UpdatedAt are fixed
 * per event, so a second import changes nothing).
 */
export async function processCloudTrailEvent(detail: CloudTrailDetail, deps: AlerterDependencies): Promise<AlertOutcome> {
  const { config, logger } = deps;
  const described = describeChange(detail, deps.target.awsAccountId);
  const base = { eventId: described.eventId, eventName: described.eventName };
  if (detail.readOnly === true) return { status: 'ignored', ...base, reason: 'read-only call' };
  const resources = watchedResources(described, config.watch);
  if (described.resources.length > 0 && resources.length === 0) {
    logger.info('Change to an unwatched resource ignored', { ...base, resources: described.resources.map((r) => r.name) });
    return { status: 'ignored', ...base, reason: 'no watched resource' };
  }
  const change: ChangeDescription = { ...described, resources };
  const judgement = judgeChange(change, detail.requestParameters, config, detail.responseElements);
  const logged = { ...base, severity: judgement.severity, principal: change.actor.arn, resources: resources.map((r) => r.arn), failed: change.failure?.code };

  const problems: string[] = [];
  let finding: AwsSecurityFinding | undefined;
  let imported = false;
  if (config.importFindings) {
    finding = buildAlertFinding(change, judgement, deps.target);
    const invalid = validateFinding(finding);
    if (invalid.length > 0) {
      problems.push(`the finding is invalid: ${invalid.map((p) => `${p.path} ${p.message}`).join('; ')}`);
      finding = undefined;
    } else {
      try {
        await importFinding(deps.securityHub, finding);
        imported = true;
      } catch (error) {
        problems.push(`Security Hub import failed: ${errorText(error)}`);
      }
    }
  }

  let mailed = false;
  let mailMessageId: string | undefined;
  if (severityRank(judgement.severity) >= severityRank(config.minMailSeverity)) {
    const message = composeAlertMessage(change, judgement, imported ? finding : undefined, deps.target);
    try {
      const published = await deps.sns.send(new PublishCommand({ TopicArn: config.alertTopicArn, Subject: message.subject, Message: message.body }));
      mailed = true;
      mailMessageId = published.MessageId;
    } catch (error) {
      problems.push(`SNS publish failed: ${errorText(error)}`);
    }
  }

  const outcome: AlertOutcome = {
    status: 'alerted',
    ...base,
    severity: judgement.severity,
    ...(finding?.Id ? { findingId: finding.Id } : {}),
    imported,
    mailed,
    ...(mailMessageId ? { mailMessageId } : {}),
  };
  if (problems.length > 0) {
    logger.error('Alert not fully delivered', { ...logged, problems });
    throw new AlertDeliveryError(`The alert for ${described.eventName} (${described.eventId}) was not fully delivered: ${problems.join('; ')}`, outcome);
  }
  logger.info('Alert delivered', { ...logged, imported, mailed });
  return outcome;
}
