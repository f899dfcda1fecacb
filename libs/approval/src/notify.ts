import { PutApprovalResultCommand, type CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AwsTarget, SeverityCounts } from '@devsecops/asff';
import { redactSecrets, type LoggerLike } from '@devsecops/aws-conventions';
import type { RateLimiter } from '@devsecops/securityhub';
import type { ApprovalConfig } from './config';
import { readRevisionFindings, summarizeRevision, type RevisionSummary } from './findings';
import { composeMail, rejectionSummary, withoutToken, type RejectionResult } from './mail';
import type { ApprovalMessage } from './message';
import { evaluatePolicy, type PolicyDecision } from './policy';
import { readFixedFindings, revisionChanges, revisionGate, revisionImportedSince, type RevisionChanges } from './revision-gate';
import type { GateVerdict } from '@devsecops/gate/core';
import { locateRevision, type LocatedRevision } from './revision';

/** The message attribute that carries the pipeline's name on every approvers mail (SNS subscription filters use it). */
export const APPROVAL_PIPELINE_ATTRIBUTE = 'pipeline';

export interface NotifierDependencies {
  /** A CodePipeline client for the pipeline's Region (the message's `region`). */
  codePipeline: (region: string) => CodePipelineClient;
  securityHub: SecurityHubClient;
  sns: SNSClient;
  config: ApprovalConfig;
  /** Account, Region and partition the findings live in. */
  target: AwsTarget;
  logger: LoggerLike;
  /** GetFindings rate limiter, shared by every invocation of the container. */
  limiter: RateLimiter;
  /** Epoch ms after which no more findings pages are read (the mail must still go out). */
  findingsDeadline?: number;
  clock?: () => number;
}

export interface ApprovalOutcome {
  pipelineName: string;
  stageName: string;
  actionName: string;
  commit?: string;
  findings: { total: number; bySeverity: SeverityCounts; complete: boolean } | { unavailable: string };
  decision: PolicyDecision['outcome'];
  rejection: RejectionResult['status'];
  mailMessageId?: string;
}

function errorText(error: unknown, token: string): { code: string; message: string } {
  const e = error as { name?: string; message?: string };
  const code = e?.name && e.name !== 'Error' ? e.name : 'Error';
  return { code, message: withoutToken(redactSecrets(e?.message ?? String(error)), token) };
}

async function rejectApproval(
  client: CodePipelineClient,
  message: ApprovalMessage,
  summary: string,
): Promise<RejectionResult> {
  const { pipelineName, stageName, actionName, token } = message.approval;
  try {
    await client.send(new PutApprovalResultCommand({ pipelineName, stageName, actionName, token, result: { status: 'Rejected', summary } }));
    return { status: 'rejected' };
  } catch (error) {
    const { code, message: text } = errorText(error, token);
    // A retried invocation finds its own earlier rejection (or a person's decision): nothing left to do.
    if (code === 'ApprovalAlreadyCompletedException') return { status: 'already-completed' };
    return { status: 'failed', code, message: text };
  }
}

/**
 * One approval notification: find the commit, summarise its ACTIVE findings, apply the policy (auto-reject only
 * on data actually read), mail the approvers. Problems reading CodePipeline or Security Hub end up in the mail,
 * never in a rejection; only a failed mail is an error (so Lambda retries; the rejection is idempotent).
 */
export async function notifyApprovers(message: ApprovalMessage, deps: NotifierDependencies): Promise<ApprovalOutcome> {
  const { approval } = message;
  const { token } = approval;
  const { config, logger } = deps;
  const where = { pipelineName: approval.pipelineName, stageName: approval.stageName, actionName: approval.actionName };
  const pipelineClient = deps.codePipeline(message.region);

  let located: LocatedRevision | undefined;
  let locateProblem: string | undefined;
  try {
    located = await locateRevision(pipelineClient, where, token, {
      sourceArtifact: config.sourceArtifact,
      repository: config.repository,
      branch: config.branch,
    });
  } catch (error) {
    const { code, message: text } = errorText(error, token);
    locateProblem = `CodePipeline: ${code}: ${text}`;
    logger.warn('The source revision could not be found', { ...where, errorCode: code, errorMessage: text });
  }

  let summary: RevisionSummary | undefined;
  let findingsProblem: string | undefined;
  let gate: GateVerdict | undefined;
  let changes: RevisionChanges | undefined;
  const commit = located?.revision?.revisionId;
  if (!located) {
    findingsProblem = 'the commit being approved is unknown';
  } else if (!commit || !located.repository || !located.branch) {
    findingsProblem = `the ${!commit ? 'commit' : !located.repository ? 'repository' : 'branch'} is unknown (set REPOSITORY/BRANCH, or check the pipeline's Source action)`;
  } else {
    try {
      const read = await readRevisionFindings(deps.securityHub, { repository: located.repository, branch: located.branch, commit }, deps.target, {
        limiter: deps.limiter,
        maxPages: config.maxFindingPages,
        ...(deps.findingsDeadline !== undefined ? { deadline: deps.findingsDeadline } : {}),
        ...(deps.clock ? { clock: deps.clock } : {}),
      });
      summary = summarizeRevision(read.findings, deps.target, config.topFindings, read.complete);
      const all = [...read.findings, ...read.decided];
      gate = revisionGate(all, config.policy, deps.target, new Date((deps.clock ?? Date.now)()));
      const since = revisionImportedSince(all);
      const fixed = since
        ? await readFixedFindings(deps.securityHub, { repository: located.repository, branch: located.branch, commit }, deps.target, since, { limiter: deps.limiter, maxPages: 2 }).catch(
            (error: unknown) => {
              logger.warn('Fixed findings could not be read', { ...where, errorCode: (error as Error)?.name });
              return [];
            },
          )
        : [];
      changes = revisionChanges(read.findings, read.decided, fixed, deps.target);
    } catch (error) {
      const { code, message: text } = errorText(error, token);
      findingsProblem = `Security Hub could not be read: ${code}: ${text}`;
      logger.warn('Findings could not be read', { ...where, commit, errorCode: code, errorMessage: text });
    }
  }

  const decision = evaluatePolicy(config.policy, summary, findingsProblem, gate);
  const rejection: RejectionResult =
    decision.outcome === 'reject' ? await rejectApproval(pipelineClient, message, rejectionSummary(decision, located, token)) : { status: 'not-attempted' };
  if (rejection.status === 'failed') logger.error('Automatic rejection failed', { ...where, errorCode: rejection.code, errorMessage: rejection.message });

  const mail = composeMail({
    message,
    partition: deps.target.partition,
    ...(located ? { located } : {}),
    ...(locateProblem ? { locateProblem } : {}),
    ...(summary ? { summary } : {}),
    ...(findingsProblem ? { findingsProblem } : {}),
    ...(changes ? { changes } : {}),
    ...(gate && config.policy.gate ? { gate } : {}),
    decision,
    rejection,
  });
  const published = await deps.sns.send(
    new PublishCommand({
      TopicArn: config.approversTopicArn,
      Subject: mail.subject,
      Message: mail.body,
      // One approvers topic serves every pipeline of an installation: an application's approvers subscribe with a
      // filter policy on this attribute and get only their own pipeline's mails.
      MessageAttributes: { [APPROVAL_PIPELINE_ATTRIBUTE]: { DataType: 'String', StringValue: approval.pipelineName } },
    }),
  );

  const outcome: ApprovalOutcome = {
    ...where,
    ...(commit ? { commit } : {}),
    findings: summary ? { total: summary.total, bySeverity: summary.bySeverity, complete: summary.complete } : { unavailable: findingsProblem ?? 'unknown' },
    decision: decision.outcome,
    rejection: rejection.status,
    ...(published.MessageId ? { mailMessageId: published.MessageId } : {}),
  };
  logger.info('Approvers notified', { ...outcome });
  return outcome;
}
