export { createSonarQubeClient, normaliseServerUrl } from './client';
export type { SonarQubeClient, SonarQubeClientOptions, IssueFetchOptions, QualityGateStatus } from './client';
export { sonarQubeConfigFromParameters } from './parameters';
export type { SonarQubeConfig, SonarQubeParameterNames } from './parameters';
export { parseReportTask } from './ce-task';
export type { ReportTask, WaitOptions } from './ce-task';
export { SonarQubeError, isSonarQubeError, redactor } from './errors';
export type { SonarQubeErrorCode } from './errors';
export type { FetchFunction, RetryPolicy } from './http';
export type { SearchResult } from './fetch-all';
export {
  MAX_PAGE_SIZE,
  MAX_RESULTS,
  componentParameterFor,
  hotspotProjectParameterFor,
  formatSonarDateTime,
  parseSonarDateTime,
  issueSearchParams,
  hotspotSearchParams,
  hasNextPage,
  splitIssueSlice,
  splitHotspotSlice,
} from './plan';
export type { IssueSlice, HotspotSlice, CreationBounds } from './plan';
export type * from './types';
