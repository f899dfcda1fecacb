import { SEVERITY_LABELS, parseSeverityLabel, severityRank, type SeverityLabel } from '@devsecops/asff';
import { parseFailOn, type FailOn, type GateVerdict } from '@devsecops/gate/core';
import * as z from 'zod';
import type { RevisionSummary } from './findings';

/**
 * The approval policy (env APPROVAL_POLICY, JSON):
 * - `maxActive`: per severity, how many ACTIVE findings of exactly that severity the revision may have;
 *   one more and the policy rejects. `{"CRITICAL": 0}` = reject on any critical; `{"HIGH": 5}` = reject above 5 high.
 * - `autoReject`: when false the mail says what the policy would do, and the decision stays with a person.
 * - `gate`: the scans' gate (@devsecops/gate) over the revision's findings: `failOn`, `slaDays`, `failOnEpss`,
 *   `failOnKev` (default true); the policy rejects when it fails. Suppressed findings never count.
 */
export const GatePolicySchema = z.strictObject({
  failOn: z.string().transform((value, ctx): FailOn => {
    const parsed = parseFailOn(value);
    if (typeof parsed === 'object') {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return parsed;
  }),
  slaDays: z
    .record(z.string(), z.number().int().min(0))
    .transform((days, ctx) => {
      const out: Partial<Record<SeverityLabel, number>> = {};
      for (const [key, n] of Object.entries(days)) {
        const label = parseSeverityLabel(key);
        if (!label) ctx.addIssue({ code: 'custom', path: [key], message: `is not a severity; use ${SEVERITY_LABELS.join(', ')}` });
        else out[label] = n;
      }
      return out;
    })
    .optional(),
  failOnEpss: z.number().min(0).max(1).optional(),
  failOnKev: z.boolean().optional(),
});

export const ApprovalPolicySchema = z.strictObject({
  autoReject: z.boolean().default(true),
  gate: GatePolicySchema.optional(),
  maxActive: z
    .record(z.string(), z.number().int().min(0))
    .transform((limits, ctx) => {
      const out: Partial<Record<SeverityLabel, number>> = {};
      for (const [key, max] of Object.entries(limits)) {
        const label = key.trim().toUpperCase();
        if (!(SEVERITY_LABELS as readonly string[]).includes(label)) {
          ctx.addIssue({ code: 'custom', path: [key], message: `is not a severity; use ${SEVERITY_LABELS.join(', ')}` });
          continue;
        }
        out[label as SeverityLabel] = max;
      }
      return out;
    })
    .default({ CRITICAL: 0 }),
});

export type ApprovalPolicy = z.infer<typeof ApprovalPolicySchema>;

export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = { autoReject: true, maxActive: { CRITICAL: 0 } };

export interface PolicyViolation {
  severity: SeverityLabel;
  active: number;
  max: number;
}

export type PolicyDecision =
  /** The policy rejects and auto-rejection is on. */
  | { outcome: 'reject'; violations: PolicyViolation[]; reason: string; gate?: GateVerdict }
  /** A person decides; `violations` is non-empty when the policy would have rejected (autoReject off). */
  | { outcome: 'manual'; violations: PolicyViolation[]; reason: string; gate?: GateVerdict };

function describeViolations(violations: readonly PolicyViolation[]): string {
  return violations.map((v) => `${v.active} active ${v.severity} (limit ${v.max})`).join(', ');
}

/**
 * What the policy decides for a revision. No summary (findings unreadable, commit unknown) never rejects.
 * An incomplete summary (page limit or deadline reached) holds lower bounds: a limit already exceeded there is
 * exceeded for certain, so it may still reject; staying within the limits proves nothing and is said so.
 */
export function evaluatePolicy(policy: ApprovalPolicy, summary: RevisionSummary | undefined, unavailableReason?: string, gate?: GateVerdict): PolicyDecision {
  if (!summary) {
    return {
      outcome: 'manual',
      violations: [],
      reason: `Findings could not be read (${unavailableReason ?? 'unknown reason'}); auto-rejection never happens on missing data.`,
    };
  }
  const violations: PolicyViolation[] = (Object.entries(policy.maxActive) as [SeverityLabel, number][])
    .filter(([severity, max]) => summary.bySeverity[severity] > max)
    .map(([severity, max]) => ({ severity, active: summary.bySeverity[severity], max }))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const gateFails = policy.gate !== undefined && gate !== undefined && !gate.passed;
  if (violations.length > 0 || gateFails) {
    const what = [...(violations.length > 0 ? [describeViolations(violations)] : []), ...(gateFails ? [gate.summary] : [])].join('; ');
    const withGate = gateFails ? { gate } : {};
    return policy.autoReject
      ? { outcome: 'reject', violations, reason: `Rejected by policy: ${what}.`, ...withGate }
      : { outcome: 'manual', violations, reason: `The policy would reject (${what}), but auto-rejection is off: a person decides.`, ...withGate };
  }
  if (!summary.complete) {
    return { outcome: 'manual', violations, reason: 'Not every finding could be read in time; the counts are lower bounds, so a person decides.' };
  }
  return { outcome: 'manual', violations, reason: 'Within policy limits; a person decides.' };
}
