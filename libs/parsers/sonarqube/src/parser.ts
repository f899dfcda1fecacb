import { contentHash, type FindingDraft, type ParsedReport } from '@devsecops/asff';
import { ReportError, type ParseOptions, type ReportDocument, type ReportParser } from '@devsecops/report-input';
import { ComponentIndex } from './components';
import { emptyCounters, type Counters, type ParseContext } from './context';
import { hotspotDraft } from './hotspot';
import { issueDraft } from './issue';
import { normaliseServerUrl } from './links';
import { count, isObject, list, text, texts, type JsonObject } from './read';

type PageKind = 'issues' | 'hotspots';

interface Page {
  kind: PageKind;
  value: JsonObject;
}

/** /api/issues/search: an `issues` array with `paging` (or, on old servers, `components` or a top-level `total`). */
function isIssuesPage(value: unknown): value is JsonObject {
  return isObject(value) && Array.isArray(value.issues) && (isObject(value.paging) || Array.isArray(value.components) || typeof value.total === 'number');
}

/** /api/hotspots/search: a `hotspots` array with `paging`. */
function isHotspotsPage(value: unknown): value is JsonObject {
  return isObject(value) && Array.isArray(value.hotspots) && isObject(value.paging);
}

function pagesOfMember(value: unknown, kind: PageKind, test: (v: unknown) => v is JsonObject): Page[] | undefined {
  if (test(value)) return [{ kind, value }];
  if (Array.isArray(value) && value.length > 0 && value.every(test)) return value.map((v) => ({ kind, value: v as JsonObject }));
  return undefined;
}

/**
 * The SonarQube responses in one document: a single issues or hotspots response, an array of them (pages saved
 * together), or an object whose `issues`/`hotspots` members hold them (what @devsecops/sonarqube-client writes).
 * Undefined when the document is none of these.
 */
function pagesOf(value: unknown): Page[] | undefined {
  const direct: Page[] = [];
  if (isIssuesPage(value)) direct.push({ kind: 'issues', value });
  if (isHotspotsPage(value)) direct.push({ kind: 'hotspots', value });
  if (direct.length > 0) return direct;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    const pages: Page[] = [];
    for (const element of value) {
      const inner = isObject(element) ? pagesOf(element) : undefined;
      if (!inner) return undefined;
      pages.push(...inner);
    }
    return pages;
  }
  if (isObject(value)) {
    const issues = pagesOfMember(value.issues, 'issues', isIssuesPage);
    const hotspots = pagesOfMember(value.hotspots, 'hotspots', isHotspotsPage);
    if (issues || hotspots) return [...(issues ?? []), ...(hotspots ?? [])];
  }
  return undefined;
}

const NOT_SONAR =
  'is not a SonarQube /api/issues/search or /api/hotspots/search response (expected an "issues" array with "paging" or "components", or a "hotspots" array with "paging")';

function documentPages(doc: ReportDocument): Page[] {
  if (doc.format !== 'json') throw new ReportError(doc.source, 'is XML, but SonarQube web API responses are JSON');
  const pages = pagesOf(doc.value);
  if (!pages) throw new ReportError(doc.source, NOT_SONAR);
  return pages;
}

/**
 * What the client's export wrapper says about the fetch: server URL (for links when ParseOptions.serverUrl is not
 * set), branch or pull request, and its warnings (data that changed while paging, …).
 */
function exportInfo(doc: ReportDocument): { serverUrl?: string; branch?: string; pullRequest?: string; warnings: string[] } {
  const value = doc.value;
  if (!isObject(value) || Array.isArray(value.issues) || Array.isArray(value.hotspots)) return { warnings: [] };
  return {
    serverUrl: text(value.serverUrl),
    branch: text(value.branch),
    pullRequest: text(value.pullRequest),
    warnings: texts(value.warnings).map((w) => `SonarQube client: ${w}`),
  };
}

/** What SonarQube says the query matched: `paging.total`, else the deprecated top-level `total`. Used only to warn. */
function reportedTotal(page: JsonObject): number | undefined {
  return (isObject(page.paging) ? count(page.paging.total) : undefined) ?? count(page.total);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function summaryWarnings(c: Counters, ctx: ParseContext, seen: Record<PageKind, number>, reported: Record<PageKind, number>): string[] {
  const warnings: string[] = [];
  for (const kind of ['issues', 'hotspots'] as const) {
    if (reported[kind] > seen[kind]) {
      warnings.push(
        `the report holds ${seen[kind]} of the ${reported[kind]} ${kind} SonarQube counted (paging.total): pages are missing; ` +
          'pass every page together (the SonarQube client fetches them all)',
      );
    }
  }
  if (c.codeSmellsExcluded > 0) {
    warnings.push(
      `${plural(c.codeSmellsExcluded, 'code smell was', 'code smells were')} left out: maintainability issues are not security findings ` +
        '(set includeCodeSmells to import them)',
    );
  }
  if (c.duplicates > 0) warnings.push(`${plural(c.duplicates, 'entry appeared', 'entries appeared')} more than once (overlapping pages) and counted once`);
  if (c.keyCollisions > 0) {
    warnings.push(
      `${plural(c.keyCollisions, 'issue shares its', 'issues share their')} key with a different earlier issue (an edited or anonymised export?); ` +
        'kept with a derived identity',
    );
  }
  if (c.skipped > 0) warnings.push(`${plural(c.skipped, 'entry', 'entries')} without a key (or not an object) skipped`);
  if (c.defaultedSeverity > 0) {
    warnings.push(`${plural(c.defaultedSeverity, 'finding has', 'findings have')} no known SonarQube severity; used ${ctx.defaultSeverity}`);
  }
  if (c.unknownStatus > 0) warnings.push(`${plural(c.unknownStatus, 'finding has', 'findings have')} an unknown status or resolution; kept active`);
  if (c.unknownTypes > 0) warnings.push(`${plural(c.unknownTypes, 'issue has', 'issues have')} an unknown type; kept as findings`);
  return warnings;
}

/** Identity-relevant content: the same key with the same content is the same issue seen twice. */
function signature(entry: JsonObject, kind: PageKind): string {
  // Only the text of each field: stringifying an arbitrary value could recurse through thousands of levels.
  return JSON.stringify([text(kind === 'issues' ? entry.rule : entry.ruleKey) ?? '', text(entry.component) ?? '', text(entry.message) ?? '']);
}

/**
 * Reads several SonarQube responses of one scan (issues pages and hotspots pages) into one report. Sonar keys are
 * the identity (they survive re-analysis): `<key>` for issues, `hotspot:<key>` for hotspots.
 */
export function parseSonarQube(docs: readonly ReportDocument[], options: ParseOptions = {}): ParsedReport {
  const pages = docs.flatMap((doc) => documentPages(doc));
  const exported = docs.map(exportInfo);
  const warnings: string[] = exported.flatMap((e) => e.warnings);
  let serverUrl = normaliseServerUrl(options.serverUrl);
  if (options.serverUrl && !serverUrl) warnings.push('serverUrl is not an http(s) URL; findings carry no links to SonarQube');
  serverUrl ??= exported.map((e) => normaliseServerUrl(e.serverUrl)).find((u) => u !== undefined);

  const ctx: ParseContext = {
    components: new ComponentIndex(options.sourceRoots),
    serverUrl,
    branch: exported.find((e) => e.branch)?.branch,
    pullRequest: exported.find((e) => e.pullRequest)?.pullRequest,
    includeCodeSmells: options.includeCodeSmells ?? false,
    defaultSeverity: options.defaultSeverity ?? 'MEDIUM',
    counters: emptyCounters(),
    remediationByRule: new Map(),
  };
  for (const page of pages) ctx.components.add(page.value.components);

  const drafts: FindingDraft[] = [];
  const signatures = new Map<string, string>();
  const seen: Record<PageKind, number> = { issues: 0, hotspots: 0 };
  const reported: Record<PageKind, number> = { issues: 0, hotspots: 0 };
  const c = ctx.counters;

  for (const page of pages) {
    reported[page.kind] = Math.max(reported[page.kind], reportedTotal(page.value) ?? 0);
    for (const entry of list(page.kind === 'issues' ? page.value.issues : page.value.hotspots)) {
      const key = isObject(entry) ? text(entry.key) : undefined;
      if (!isObject(entry) || !key) {
        c.skipped += 1;
        continue;
      }
      const base = page.kind === 'issues' ? key : `hotspot:${key}`;
      const content = signature(entry, page.kind);
      const earlier = signatures.get(base);
      let identity = base;
      if (earlier !== undefined) {
        if (earlier === content) {
          c.duplicates += 1;
          continue;
        }
        identity = `${base}#${contentHash([content]).slice(0, 12)}`;
        if (signatures.has(identity)) {
          c.duplicates += 1;
          continue;
        }
        c.keyCollisions += 1;
      }
      signatures.set(identity, content);
      seen[page.kind] += 1;
      const draft = page.kind === 'issues' ? issueDraft({ issue: entry, key, identity }, ctx) : hotspotDraft({ hotspot: entry, key, identity }, ctx);
      if (!draft) continue;
      drafts.push(draft);
      if (draft.state === 'SUPPRESSED') c.suppressed += 1;
      else if (draft.state === 'RESOLVED') c.resolved += 1;
      else c.active += 1;
    }
  }
  c.issues = seen.issues;
  c.hotspots = seen.hotspots;

  return {
    tool: 'sonarqube',
    drafts,
    warnings: [...warnings, ...summaryWarnings(c, ctx, seen, reported)],
    stats: { ...c, findings: drafts.length },
  };
}

export const sonarqubeParser: ReportParser = {
  id: 'sonarqube',
  displayName: 'SonarQube',
  detect(doc: ReportDocument): boolean {
    return doc.format === 'json' && pagesOf(doc.value) !== undefined;
  },
  parse(doc: ReportDocument, options?: ParseOptions): ParsedReport {
    return parseSonarQube([doc], options);
  },
  parseMany(docs: readonly ReportDocument[], options?: ParseOptions): ParsedReport {
    return parseSonarQube(docs, options);
  },
};
