import { SonarQubeError, redactor } from './errors';
import { fetchAll, type SearchResult, type SearchSpec } from './fetch-all';
import { DEFAULT_RETRY, createTransport, type FetchFunction, type RetryPolicy } from './http';
import { waitForTask, type WaitOptions } from './ce-task';
import {
  ISSUE_TYPES,
  MAX_PAGE_SIZE,
  componentParameterFor,
  creationBoundParams,
  hotspotProjectParameterFor,
  describeSlice,
  hotspotSearchParams,
  issueSearchParams,
  parseSonarDateTime,
  splitHotspotSlice,
  splitIssueSlice,
  type CreationBounds,
  type HotspotSlice,
  type IssueQueryOptions,
  type IssueSlice,
} from './plan';
import type { CeTask, ClientLogger, HotspotsSearchResponse, IssuesSearchResponse, ProjectRef, SonarQubeExport } from './types';

export interface SonarQubeClientOptions {
  /** Base URL, e.g. https://sonarqube.example.com or https://example.com/sonar. */
  serverUrl: string;
  /** A user, project analysis or global token. Never logged. */
  token: string;
  /** `basic` (default: every SonarQube version) or `bearer` (10.x and later). */
  authScheme?: 'basic' | 'bearer';
  /** For tests and proxies; defaults to the global fetch. */
  fetch?: FetchFunction;
  /** Server version (report-task.txt `serverVersion`), to pick `components` over `componentKeys` on 10.2+. */
  serverVersion?: string;
  retry?: Partial<RetryPolicy>;
  requestTimeoutMs?: number;
  /** Page size, at most 500 (the default). */
  pageSize?: number;
  logger?: ClientLogger;
  /** Injected time, for tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface IssueFetchOptions {
  /** Also fetch resolved issues (fixed, false positive, accepted), so the parser can archive or suppress them. Default true. */
  includeResolved?: boolean;
  /** Only these types (`VULNERABILITY`, `BUG`, `CODE_SMELL`). Default: all (the parser decides about code smells). */
  types?: readonly string[];
}

export interface SonarQubeClient {
  readonly serverUrl: string;
  /** Every issue of the project (branch, pull request), merged into one response. */
  fetchIssues(project: ProjectRef, options?: IssueFetchOptions): Promise<{ response: IssuesSearchResponse; result: SearchResult }>;
  /** Every hotspot of the project, merged into one response (empty with a warning on servers before 8.2). */
  fetchHotspots(project: ProjectRef): Promise<{ response: HotspotsSearchResponse; result: SearchResult }>;
  /** Issues and hotspots together: the document @devsecops/parser-sonarqube reads as one scan. */
  fetchFindings(project: ProjectRef, options?: IssueFetchOptions): Promise<SonarQubeExport>;
  /** Waits until the analysis task (report-task.txt `ceTaskId`) is processed. */
  waitForAnalysis(ceTaskId: string, options?: WaitOptions): Promise<CeTask>;
  /** The quality gate of one analysis (the processed task's `analysisId`): /api/qualitygates/project_status. */
  fetchQualityGate(analysisId: string): Promise<QualityGateStatus>;
}

/** `projectStatus` of /api/qualitygates/project_status: OK, ERROR (failed), or NONE (no gate); WARN on old servers. */
export interface QualityGateStatus {
  status: 'OK' | 'ERROR' | 'WARN' | 'NONE' | string;
  conditions: Array<{ status?: string; metricKey?: string; comparator?: string; errorThreshold?: string; actualValue?: string }>;
}

const ISSUES_PATH = '/api/issues/search';
const HOTSPOTS_PATH = '/api/hotspots/search';

/** The server's base URL, checked: http(s), no credentials, no query, no trailing slash. */
export function normaliseServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new SonarQubeError('the SonarQube server URL is not a valid URL', 'CONFIG');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SonarQubeError('the SonarQube server URL must start with http:// or https://', 'CONFIG');
  if (url.username || url.password) throw new SonarQubeError('the SonarQube server URL must not contain credentials; pass the token separately', 'CONFIG');
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

function mergedResponse<F extends 'issues' | 'hotspots'>(field: F, result: SearchResult) {
  const n = result.entries.length;
  return { paging: { pageIndex: 1, pageSize: n, total: n }, [field]: result.entries, components: result.components } as {
    paging: { pageIndex: number; pageSize: number; total: number };
    components: SearchResult['components'];
  } & Record<F, SearchResult['entries']>;
}

function checkProject(project: ProjectRef): void {
  if (typeof project?.projectKey !== 'string' || project.projectKey.trim() === '') throw new SonarQubeError('a SonarQube project key is required', 'CONFIG');
}

/**
 * A client for one SonarQube server. I/O lives here and in the transport; what to request is planned by the pure
 * functions of ./plan.
 */
export function createSonarQubeClient(options: SonarQubeClientOptions): SonarQubeClient {
  if (typeof options.token !== 'string' || options.token.trim() === '') throw new SonarQubeError('a SonarQube token is required', 'CONFIG');
  const serverUrl = normaliseServerUrl(options.serverUrl);
  const redact = redactor(options.token);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const pageSize = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(options.pageSize ?? MAX_PAGE_SIZE)));
  const logger = options.logger;
  const transport = createTransport({
    serverUrl,
    token: options.token,
    authScheme: options.authScheme ?? 'basic',
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    retry: { ...DEFAULT_RETRY, ...options.retry },
    sleep,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    redact,
    logger,
  });
  const componentParameter = componentParameterFor(options.serverVersion);
  const hotspotProjectParameter = hotspotProjectParameterFor(options.serverVersion);

  /** Earliest and latest creation date of the query: two one-issue requests, sorted both ways. */
  async function creationBounds(project: ProjectRef, query: IssueQueryOptions): Promise<CreationBounds> {
    const edge = async (ascending: boolean) => {
      const body = (await transport.getJson(ISSUES_PATH, creationBoundParams(project, ascending, query))) as { issues?: Array<{ creationDate?: unknown }> };
      return parseSonarDateTime(body?.issues?.[0]?.creationDate);
    };
    const earliest = await edge(true);
    const latest = await edge(false);
    // Without readable dates, bisect everything from 1970 to a day from now; the outermost windows stay open-ended anyway.
    return { earliest: earliest ?? 0, latest: Math.max(latest ?? Math.floor(now() / 1000) + 86_400, earliest ?? 0) };
  }

  async function fetchIssues(project: ProjectRef, fetchOptions: IssueFetchOptions = {}) {
    checkProject(project);
    const query: IssueQueryOptions = { componentParameter, includeResolved: fetchOptions.includeResolved ?? true, types: fetchOptions.types };
    let bounds: CreationBounds | undefined;
    const spec: SearchSpec<IssueSlice> = {
      path: ISSUES_PATH,
      field: 'issues',
      roots: [{}],
      params: (slice, page, size) => issueSearchParams(project, slice, page, size, query),
      split: async (slice) => {
        bounds ??= await creationBounds(project, query);
        return splitIssueSlice(slice, bounds, query.types?.length ? query.types : ISSUE_TYPES);
      },
      describe: describeSlice,
    };
    const result = await fetchAll(transport, spec, pageSize, logger);
    return { response: mergedResponse('issues', result) as IssuesSearchResponse, result };
  }

  async function fetchHotspots(project: ProjectRef) {
    checkProject(project);
    const spec: SearchSpec<HotspotSlice> = {
      path: HOTSPOTS_PATH,
      field: 'hotspots',
      roots: [{}],
      params: (slice, page, size) => hotspotSearchParams(project, slice, page, size, hotspotProjectParameter),
      split: async (slice) => splitHotspotSlice(slice),
      describe: describeSlice,
    };
    try {
      const result = await fetchAll(transport, spec, pageSize, logger);
      return { response: mergedResponse('hotspots', result) as HotspotsSearchResponse, result };
    } catch (error) {
      // Before 8.2 there is no hotspots endpoint (a bare 404); hotspots then come as issues of type SECURITY_HOTSPOT.
      if (error instanceof SonarQubeError && error.code === 'NOT_FOUND' && error.serverMessage === undefined) {
        const result: SearchResult = {
          entries: [],
          components: [],
          stats: { requests: 1, pages: 0, splits: 0, duplicates: 0 },
          warnings: ['this SonarQube server has no /api/hotspots/search (before 8.2): its hotspots are issues of type SECURITY_HOTSPOT'],
        };
        return { response: mergedResponse('hotspots', result) as HotspotsSearchResponse, result };
      }
      throw error;
    }
  }

  async function fetchFindings(project: ProjectRef, fetchOptions: IssueFetchOptions = {}): Promise<SonarQubeExport> {
    const fetchedAt = new Date(now()).toISOString();
    const issues = await fetchIssues(project, fetchOptions);
    const hotspots = await fetchHotspots(project);
    logger?.info('Fetched SonarQube findings', {
      projectKey: project.projectKey,
      issues: issues.result.entries.length,
      hotspots: hotspots.result.entries.length,
      requests: issues.result.stats.requests + hotspots.result.stats.requests,
    });
    return {
      serverUrl,
      projectKey: project.projectKey,
      ...(project.branch ? { branch: project.branch } : {}),
      ...(project.pullRequest ? { pullRequest: project.pullRequest } : {}),
      fetchedAt,
      issues: issues.response,
      hotspots: hotspots.response,
      stats: { issues: issues.result.stats, hotspots: hotspots.result.stats },
      warnings: [...issues.result.warnings, ...hotspots.result.warnings],
    };
  }

  async function fetchQualityGate(analysisId: string): Promise<QualityGateStatus> {
    if (typeof analysisId !== 'string' || analysisId.trim() === '') throw new SonarQubeError('an analysis id is required for the quality gate', 'CONFIG');
    const body = (await transport.getJson('/api/qualitygates/project_status', { analysisId })) as { projectStatus?: { status?: unknown; conditions?: unknown } };
    const status = body?.projectStatus?.status;
    if (typeof status !== 'string') throw new SonarQubeError(`SonarQube answered /api/qualitygates/project_status for analysis ${analysisId} without a status`, 'BAD_RESPONSE');
    const conditions = Array.isArray(body.projectStatus?.conditions) ? (body.projectStatus.conditions as QualityGateStatus['conditions']) : [];
    return { status, conditions };
  }

  return {
    serverUrl,
    fetchIssues,
    fetchHotspots,
    fetchFindings,
    fetchQualityGate,
    waitForAnalysis: (ceTaskId, waitOptions) => waitForTask(transport, ceTaskId, { now, sleep }, waitOptions),
  };
}
