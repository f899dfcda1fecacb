import { GetFindingsCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { FIELD, defaultProductArn, type AwsSecurityFinding, type AwsTarget } from '@devsecops/asff';
import { findingConsoleUrl } from '@devsecops/aws-conventions';
import { evaluateGate, factsOf, type GateVerdict } from '@devsecops/gate/core';
import type { RateLimiter } from '@devsecops/securityhub';
import type { RevisionScope } from './findings';
import type { ApprovalPolicy } from './policy';

/**
 * The scans' gate over the revision's findings as Security Hub holds them: the same library, the same rules;
 * the decisions are the findings' own Workflow and Note (the scans already wrote the repository's suppressions).
 */
export function revisionGate(findings: readonly AwsSecurityFinding[], policy: ApprovalPolicy, target: AwsTarget, now: Date): GateVerdict {
  const gate = policy.gate;
  return evaluateGate(findings, {
    failOn: gate?.failOn ?? 'NONE',
    ...(gate?.slaDays ? { slaDays: gate.slaDays } : {}),
    ...(gate?.failOnEpss !== undefined ? { failOnEpss: gate.failOnEpss } : {}),
    failOnKev: gate?.failOnKev ?? gate !== undefined,
    now,
    region: target.region,
    partition: target.partition,
  });
}

export interface ChangedFinding {
  id: string;
  tool: string;
  severity: string;
  title: string;
  location: string;
  consoleUrl: string;
  /** Suppressed: who and why. */
  note?: string;
}

/** What this revision changes, for the mail. */
export interface RevisionChanges {
  /** First imported by this revision's scans (CreatedAt = UpdatedAt: created and not updated since). */
  added: ChangedFinding[];
  /** Archived as fixed by this revision's scans. */
  fixed: ChangedFinding[];
  suppressed: ChangedFinding[];
  /** Re-opened because their suppression expired. */
  expired: ChangedFinding[];
  /** In CISA KEV (or marked exploited by the scanner). */
  kev: ChangedFinding[];
}

function changed(finding: AwsSecurityFinding, target: AwsTarget, note?: string): ChangedFinding {
  const facts = factsOf(finding);
  return {
    id: facts.id,
    tool: facts.tool,
    severity: facts.severity,
    title: facts.title,
    location: facts.where,
    consoleUrl: findingConsoleUrl(facts.id, finding.Region ?? target.region, target.partition),
    ...(note ? { note } : {}),
  };
}

export function revisionChanges(active: readonly AwsSecurityFinding[], decided: readonly AwsSecurityFinding[], fixed: readonly AwsSecurityFinding[], target: AwsTarget): RevisionChanges {
  return {
    added: active.filter((f) => f.CreatedAt !== undefined && f.CreatedAt === f.UpdatedAt).map((f) => changed(f, target)),
    fixed: fixed.map((f) => changed(f, target)),
    suppressed: decided
      .filter((f) => f.Workflow?.Status === 'SUPPRESSED')
      .map((f) => changed(f, target, `${f.Note?.UpdatedBy ?? 'unknown'}: ${f.Note?.Text ?? 'no note'}`)),
    expired: active.filter((f) => f.Note?.Text?.startsWith('Suppression expired')).map((f) => changed(f, target, f.Note?.Text)),
    kev: active.filter((f) => factsOf(f).exploitAvailable).map((f) => changed(f, target)),
  };
}

/**
 * Findings of the repository branch that the revision's scans archived as fixed: ARCHIVED, State FIXED, updated
 * at or after the revision's first import. One bounded GetFindings pass (the mail's list, not a gate input).
 */
export async function readFixedFindings(
  client: SecurityHubClient,
  scope: RevisionScope,
  target: AwsTarget,
  since: string,
  options: { limiter: RateLimiter; maxPages: number },
): Promise<AwsSecurityFinding[]> {
  const out: AwsSecurityFinding[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    await options.limiter.acquire();
    const page = await client.send(
      new GetFindingsCommand({
        Filters: {
          ProductArn: [{ Value: defaultProductArn(target), Comparison: 'EQUALS' }],
          RecordState: [{ Value: 'ARCHIVED', Comparison: 'EQUALS' }],
          UpdatedAt: [{ Start: since, End: '9999-12-31T23:59:59.999Z' }],
          ProductFields: [
            { Key: FIELD.repository, Value: scope.repository, Comparison: 'EQUALS' },
            { Key: FIELD.branch, Value: scope.branch, Comparison: 'EQUALS' },
            { Key: FIELD.state, Value: 'FIXED', Comparison: 'EQUALS' },
          ],
        },
        MaxResults: 100,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    pages += 1;
    for (const f of page.Findings ?? []) {
      const fields = f.ProductFields ?? {};
      if (fields[FIELD.repository] === scope.repository && fields[FIELD.branch] === scope.branch && fields[FIELD.state] === 'FIXED' && (f.UpdatedAt ?? '') >= since) out.push(f);
    }
    token = page.NextToken || undefined;
  } while (token && pages < options.maxPages);
  return out;
}

/** The earliest UpdatedAt among the revision's findings: when its scans started importing. */
export function revisionImportedSince(findings: readonly AwsSecurityFinding[]): string | undefined {
  const times = findings.map((f) => f.UpdatedAt).filter((t): t is string => typeof t === 'string').sort();
  return times[0];
}
