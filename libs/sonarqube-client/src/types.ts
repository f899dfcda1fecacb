/** The project (and branch or pull request) whose findings are fetched. */
export interface ProjectRef {
  projectKey: string;
  /** Branch name (Developer Edition and up); omit for the main branch. */
  branch?: string;
  /** Pull request id (Developer Edition and up); wins over branch. */
  pullRequest?: string;
}

/** One issue or hotspot as SonarQube returns it: only `key` is relied on here, everything else is passed through. */
export interface SonarEntry {
  key: string;
  [field: string]: unknown;
}

export interface SonarComponent {
  key: string;
  [field: string]: unknown;
}

export interface Paging {
  pageIndex: number;
  pageSize: number;
  total: number;
}

/** /api/issues/search response (the fields this client reads or writes). */
export interface IssuesSearchResponse {
  paging: Paging;
  issues: SonarEntry[];
  components: SonarComponent[];
  [field: string]: unknown;
}

/** /api/hotspots/search response. */
export interface HotspotsSearchResponse {
  paging: Paging;
  hotspots: SonarEntry[];
  components: SonarComponent[];
  [field: string]: unknown;
}

export interface FetchStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Pages read (first pages of split queries included). */
  pages: number;
  /** Queries split because they matched more than 10,000 results. */
  splits: number;
  /** Entries seen more than once (pages shifting while the server changed) and kept once. */
  duplicates: number;
}

/**
 * Everything fetched for one project: one merged issues response and one merged hotspots response, each a valid
 * SonarQube response (`paging.total` = the entries it holds), deduplicated by key. `JSON.stringify` of this object is
 * a report file that @devsecops/parser-sonarqube reads as one scan (it also uses `serverUrl` for links).
 */
export interface SonarQubeExport extends ProjectRef {
  serverUrl: string;
  /** ISO time the fetch started. */
  fetchedAt: string;
  issues: IssuesSearchResponse;
  hotspots: HotspotsSearchResponse;
  stats: { issues: FetchStats; hotspots: FetchStats };
  /** Things a person should know: data that changed during paging, splits that did not add up, a server without hotspots. */
  warnings: string[];
}

/** /api/ce/task `task` object. */
export interface CeTask {
  id: string;
  status: 'PENDING' | 'IN_PROGRESS' | 'SUCCESS' | 'FAILED' | 'CANCELED' | string;
  type?: string;
  componentKey?: string;
  analysisId?: string;
  errorMessage?: string;
  [field: string]: unknown;
}

/** The subset of a Powertools / console logger the client writes to. Messages and attributes never hold the token. */
export interface ClientLogger {
  debug(message: string, ...attributes: Array<Record<string, unknown>>): void;
  info(message: string, ...attributes: Array<Record<string, unknown>>): void;
  warn(message: string, ...attributes: Array<Record<string, unknown>>): void;
}
