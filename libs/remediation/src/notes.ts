import { LIMITS, truncate } from '@devsecops/asff';
import { redactSecrets } from '@devsecops/aws-conventions';
import type { Plan, Verification } from './playbook';

/** Removes every known secret value, then anything else that looks like a credential. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('[REDACTED]');
  return redactSecrets(out);
}

function steps(plan: Plan): string {
  return plan.steps.map((s, i) => `${i + 1}) ${s.description}`).join('; ');
}

/** The parts that are present, joined. */
function sentences(...parts: (string | false | undefined)[]): string {
  return parts.filter((p): p is string => !!p).join(' ');
}

function toDo(plan: Plan): string | undefined {
  return plan.followUps.length > 0 ? `To do: ${plan.followUps.join(' ')}` : undefined;
}

/** Note.Text: at most 512 characters, no secret. */
export function noteText(text: string, secrets: readonly string[] = []): string {
  return truncate(scrub(text, secrets), LIMITS.noteText, '…');
}

/** In both notes what a person must still do comes before the steps: a long list of steps is what gets cut at 512 characters. */
export function dryRunNote(plan: Plan): string {
  const what = plan.compliant ? 'nothing to change, the resource already passes the check.' : `would ${steps(plan)}.`;
  return noteText(sentences(`[dry run] ${plan.target.controlId}:`, toDo(plan), what), plan.secrets);
}

export function resolvedNote(plan: Plan, verification: Verification, name: string): string {
  const what = plan.compliant ? 'No change needed.' : `Done: ${steps(plan)}.`;
  return noteText(sentences(`${plan.target.controlId} remediated by ${name}.`, toDo(plan), what, `Verified: ${verification.detail}.`), plan.secrets);
}

export function failedNote(controlId: string, stage: string, problem: string, secrets: readonly string[], name: string): string {
  return noteText(`${controlId} remediation by ${name} failed (${stage}): ${problem}. Left NEW for a person; see the remediator's logs.`, secrets);
}
