import { SEVERITY_LABELS, severityRank, truncate, type Partition, type SeverityCounts } from '@devsecops/asff';
import { redactSecrets } from '@devsecops/aws-conventions';
import type { RevisionSummary } from './findings';
import { pipelineConsoleUrl, snsSubject } from '@devsecops/aws-conventions';
import type { ApprovalMessage } from './message';
import type { GateVerdict } from '@devsecops/gate/core';
import type { PolicyDecision } from './policy';
import type { ChangedFinding, RevisionChanges } from './revision-gate';
import type { LocatedRevision } from './revision';

/** What happened to the auto-rejection, for the mail. */
export type RejectionResult =
  | { status: 'not-attempted' }
  | { status: 'rejected' }
  | { status: 'already-completed' }
  | { status: 'failed'; code: string; message: string };

export interface MailInput {
  message: ApprovalMessage;
  partition: Partition;
  located?: LocatedRevision;
  /** Why the revision could not be found, if it could not. */
  locateProblem?: string;
  summary?: RevisionSummary;
  /** Why the findings could not be read, if they could not. */
  findingsProblem?: string;
  /** What this revision changes: new, fixed, suppressed, expired and KEV findings. */
  changes?: RevisionChanges;
  /** The scans' gate, when the policy applies it. */
  gate?: GateVerdict;
  decision: PolicyDecision;
  rejection: RejectionResult;
}

export interface Mail {
  subject: string;
  body: string;
}

/** Removes every occurrence of the approval token, whatever the text is (AWS error messages included). */
export function withoutToken(text: string, token: string): string {
  return token ? text.split(token).join('[approval token withheld]') : text;
}

/**
 * The console's approval review link embeds the token, which must not be mailed. When it does, the console's own
 * pipeline link (consoleLink) is given instead: the Review button is on that page.
 */
export function reviewLink(message: ApprovalMessage, partition: Partition): string {
  const { token, approvalReviewLink, pipelineName } = message.approval;
  if (approvalReviewLink && !approvalReviewLink.includes(token)) return approvalReviewLink;
  if (message.consoleLink && !message.consoleLink.includes(token)) return message.consoleLink;
  return pipelineConsoleUrl(pipelineName, message.region, partition);
}

function countsLine(counts: SeverityCounts): string {
  return [...SEVERITY_LABELS]
    .sort((a, b) => severityRank(b) - severityRank(a))
    .map((label) => `${label} ${counts[label]}`)
    .join(', ');
}

function shortCommit(located: LocatedRevision | undefined): string {
  return located?.revision?.revisionId.slice(0, 12) ?? 'unknown commit';
}

function decisionWord(input: MailInput): string {
  if (input.decision.outcome === 'reject') {
    if (input.rejection.status === 'rejected' || input.rejection.status === 'already-completed') return 'Rejected';
    return 'Rejection failed';
  }
  return 'Approval needed';
}

function subjectCounts(summary: RevisionSummary | undefined): string {
  if (!summary) return 'findings unavailable';
  if (summary.total === 0) return summary.complete ? 'no active findings' : 'findings incomplete';
  const parts = [...SEVERITY_LABELS]
    .sort((a, b) => severityRank(b) - severityRank(a))
    .filter((label) => summary.bySeverity[label] > 0)
    .slice(0, 3)
    .map((label) => `${summary.bySeverity[label]} ${label}`);
  return parts.join(', ') + (summary.complete ? '' : '+');
}

export function mailSubject(input: MailInput): string {
  const { pipelineName, stageName } = input.message.approval;
  return snsSubject(`${decisionWord(input)}: ${pipelineName}/${stageName} @ ${shortCommit(input.located)} - ${subjectCounts(input.summary)}`);
}

function decisionLines(input: MailInput): string[] {
  const { decision, rejection } = input;
  if (decision.outcome !== 'reject') return [`Decision: left to the approvers. ${decision.reason}`];
  switch (rejection.status) {
    case 'rejected':
      return [`Decision: REJECTED automatically. ${decision.reason}`];
    case 'already-completed':
      return [`Decision: the policy rejects (${decision.reason}); the approval had already been completed, so nothing was changed.`];
    case 'failed':
      return [
        `Decision: the policy rejects (${decision.reason}), but the automatic rejection failed (${rejection.code}: ${rejection.message}).`,
        'Please reject it in the console.',
      ];
    default:
      return [`Decision: ${decision.reason}`];
  }
}

function findingLines(input: MailInput): string[] {
  const { summary } = input;
  if (!summary) {
    return [`Findings: could not be read. ${input.findingsProblem ?? ''}`.trim(), 'Check Security Hub before approving.'];
  }
  const lines = [
    `Active findings for this commit: ${summary.total}${summary.complete ? '' : ' (incomplete: not every page could be read in time)'}`,
    `By severity: ${countsLine(summary.bySeverity)}`,
  ];
  const tools = Object.keys(summary.byTool).sort();
  if (tools.length > 0) {
    lines.push('By tool:');
    for (const tool of tools) lines.push(`  ${tool}: ${countsLine(summary.byTool[tool]!)}`);
  }
  if (summary.top.length > 0) {
    lines.push('', `Top ${summary.top.length} finding(s):`);
    summary.top.forEach((f, i) => {
      lines.push(`${i + 1}. [${f.severity}] ${f.tool}: ${f.title}${f.resource ? ` (${f.resource})` : ''}`);
      lines.push(`   ${f.consoleUrl}`);
    });
  }
  return lines;
}

function changeLines(input: MailInput, limit: number): string[] {
  const { changes, gate } = input;
  const lines: string[] = [];
  if (gate) {
    lines.push('', gate.summary);
    gate.findings.slice(0, limit).forEach((f) => {
      lines.push(`  [${f.severity}] ${f.tool}: ${f.title} (${f.location}) blocks: ${f.reasons.map((r) => r.kind).join(', ')}`);
      lines.push(`    ${f.consoleUrl}`);
    });
  }
  if (!changes) return lines;
  const section = (title: string, list: readonly ChangedFinding[]) => {
    if (list.length === 0) return;
    lines.push('', `${title} (${list.length}):`);
    for (const f of list.slice(0, limit)) {
      lines.push(`  [${f.severity}] ${f.tool}: ${f.title} (${f.location})${f.note ? ` - ${f.note}` : ''}`);
      lines.push(`    ${f.consoleUrl}`);
    }
    if (list.length > limit) lines.push(`  … and ${list.length - limit} more`);
  };
  lines.push('', 'What this revision changes:');
  const before = lines.length;
  section('New', changes.added);
  section('Fixed', changes.fixed);
  section('Suppressed', changes.suppressed);
  section('Suppression expired, re-opened', changes.expired);
  section('Known exploited (CISA KEV)', changes.kev);
  if (lines.length === before) lines.push('  nothing new, fixed, suppressed, expired or known exploited');
  return lines;
}

/**
 * The plain-text mail for the approvers: what is being approved, the findings, the decision and the review link.
 * Everything the pipeline author configured is passed through redactSecrets, and the token is removed last.
 */
export function composeMail(input: MailInput): Mail {
  const { approval } = input.message;
  const revision = input.located?.revision;
  const lines = [
    `Pipeline: ${approval.pipelineName}`,
    `Stage: ${approval.stageName}, action: ${approval.actionName}`,
    `Repository: ${input.located?.repository ?? 'unknown'}, branch: ${input.located?.branch ?? 'unknown'}`,
    `Commit: ${revision?.revisionId ?? `unknown (${input.locateProblem ?? 'no source revision'})`}`,
    ...(revision?.revisionUrl ? [`Commit link: ${revision.revisionUrl}`] : []),
    ...(revision?.revisionSummary ? [`Commit message: ${truncate(revision.revisionSummary.replace(/\s+/g, ' '), 200, '...')}`] : []),
    ...(input.located?.pipelineExecutionId ? [`Execution: ${input.located.pipelineExecutionId}`] : []),
    ...(approval.expires ? [`Approval expires: ${approval.expires}`] : []),
    '',
    ...decisionLines(input),
    '',
    ...findingLines(input),
    ...changeLines(input, Math.max(5, input.summary?.top.length ?? 10)),
    '',
    `Review: ${reviewLink(input.message, input.partition)}`,
    `(Open the pipeline and choose Review on stage ${approval.stageName}, action ${approval.actionName}.)`,
    ...(approval.externalEntityLink ? [`Link from the pipeline: ${approval.externalEntityLink}`] : []),
    ...(approval.customData ? ['', `Note from the pipeline: ${approval.customData}`] : []),
  ];
  const body = withoutToken(redactSecrets(lines.join('\n')), approval.token);
  return { subject: withoutToken(mailSubject(input), approval.token), body };
}

/** PutApprovalResult's summary: at most 512 characters, no token. */
export function rejectionSummary(decision: PolicyDecision, located: LocatedRevision | undefined, token: string): string {
  const where = located?.revision ? ` Commit ${located.revision.revisionId.slice(0, 12)}` : '';
  const repo = located?.repository ? ` of ${located.repository}${located.branch ? `@${located.branch}` : ''}` : '';
  return truncate(withoutToken(`${decision.reason}${where}${repo}. Automatic rejection by the devsecops approval policy; details were mailed to the approvers.`, token), 512, '...');
}
