import { GetFindingsCommand, type AwsSecurityFindingFilters, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import {
  FIELD,
  SEVERITY_LABELS,
  defaultProductArn,
  emptyCounts,
  isActive,
  severityRank,
  type AwsSecurityFinding,
  type AwsTarget,
  type SeverityCounts,
  type SeverityLabel,
} from '@devsecops/asff';
import type { RateLimiter } from '@devsecops/securityhub';
import { findingConsoleUrl } from '@devsecops/aws-conventions';

/** The revision a pipeline execution is approving. */
export interface RevisionScope {
  repository: string;
  branch: string;
  commit: string;
}

export const GET_FINDINGS_PAGE_SIZE = 100;

/** GetFindings filters for the ACTIVE findings of one commit of one repository branch, from our own product. */
export function revisionFilters(scope: RevisionScope, target: AwsTarget): AwsSecurityFindingFilters {
  return {
    ProductArn: [{ Value: defaultProductArn(target), Comparison: 'EQUALS' }],
    RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
    ProductFields: [
      { Key: FIELD.repository, Value: scope.repository, Comparison: 'EQUALS' },
      { Key: FIELD.branch, Value: scope.branch, Comparison: 'EQUALS' },
      { Key: FIELD.commit, Value: scope.commit, Comparison: 'EQUALS' },
    ],
  };
}

/**
 * Checked again on our side: whether ProductFields filters with different keys are ANDed is not documented
 * (the API joins EQUALS filters on one field with OR), and a foreign finding must not block a deployment.
 */
export function belongsToRevision(finding: AwsSecurityFinding, scope: RevisionScope): boolean {
  const fields = finding.ProductFields ?? {};
  return fields[FIELD.repository] === scope.repository && fields[FIELD.branch] === scope.branch && fields[FIELD.commit] === scope.commit;
}

export interface ReadOptions {
  limiter: RateLimiter;
  /** Stop after this many pages; the result is then marked incomplete. */
  maxPages: number;
  /** Epoch ms after which no further page is requested. */
  deadline?: number;
  clock?: () => number;
}

export interface ReadResult {
  /** Active: not suppressed (what the counts are about). */
  findings: AwsSecurityFinding[];
  /** ACTIVE records a person or the gate decided on in Security Hub (Workflow SUPPRESSED or RESOLVED): for the gate and the mail. */
  decided: AwsSecurityFinding[];
  complete: boolean;
  pages: number;
}

/** Every page of the revision's ACTIVE findings, each request through the GetFindings rate limiter (3 rps quota). */
export async function readRevisionFindings(
  client: SecurityHubClient,
  scope: RevisionScope,
  target: AwsTarget,
  options: ReadOptions,
): Promise<ReadResult> {
  const clock = options.clock ?? Date.now;
  const filters = revisionFilters(scope, target);
  const findings: AwsSecurityFinding[] = [];
  const decided: AwsSecurityFinding[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (pages >= options.maxPages || (options.deadline !== undefined && clock() >= options.deadline)) {
      return { findings, decided, complete: false, pages };
    }
    await options.limiter.acquire();
    const page = await client.send(
      new GetFindingsCommand({ Filters: filters, MaxResults: GET_FINDINGS_PAGE_SIZE, ...(nextToken ? { NextToken: nextToken } : {}) }),
    );
    pages += 1;
    for (const finding of page.Findings ?? []) {
      if (!belongsToRevision(finding, scope) || finding.RecordState === 'ARCHIVED') continue;
      if (isActive(finding)) findings.push(finding);
      else decided.push(finding);
    }
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return { findings, decided, complete: true, pages };
}

export interface TopFinding {
  id: string;
  tool: string;
  severity: SeverityLabel;
  title: string;
  /** The first resource's Id: a package, file or URL. */
  resource?: string;
  consoleUrl: string;
}

export interface RevisionSummary {
  total: number;
  bySeverity: SeverityCounts;
  byTool: Record<string, SeverityCounts>;
  top: TopFinding[];
  /** False when a page limit or the deadline stopped the reading: counts are lower bounds. */
  complete: boolean;
}

/**
 * The severity a person sees in the console: the top-level Label, which carries triage changes made with
 * BatchUpdateFindings, falling back to the provider's own.
 */
export function severityOf(finding: AwsSecurityFinding): SeverityLabel {
  const label = finding.Severity?.Label ?? finding.FindingProviderFields?.Severity?.Label;
  return (SEVERITY_LABELS as readonly string[]).includes(label ?? '') ? (label as SeverityLabel) : 'INFORMATIONAL';
}

export function toolOf(finding: AwsSecurityFinding): string {
  return finding.ProductFields?.[FIELD.tool] ?? finding.ProductName ?? 'unknown';
}

/** Counts by severity and by tool, and the `topCount` most severe findings (ties: tool, then title). */
export function summarizeRevision(findings: readonly AwsSecurityFinding[], target: AwsTarget, topCount: number, complete = true): RevisionSummary {
  const bySeverity = emptyCounts();
  const byTool: Record<string, SeverityCounts> = {};
  const ranked: { finding: AwsSecurityFinding; severity: SeverityLabel; tool: string }[] = [];
  for (const finding of findings) {
    const severity = severityOf(finding);
    const tool = toolOf(finding);
    bySeverity[severity] += 1;
    (byTool[tool] ??= emptyCounts())[severity] += 1;
    ranked.push({ finding, severity, tool });
  }
  ranked.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      a.tool.localeCompare(b.tool) ||
      (a.finding.Title ?? '').localeCompare(b.finding.Title ?? ''),
  );
  const top = ranked.slice(0, Math.max(0, topCount)).map(({ finding, severity, tool }) => ({
    id: finding.Id ?? '',
    tool,
    severity,
    title: finding.Title ?? finding.Id ?? '(untitled)',
    ...(finding.Resources?.[0]?.Id ? { resource: finding.Resources[0].Id } : {}),
    consoleUrl: findingConsoleUrl(finding.Id ?? '', finding.Region ?? target.region, target.partition),
  }));
  return { total: findings.length, bySeverity, byTool, top, complete };
}
