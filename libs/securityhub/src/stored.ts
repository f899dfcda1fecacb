import { GetFindingsCommand, type AwsSecurityFindingFilters, type GetFindingsCommandOutput } from '@aws-sdk/client-securityhub';
import { FIELD, defaultProductArn, type AwsSecurityFinding, type ScanScope } from '@devsecops/asff';
import { sendWithRetry, type CallOutcome, type CallRuntime } from './call';
import type { RateLimiter } from './rate-limit';

export const GET_FINDINGS_PAGE_SIZE = 100;

/** GetFindings filters for every finding (ACTIVE and ARCHIVED) of one scope. */
export function scopeFilters(scope: ScanScope): AwsSecurityFindingFilters {
  return {
    ProductArn: [{ Value: defaultProductArn(scope), Comparison: 'EQUALS' }],
    ProductFields: [
      { Key: FIELD.tool, Value: scope.tool, Comparison: 'EQUALS' },
      { Key: FIELD.repository, Value: scope.repository, Comparison: 'EQUALS' },
      { Key: FIELD.branch, Value: scope.branch, Comparison: 'EQUALS' },
    ],
  };
}

/**
 * True when the finding carries exactly this scope's tool, repository and branch. Checked again on our side
 * because the API documents EQUALS filters on one field as joined by OR, and it is not documented whether
 * ProductFields filters with different keys count as one field: archiving another scope's findings would be
 * far worse than reading a few extra pages.
 */
export function belongsToScope(finding: AwsSecurityFinding, scope: ScanScope): boolean {
  const fields = finding.ProductFields ?? {};
  return (
    finding.ProductArn === defaultProductArn(scope) &&
    fields[FIELD.tool] === scope.tool &&
    fields[FIELD.repository] === scope.repository &&
    fields[FIELD.branch] === scope.branch
  );
}

/** Every finding Security Hub holds for the scope, by Id; all pages, through the GetFindings rate limiter. */
export async function readStoredFindings(
  runtime: CallRuntime,
  limiter: RateLimiter,
  scope: ScanScope,
): Promise<CallOutcome<Map<string, AwsSecurityFinding>>> {
  const stored = new Map<string, AwsSecurityFinding>();
  const filters = scopeFilters(scope);
  let nextToken: string | undefined;
  let foreign = 0;
  do {
    const token = nextToken;
    const page = await sendWithRetry<GetFindingsCommandOutput>(runtime, 'GetFindings', limiter, () =>
      runtime.client.send(new GetFindingsCommand({ Filters: filters, MaxResults: GET_FINDINGS_PAGE_SIZE, ...(token ? { NextToken: token } : {}) })),
    );
    if (page.status !== 'ok') return page;
    for (const finding of page.output.Findings ?? []) {
      if (finding.Id === undefined || !belongsToScope(finding, scope)) {
        foreign += 1;
        continue;
      }
      stored.set(finding.Id, finding);
    }
    nextToken = page.output.NextToken || undefined;
  } while (nextToken);
  if (foreign > 0) runtime.logger.warn(`GetFindings returned ${foreign} finding(s) outside the scope; ignored`, { tool: scope.tool });
  return { status: 'ok', output: stored };
}
