import { BatchUpdateFindingsCommand, type AwsSecurityFinding, type SecurityHubClient, type WorkflowStatus } from '@aws-sdk/client-securityhub';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { snsSubject, type LoggerLike } from '@devsecops/aws-conventions';
import type { AwsTarget } from '@devsecops/asff';
import type { ControlId, RemediationConfig } from './config';
import { checkEligibility, hasRequiredTag } from './eligibility';
import { dryRunNote, failedNote, resolvedNote, scrub } from './notes';
import type { Plan, PlaybookContext, RemediationClients, Verification } from './playbook';
import { PLAYBOOKS } from './playbooks';

export interface RemediatorDependencies {
  clients: RemediationClients;
  securityHub: SecurityHubClient;
  /** Needed only with REPORT_TOPIC_ARN. */
  sns?: SNSClient;
  config: RemediationConfig;
  /** The account and Region the remediator runs in. */
  self: AwsTarget;
  logger: LoggerLike;
}

type Stage = 'tags' | 'plan' | 'apply' | 'verify' | 'record';

export type RemediationOutcome =
  | { status: 'skipped'; findingId: string; reason: string }
  | { status: 'planned'; findingId: string; controlId: ControlId; resource: string; compliant: boolean; steps: string[]; followUps: string[] }
  | { status: 'resolved'; findingId: string; controlId: ControlId; resource: string; steps: string[]; followUps: string[]; verification: string }
  | { status: 'failed'; findingId: string; controlId: ControlId; resource: string; stage: Stage; error: string };

class StageError extends Error {
  constructor(
    readonly stage: Stage,
    override readonly cause: unknown,
  ) {
    super(stage);
  }
}

async function at<T>(stage: Stage, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new StageError(stage, error);
  }
}

function describeError(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e?.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e?.message ?? String(error)}`;
}

/** BatchUpdateFindings with our name as UpdatedBy; an unprocessed finding is an error. */
async function record(client: SecurityHubClient, finding: AwsSecurityFinding, text: string, name: string, workflow?: WorkflowStatus): Promise<void> {
  const out = await client.send(
    new BatchUpdateFindingsCommand({
      FindingIdentifiers: [{ Id: finding.Id, ProductArn: finding.ProductArn }],
      Note: { Text: text, UpdatedBy: name },
      ...(workflow ? { Workflow: { Status: workflow } } : {}),
    }),
  );
  const unprocessed = out.UnprocessedFindings?.[0];
  if (unprocessed) throw Object.assign(new Error(unprocessed.ErrorMessage ?? 'finding not updated'), { name: unprocessed.ErrorCode ?? 'UnprocessedFinding' });
}

async function report(deps: RemediatorDependencies, subject: string, lines: string[], secrets: readonly string[]): Promise<void> {
  if (!deps.config.reportTopicArn || !deps.sns) return;
  try {
    await deps.sns.send(new PublishCommand({ TopicArn: deps.config.reportTopicArn, Subject: snsSubject(subject), Message: scrub(lines.join('\n'), secrets) }));
  } catch (error) {
    // The finding note is the record; a lost report is logged, not retried.
    deps.logger.warn('Remediation report not sent', { errorMessage: scrub(describeError(error), secrets) });
  }
}

/**
 * One finding: check it is ours to handle, plan the playbook, then either (dry run) log the plan and mark the finding
 * NOTIFIED with the plan as note, or apply, verify and mark it RESOLVED with what was done. A failure leaves the
 * finding NEW with a note saying what failed, and is returned as `failed` for the caller to report.
 */
export async function remediateFinding(finding: AwsSecurityFinding, deps: RemediatorDependencies): Promise<RemediationOutcome> {
  const { config, logger } = deps;
  const findingId = finding.Id ?? '';
  const eligibility = checkEligibility(finding, config, deps.self);
  if (!eligibility.eligible) {
    logger.info('Finding skipped', { findingId, reason: eligibility.reason });
    return { status: 'skipped', findingId, reason: eligibility.reason };
  }
  const { target } = eligibility;
  const playbook = PLAYBOOKS[target.controlId];
  const ctx: PlaybookContext = { clients: deps.clients, config };
  const base = { findingId, controlId: target.controlId, resource: target.arn };
  let plan: Plan | undefined;
  try {
    if (config.requiredTag) {
      const tags = eligibility.tags ?? (await at('tags', () => playbook.readTags(target, ctx)));
      if (!hasRequiredTag(tags, config.requiredTag)) {
        const reason = `resource lacks the tag ${config.requiredTag.key}${config.requiredTag.value !== undefined ? `=${config.requiredTag.value}` : ''}`;
        logger.info('Finding skipped', { findingId, reason });
        return { status: 'skipped', findingId, reason };
      }
    }
    plan = await at('plan', () => playbook.plan(target, ctx));
    const planned = plan;
    logger.info(config.dryRun ? 'Remediation plan (dry run: nothing is changed)' : 'Remediation plan', {
      ...base,
      dryRun: config.dryRun,
      compliant: planned.compliant,
      steps: planned.steps,
      followUps: planned.followUps,
    });
    const steps = planned.steps.map((s) => s.description);
    if (config.dryRun) {
      await at('record', () => record(deps.securityHub, finding, dryRunNote(planned), config.name, 'NOTIFIED'));
      // The note may only summarise the plan (512 characters); the report, like the log, carries every step.
      if (!planned.compliant || planned.followUps.length > 0) {
        await report(
          deps,
          `Remediation plan (dry run) ${target.controlId}: ${target.name}`,
          [`${playbook.title}`, `Resource: ${target.arn}`, `Finding: ${findingId}`, 'Dry run, nothing was changed. The remediator would:', ...steps.map((s, i) => `${i + 1}) ${s}`), ...planned.followUps.map((f) => `To do: ${f}`)],
          planned.secrets,
        );
      }
      return { status: 'planned', ...base, compliant: planned.compliant, steps, followUps: planned.followUps };
    }
    if (!planned.compliant) await at('apply', () => playbook.apply(planned, ctx));
    const verification: Verification = await at('verify', () => playbook.verify(planned, ctx));
    if (!verification.ok) throw new StageError('verify', new Error(`verification failed: ${verification.detail}`));
    await at('record', () => record(deps.securityHub, finding, resolvedNote(planned, verification, config.name), config.name, 'RESOLVED'));
    logger.info('Remediated and verified', { ...base, steps, verification: verification.detail });
    if (!planned.compliant || planned.followUps.length > 0) {
      await report(
        deps,
        `Remediated ${target.controlId}: ${target.name}`,
        [`${playbook.title}`, `Resource: ${target.arn}`, `Finding: ${findingId}`, 'Done:', ...steps.map((s) => `- ${s}`), `Verified: ${verification.detail}`, ...planned.followUps.map((f) => `To do: ${f}`)],
        planned.secrets,
      );
    }
    return { status: 'resolved', ...base, steps, followUps: planned.followUps, verification: verification.detail };
  } catch (error) {
    const stage: Stage = error instanceof StageError ? error.stage : 'plan';
    const cause = error instanceof StageError ? error.cause : error;
    const secrets = plan?.secrets ?? [];
    const problem = scrub(describeError(cause), secrets);
    logger.error('Remediation failed', { ...base, stage, errorMessage: problem });
    if (stage !== 'record') {
      try {
        await record(deps.securityHub, finding, failedNote(target.controlId, stage, problem, secrets, config.name), config.name);
      } catch (noteError) {
        logger.error('The failure could not be noted on the finding', { findingId, errorMessage: scrub(describeError(noteError), secrets) });
      }
    }
    await report(deps, `Remediation FAILED ${target.controlId}: ${target.name}`, [playbook.title, `Resource: ${target.arn}`, `Finding: ${findingId}`, `Failed at: ${stage}`, `Error: ${problem}`], secrets);
    return { status: 'failed', ...base, stage, error: problem };
  }
}
