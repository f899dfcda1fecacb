import { GetFindingsCommand, type AwsSecurityFindingFilters, type GetFindingsCommandOutput } from '@aws-sdk/client-securityhub';
import { FIELD, defaultProductArn, normalizeCategory, type AwsSecurityFinding, type ScanScope } from '@devsecops/asff';
import { sendWithRetry, type CallOutcome, type CallRuntime } from './call';
import type { RateLimiter } from './rate-limit';

export const GET_FINDINGS_PAGE_SIZE = 100;

/**
 * GetFindings filters for every finding (ACTIVE and ARCHIVED) of one scan identity. A scope without a category
 * cannot filter on the field being absent, so it reads the tool + repository + branch and `belongsToScope` drops
 * the categorised findings on our side.
 */
export function scopeFilters(scope: ScanScope): AwsSecurityFindingFilters {
  const category = normalizeCategory(scope.category);
  return {
    ProductArn: [{ Value: defaultProductArn(scope), Comparison: 'EQUALS' }],
    ProductFields: [
      { Key: FIELD.tool, Value: scope.tool, Comparison: 'EQUALS' },
      { Key: FIELD.repository, Value: scope.repository, Comparison: 'EQUALS' },
      { Key: FIELD.branch, Value: scope.branch, Comparison: 'EQUALS' },
      ...(category === undefined ? [] : [{ Key: FIELD.category, Value: category, Comparison: 'EQUALS' as const }]),
    ],
  };
}

/** `tool repository@branch [category]`, for logs and messages. */
export function describeScope(scope: ScanScope): string {
  const category = normalizeCategory(scope.category);
  return `${scope.tool} ${scope.repository}@${scope.branch}${category === undefined ? '' : ` [${category}]`}`;
}

/**
 * True when the finding carries exactly this scope's tool, repository, branch and category (a finding without a
 * Category field belongs to the no-category scope, which is every finding imported before categories existed;
 * a categorised finding never does). Checked again on our side
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
    fields[FIELD.branch] === scope.branch &&
    normalizeCategory(fields[FIELD.category]) === normalizeCategory(scope.category)
  );
}

/** GetFindings accepts at most 20 values per filter attribute (API reference, GetFindings `Filters`). */
export const FILTER_VALUES_MAX = 20;

/** Every page of one GetFindings query, through the rate limiter; findings outside the scope are dropped. */
async function readPages(
  runtime: CallRuntime,
  limiter: RateLimiter,
  scope: ScanScope,
  filters: AwsSecurityFindingFilters,
  into: Map<string, AwsSecurityFinding>,
): Promise<CallOutcome<number>> {
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
      into.set(finding.Id, finding);
    }
    nextToken = page.output.NextToken || undefined;
  } while (nextToken);
  return { status: 'ok', output: foreign };
}

/** Every finding Security Hub holds for the scope, by Id; all pages, through the GetFindings rate limiter. */
export async function readStoredFindings(
  runtime: CallRuntime,
  limiter: RateLimiter,
  scope: ScanScope,
): Promise<CallOutcome<Map<string, AwsSecurityFinding>>> {
  const stored = new Map<string, AwsSecurityFinding>();
  const read = await readPages(runtime, limiter, scope, scopeFilters(scope), stored);
  if (read.status !== 'ok') return read;
  if (read.output > 0) runtime.logger.warn(`GetFindings returned ${read.output} finding(s) outside the scope; ignored`, { tool: scope.tool });
  return { status: 'ok', output: stored };
}

/**
 * The full stored findings with these Ids (to archive them, Security Hub needs the whole finding again, asff.md
 * §8): Id filters of ≤ 20 values each, so archiving k findings costs ⌈k / 20⌉ calls. An Id Security Hub does not
 * return (deleted by retention, or not yet visible: GetFindings is eventually consistent) is simply absent.
 */
export async function readFindingsByIds(
  runtime: CallRuntime,
  limiter: RateLimiter,
  scope: ScanScope,
  ids: readonly string[],
): Promise<CallOutcome<Map<string, AwsSecurityFinding>>> {
  const found = new Map<string, AwsSecurityFinding>();
  for (let start = 0; start < ids.length; start += FILTER_VALUES_MAX) {
    const chunk = ids.slice(start, start + FILTER_VALUES_MAX);
    const filters: AwsSecurityFindingFilters = {
      ProductArn: [{ Value: defaultProductArn(scope), Comparison: 'EQUALS' }],
      Id: chunk.map((id) => ({ Value: id, Comparison: 'EQUALS' as const })),
    };
    const read = await readPages(runtime, limiter, scope, filters, found);
    if (read.status !== 'ok') return read;
  }
  return { status: 'ok', output: found };
}

/** Workflow statuses a person sets in the console that the gate must honour. */
export const DECISION_STATUSES = ['NOTIFIED', 'RESOLVED', 'SUPPRESSED'] as const;

/**
 * The scope's ACTIVE findings that carry a decision (Workflow NOTIFIED, RESOLVED or SUPPRESSED), by Id: usually
 * one GetFindings page, however big the scope, because most findings are NEW. BatchUpdateFindings does not change
 * UpdatedAt, so a ledger cannot tell that a decision was made; this cheap read tells it.
 */
export async function readDecisions(
  runtime: CallRuntime,
  limiter: RateLimiter,
  scope: ScanScope,
): Promise<CallOutcome<Map<string, AwsSecurityFinding>>> {
  const found = new Map<string, AwsSecurityFinding>();
  const filters: AwsSecurityFindingFilters = {
    ...scopeFilters(scope),
    RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
    WorkflowStatus: DECISION_STATUSES.map((status) => ({ Value: status, Comparison: 'EQUALS' as const })),
  };
  const read = await readPages(runtime, limiter, scope, filters, found);
  if (read.status !== 'ok') return read;
  return { status: 'ok', output: found };
}
