import { LIMITS, truncate } from '@devsecops/asff';
import { redactSecrets } from '@devsecops/aws-conventions';
import type { Plan, PlannedStep, Verification } from './playbook';

/** Removes every known secret value, then anything else that looks like a credential. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('[REDACTED]');
  return redactSecrets(out);
}

/** Where the whole plan is when a note had to summarise it. */
export const FULL_PLAN_WHERE = "every step is in the remediator's log";

/** Every step, numbered, as written by the playbook. */
export function stepList(steps: readonly PlannedStep[]): string {
  return steps.map((s, i) => `${i + 1}) ${s.description}`).join('; ');
}

/** The steps as API actions, repeated ones counted: `ssm:PutParameter ×2, iam:PutRolePolicy, codebuild:UpdateProject`. */
export function stepSummary(steps: readonly PlannedStep[]): string {
  const counts = new Map<string, number>();
  for (const step of steps) counts.set(step.action, (counts.get(step.action) ?? 0) + 1);
  return [...counts].map(([action, n]) => (n > 1 ? `${action} ×${n}` : action)).join(', ');
}

function changes(n: number): string {
  return `${n} change${n === 1 ? '' : 's'}`;
}

/** The parts that are present, joined. */
function sentences(...parts: (string | false | undefined)[]): string {
  return parts.filter((p): p is string => !!p).join(' ');
}

/**
 * The first candidate that fits Note.Text (512 characters) once scrubbed. Candidates go from the whole text to
 * shorter summaries, each made of whole sentences: a note summarises, it never cuts a step or a sentence in half.
 * The last candidate is short by construction; the final truncate is only a guard for a pathological resource name.
 */
function fitting(candidates: readonly string[], secrets: readonly string[]): string {
  for (const candidate of candidates) {
    const text = scrub(candidate, secrets);
    if (text.length <= LIMITS.noteText) return text;
  }
  return noteText(candidates[candidates.length - 1]!, secrets);
}

/** Note.Text: at most 512 characters, no secret. For free text (errors), where cutting is all one can do. */
export function noteText(text: string, secrets: readonly string[] = []): string {
  return truncate(scrub(text, secrets), LIMITS.noteText, '…');
}

/** What a person must still do: all of it, or the first item and how many more. */
function toDoCandidates(plan: Plan): (string | undefined)[] {
  const [first, ...rest] = plan.followUps;
  if (!first) return [undefined];
  return [`To do: ${plan.followUps.join(' ')}`, ...(rest.length > 0 ? [`To do: ${first} (+${rest.length} more).`] : []), `To do: ${plan.followUps.length} item(s), ${FULL_PLAN_WHERE}.`];
}

/**
 * The notes put what a person must still do before the steps. When everything does not fit in 512 characters the
 * steps are summarised by API action (`ssm:PutParameter ×2, …`), then the to-do list is shortened; the whole plan is
 * always in the log and the report.
 */
function planNote(lead: string, plan: Plan, stepsVerb: string, trailer?: string): string {
  if (plan.compliant) return fitting([sentences(lead, ...toDoCandidates(plan).slice(0, 1), stepsVerb === 'would' ? 'nothing to change, the resource already passes the check.' : 'No change needed.', trailer)], plan.secrets);
  const whole = stepsVerb === 'would' ? `would ${stepList(plan.steps)}.` : `Done: ${stepList(plan.steps)}.`;
  const summary =
    stepsVerb === 'would'
      ? `would make ${changes(plan.steps.length)}: ${stepSummary(plan.steps)} (${FULL_PLAN_WHERE}).`
      : `Done: ${changes(plan.steps.length)}: ${stepSummary(plan.steps)} (${FULL_PLAN_WHERE}).`;
  const bare = stepsVerb === 'would' ? `would make ${changes(plan.steps.length)} (${FULL_PLAN_WHERE}).` : `Done: ${changes(plan.steps.length)} (${FULL_PLAN_WHERE}).`;
  const toDos = toDoCandidates(plan);
  const candidates = [
    sentences(lead, toDos[0], whole, trailer),
    ...toDos.map((toDo) => sentences(lead, toDo, summary, trailer)),
    ...toDos.map((toDo) => sentences(lead, toDo, bare, trailer)),
    sentences(lead, bare),
  ];
  return fitting(candidates, plan.secrets);
}

export function dryRunNote(plan: Plan): string {
  return planNote(`[dry run] ${plan.target.controlId}:`, plan, 'would');
}

export function resolvedNote(plan: Plan, verification: Verification, name: string): string {
  return planNote(`${plan.target.controlId} remediated by ${name}.`, plan, 'done', `Verified: ${verification.detail}.`);
}

export function failedNote(controlId: string, stage: string, problem: string, secrets: readonly string[], name: string): string {
  const lead = `${controlId} remediation by ${name} failed (${stage}):`;
  const tail = "Left NEW for a person; see the remediator's logs.";
  // The error text is free text: it is the one part that may be shortened, and the sentences around it stay whole.
  const room = LIMITS.noteText - lead.length - tail.length - 4;
  const shown = scrub(problem, secrets);
  return noteText(`${lead} ${shown.length > room ? truncate(shown, Math.max(0, room), '…') : shown}. ${tail}`, secrets);
}
