/**
 * Query planning for SonarQube's search endpoints: pure functions, no I/O.
 *
 * Both /api/issues/search and /api/hotspots/search page with `p` (1-based) and `ps` (≤ 500) and refuse to return
 * more than 10,000 results for one query (`p × ps` beyond that is a 400). A query that matches more is split into
 * slices whose union is the query and whose intersections are empty, so every entry is fetched exactly once:
 * issues by creation-date windows (bisected; createdAfter is inclusive, createdBefore exclusive), then by severity,
 * then by type; hotspots by status, then by resolution.
 */
import type { ProjectRef } from './types';

export const MAX_PAGE_SIZE = 500;
export const MAX_RESULTS = 10_000;

/** Every legacy severity and type: each issue has exactly one of each, so splitting by them partitions the issues. */
export const SEVERITIES = ['BLOCKER', 'CRITICAL', 'MAJOR', 'MINOR', 'INFO'] as const;
export const ISSUE_TYPES = ['VULNERABILITY', 'BUG', 'CODE_SMELL'] as const;
export const HOTSPOT_STATUSES = ['TO_REVIEW', 'REVIEWED'] as const;
export const HOTSPOT_RESOLUTIONS = ['FIXED', 'SAFE', 'ACKNOWLEDGED'] as const;

export type QueryParams = Record<string, string>;

/** A part of a project's issues: a half-open creation window [createdAfter, createdBefore) in epoch seconds, and filters. */
export interface IssueSlice {
  createdAfter?: number;
  createdBefore?: number;
  severity?: string;
  type?: string;
}

export interface HotspotSlice {
  status?: string;
  resolution?: string;
}

/** Earliest and latest issue creation time of the whole query, in epoch seconds. */
export interface CreationBounds {
  earliest: number;
  latest: number;
}

export interface IssueQueryOptions {
  /** `componentKeys` (every version up to 10.x) or `components` (its name since 10.2). */
  componentParameter: 'componentKeys' | 'components';
  /** false adds `resolved=false` (open issues only). */
  includeResolved: boolean;
  /** Restrict to these types (`types=`); undefined = all. */
  types?: readonly string[];
}

/** `2017-10-19T13:00:00+0000`, the datetime form createdAfter/createdBefore accept (no timezone ambiguity). */
export function formatSonarDateTime(epochSeconds: number): string {
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 19)}+0000`;
}

/** Epoch seconds of a SonarQube datetime (`2026-01-22T06:45:34+0000`); undefined when unreadable. */
export function parseSonarDateTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const iso = value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/**
 * The component parameter for a server version (from report-task.txt `serverVersion` or /api/server/version):
 * `components` from 10.2 (and the year-numbered releases, 2025.1+), else `componentKeys`, which older servers need
 * and 10.x still accepts.
 */
export function componentParameterFor(serverVersion: string | undefined): 'componentKeys' | 'components' {
  const m = /^(\d+)\.(\d+)/.exec(serverVersion?.trim() ?? '');
  if (!m) return 'componentKeys';
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > 10 || (major === 10 && minor >= 2) ? 'components' : 'componentKeys';
}

/**
 * The hotspots project parameter for a server version: `project` from 10.2 (SONAR-19935; `projectKey` is deprecated
 * there), `projectKey` before, where `project` does not exist. An unknown version gets `projectKey`, which every
 * version from 8.2 to 10.x accepts, like `componentKeys` for issues.
 */
export function hotspotProjectParameterFor(serverVersion: string | undefined): 'projectKey' | 'project' {
  return componentParameterFor(serverVersion) === 'components' ? 'project' : 'projectKey';
}

function branchParams(project: ProjectRef): QueryParams {
  if (project.pullRequest) return { pullRequest: project.pullRequest };
  if (project.branch) return { branch: project.branch };
  return {};
}

/** Parameters of one /api/issues/search page of a slice. */
export function issueSearchParams(project: ProjectRef, slice: IssueSlice, page: number, pageSize: number, options: IssueQueryOptions): QueryParams {
  const params: QueryParams = {
    [options.componentParameter]: project.projectKey,
    ...branchParams(project),
    additionalFields: 'comments',
    s: 'CREATION_DATE',
    asc: 'true',
    p: String(page),
    ps: String(pageSize),
  };
  if (!options.includeResolved) params.resolved = 'false';
  if (slice.createdAfter !== undefined) params.createdAfter = formatSonarDateTime(slice.createdAfter);
  if (slice.createdBefore !== undefined) params.createdBefore = formatSonarDateTime(slice.createdBefore);
  if (slice.severity) params.severities = slice.severity;
  if (slice.type) params.types = slice.type;
  else if (options.types?.length) params.types = options.types.join(',');
  return params;
}

/** Parameters of the one-issue query that finds the earliest (asc) or latest creation date of the whole query. */
export function creationBoundParams(project: ProjectRef, ascending: boolean, options: IssueQueryOptions): QueryParams {
  return { ...issueSearchParams(project, {}, 1, 1, options), asc: String(ascending) };
}

/** Parameters of one /api/hotspots/search page of a slice. */
export function hotspotSearchParams(
  project: ProjectRef,
  slice: HotspotSlice,
  page: number,
  pageSize: number,
  projectParameter: 'projectKey' | 'project' = 'project',
): QueryParams {
  return {
    [projectParameter]: project.projectKey,
    ...branchParams(project),
    ...(slice.status ? { status: slice.status } : {}),
    ...(slice.resolution ? { resolution: slice.resolution } : {}),
    p: String(page),
    ps: String(pageSize),
  };
}

/**
 * Whether to ask for page `page + 1`: the last page was not empty, SonarQube counts more than `page × pageSize`,
 * and the next page stays within the 10,000-result window.
 */
export function hasNextPage(page: number, pageSize: number, received: number, total: number): boolean {
  return received > 0 && page * pageSize < total && (page + 1) * pageSize <= MAX_RESULTS;
}

/**
 * Splits an issue slice that matched more than 10,000 issues into disjoint slices that cover it: halves of its
 * creation window while the window is longer than one second, then one slice per severity, then one per type.
 * Undefined when it cannot be split further.
 */
export function splitIssueSlice(slice: IssueSlice, bounds: CreationBounds, types: readonly string[] = ISSUE_TYPES): IssueSlice[] | undefined {
  const lo = slice.createdAfter ?? bounds.earliest;
  const hi = slice.createdBefore ?? bounds.latest + 1;
  if (hi - lo >= 2) {
    const mid = lo + Math.floor((hi - lo) / 2);
    return [
      { ...slice, createdBefore: mid },
      { ...slice, createdAfter: mid },
    ];
  }
  if (!slice.severity) return SEVERITIES.map((severity) => ({ ...slice, severity }));
  if (!slice.type && types.length > 1) return types.map((type) => ({ ...slice, type }));
  return undefined;
}

/** Splits a hotspot slice: by status, then reviewed hotspots by resolution; undefined when it cannot be split further. */
export function splitHotspotSlice(slice: HotspotSlice): HotspotSlice[] | undefined {
  if (!slice.status) return HOTSPOT_STATUSES.map((status) => ({ status }));
  if (slice.status === 'REVIEWED' && !slice.resolution) return HOTSPOT_RESOLUTIONS.map((resolution) => ({ status: 'REVIEWED', resolution }));
  return undefined;
}

/** A readable name of a slice for messages and logs. */
export function describeSlice(slice: IssueSlice | HotspotSlice): string {
  const parts: string[] = [];
  const s = slice as IssueSlice & HotspotSlice;
  if (s.createdAfter !== undefined || s.createdBefore !== undefined) {
    parts.push(`created ${s.createdAfter !== undefined ? formatSonarDateTime(s.createdAfter) : '…'} to ${s.createdBefore !== undefined ? formatSonarDateTime(s.createdBefore) : '…'}`);
  }
  if (s.severity) parts.push(`severity ${s.severity}`);
  if (s.type) parts.push(`type ${s.type}`);
  if (s.status) parts.push(`status ${s.status}`);
  if (s.resolution) parts.push(`resolution ${s.resolution}`);
  return parts.length > 0 ? parts.join(', ') : 'all';
}
