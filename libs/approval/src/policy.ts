import { SEVERITY_LABELS, severityRank, type SeverityLabel } from '@devsecops/asff';
import * as z from 'zod';
import type { RevisionSummary } from './findings';

/**
 * The approval policy (env APPROVAL_POLICY, JSON):
 * - `maxActive`: per severity, how many ACTIVE findings of exactly that severity the revision may have;
 *   one more and the policy rejects. `{"CRITICAL": 0}` = reject on any critical; `{"HIGH": 5}` = reject above 5 high.
 * - `autoReject`: when false the mail says what the policy would do, and the decision stays with a person.
 */
export const ApprovalPolicySchema = z.strictObject({
  autoReject: z.boolean().default(true),
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
  | { outcome: 'reject'; violations: PolicyViolation[]; reason: string }
  /** A person decides; `violations` is non-empty when the policy would have rejected (autoReject off). */
  | { outcome: 'manual'; violations: PolicyViolation[]; reason: string };

function describeViolations(violations: readonly PolicyViolation[]): string {
  return violations.map((v) => `${v.active} active ${v.severity} (limit ${v.max})`).join(', ');
}

/**
 * What the policy decides for a revision. No summary (findings unreadable, commit unknown) never rejects.
 * An incomplete summary (page limit or deadline reached) holds lower bounds: a limit already exceeded there is
 * exceeded for certain, so it may still reject; staying within the limits proves nothing and is said so.
 */
export function evaluatePolicy(policy: ApprovalPolicy, summary: RevisionSummary | undefined, unavailableReason?: string): PolicyDecision {
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
  if (violations.length > 0) {
    const what = describeViolations(violations);
    return policy.autoReject
      ? { outcome: 'reject', violations, reason: `Rejected by policy: ${what}.` }
      : { outcome: 'manual', violations, reason: `The policy would reject (${what}), but auto-rejection is off: a person decides.` };
  }
  if (!summary.complete) {
    return { outcome: 'manual', violations, reason: 'Not every finding could be read in time; the counts are lower bounds, so a person decides.' };
  }
  return { outcome: 'manual', violations, reason: 'Within policy limits; a person decides.' };
}
