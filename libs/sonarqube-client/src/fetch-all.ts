import { SonarQubeError } from './errors';
import type { Transport } from './http';
import { MAX_RESULTS, hasNextPage, type QueryParams } from './plan';
import type { ClientLogger, FetchStats, SonarComponent, SonarEntry } from './types';

/** How to search one endpoint: everything that differs between issues and hotspots. */
export interface SearchSpec<S> {
  path: string;
  field: 'issues' | 'hotspots';
  roots: S[];
  params(slice: S, page: number, pageSize: number): QueryParams;
  /** Disjoint slices covering `slice`, or undefined when it cannot be split. */
  split(slice: S): Promise<S[] | undefined>;
  describe(slice: S): string;
}

export interface SearchResult {
  entries: SonarEntry[];
  components: SonarComponent[];
  stats: FetchStats;
  warnings: string[];
}

interface Page {
  total: number;
  entries: SonarEntry[];
  components: SonarComponent[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withKey(value: unknown): value is SonarEntry {
  return isRecord(value) && typeof value.key === 'string' && value.key.length > 0;
}

/** One search response, checked: an array of entries and a total (`paging.total`, else the deprecated `total`). */
export function readPage(value: unknown, field: 'issues' | 'hotspots', endpoint: string): Page {
  if (!isRecord(value) || !Array.isArray(value[field])) {
    throw new SonarQubeError(`SonarQube answered ${endpoint} without a "${field}" array (not a SonarQube search response?)`, 'BAD_RESPONSE');
  }
  const entries = (value[field] as unknown[]).filter(withKey);
  const paging = isRecord(value.paging) ? value.paging : {};
  const reported = typeof paging.total === 'number' ? paging.total : typeof value.total === 'number' ? value.total : undefined;
  const components = Array.isArray(value.components) ? value.components.filter(withKey) : [];
  return { total: reported !== undefined && Number.isFinite(reported) ? reported : entries.length, entries, components };
}

interface SplitRecord {
  description: string;
  parentTotal: number;
  childTotal: number;
}

/**
 * Fetches every entry of a search, page by page (`ps` ≤ 500, never past 10,000 results), splitting any slice that
 * matches more than 10,000 entries. Entries are deduplicated by key (first seen wins) and kept in server order.
 */
export async function fetchAll<S>(transport: Transport, spec: SearchSpec<S>, pageSize: number, logger?: ClientLogger): Promise<SearchResult> {
  const entries = new Map<string, SonarEntry>();
  const components = new Map<string, SonarComponent>();
  const stats: FetchStats = { requests: 0, pages: 0, splits: 0, duplicates: 0 };
  const warnings: string[] = [];
  const splits: SplitRecord[] = [];
  const requestsBefore = transport.requests;
  const stack: Array<{ slice: S; parent?: SplitRecord }> = spec.roots.map((slice) => ({ slice })).reverse();

  const absorb = (page: Page): void => {
    for (const entry of page.entries) {
      if (entries.has(entry.key)) stats.duplicates += 1;
      else entries.set(entry.key, entry);
    }
    for (const component of page.components) if (!components.has(component.key)) components.set(component.key, component);
  };
  const load = async (slice: S, page: number): Promise<Page> => {
    const params = spec.params(slice, page, pageSize);
    const value = await transport.getJson(spec.path, params);
    stats.pages += 1;
    return readPage(value, spec.field, `${spec.path} (${spec.describe(slice)}, page ${page})`);
  };

  while (stack.length > 0) {
    const { slice, parent } = stack.pop()!;
    const first = await load(slice, 1);
    if (parent) parent.childTotal += first.total;
    if (first.total > MAX_RESULTS) {
      const children = await spec.split(slice);
      if (!children) {
        throw new SonarQubeError(
          `${first.total} ${spec.field} match ${spec.describe(slice)}: SonarQube returns at most ${MAX_RESULTS} results per query and this query cannot be split further`,
          'TOO_MANY_RESULTS',
        );
      }
      const record = { description: spec.describe(slice), parentTotal: first.total, childTotal: 0 };
      splits.push(record);
      stats.splits += 1;
      logger?.info('SonarQube query matches more than 10,000 results; splitting it', { path: spec.path, slice: record.description, total: first.total, parts: children.length });
      for (let i = children.length - 1; i >= 0; i -= 1) stack.push({ slice: children[i]!, parent: record });
      continue;
    }
    absorb(first);
    let received = first.entries.length;
    let last = first.entries.length;
    for (let page = 1; hasNextPage(page, pageSize, last, first.total); page += 1) {
      const next = await load(slice, page + 1);
      absorb(next);
      last = next.entries.length;
      received += last;
    }
    if (received < first.total) {
      warnings.push(`${spec.field} (${spec.describe(slice)}): SonarQube counted ${first.total} but returned ${received}; data changed while paging?`);
    }
  }
  for (const split of splits) {
    if (split.childTotal < split.parentTotal) {
      warnings.push(
        `${split.parentTotal - split.childTotal} ${spec.field} of "${split.description}" fell outside every part it was split into and were not fetched ` +
          '(values this client does not know, or data changed while fetching)',
      );
    }
  }
  stats.requests = transport.requests - requestsBefore;
  return { entries: [...entries.values()], components: [...components.values()], stats, warnings };
}
