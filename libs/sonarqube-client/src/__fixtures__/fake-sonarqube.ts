/**
 * A small SonarQube stand-in on 127.0.0.1 (port 0) for client tests. It behaves like the real web API where the
 * client depends on it: pages with p/ps (ps ≤ 500), refuses p × ps > 10,000 with a 400, filters issues by creation
 * window (createdAfter inclusive, createdBefore exclusive), severities, types and resolved, requires the token
 * (Basic `token:` or Bearer), can fail transiently, and runs compute-engine tasks PENDING → IN_PROGRESS → SUCCESS.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeIssue {
  key: string;
  creationDate: string;
  severity: string;
  type: string;
  status: string;
  resolution?: string;
  rule: string;
  component: string;
  project: string;
  line?: number;
  message: string;
}

export interface FakeHotspot {
  key: string;
  status: string;
  resolution?: string;
  vulnerabilityProbability: string;
  ruleKey: string;
  component: string;
  project: string;
  line?: number;
  message: string;
}

export interface FakeFailure {
  /** Path the failure applies to, e.g. /api/issues/search. */
  path: string;
  status: number;
  /** How many requests to that path fail before it works. */
  times: number;
  retryAfter?: string;
  body?: string;
}

export interface FakeTask {
  id: string;
  /** Statuses returned by successive polls; the last one repeats. */
  statuses: string[];
  errorMessage?: string;
}

export interface FakeOptions {
  token: string;
  projectKey: string;
  issues?: FakeIssue[];
  hotspots?: FakeHotspot[];
  failures?: FakeFailure[];
  tasks?: FakeTask[];
  /** The one hotspots project parameter the server accepts (`projectKey` before 10.2, `project` from 10.2); default both. */
  hotspotProjectParameter?: 'projectKey' | 'project';
  /** Quality gate per analysis id (`A-<task id>`), for /api/qualitygates/project_status. */
  qualityGates?: Record<string, { status: string; conditions?: unknown[] }>;
  /** Answer /api/hotspots/search with a bare 404, like SonarQube before 8.2. */
  noHotspotsEndpoint?: boolean;
  /** Name of the component parameter the server accepts (default both). */
  componentParameter?: 'componentKeys' | 'components';
  /** Echo the Authorization header in 400 messages (a misbehaving proxy), to test redaction. */
  echoAuthorization?: boolean;
}

export interface RecordedRequest {
  path: string;
  params: URLSearchParams;
  authorization?: string;
  status: number;
}

export interface FakeSonarQube {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const MAX_RESULTS = 10_000;

function epochSeconds(value: string): number {
  const iso = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return Math.floor(Date.parse(/T/.test(iso) ? iso : `${iso}T00:00:00Z`) / 1000);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function errors(res: ServerResponse, status: number, msg: string): void {
  json(res, status, { errors: [{ msg }] });
}

function page<T>(res: ServerResponse, params: URLSearchParams, all: T[], field: string, extra: (entries: T[]) => Record<string, unknown>): void {
  const p = Number(params.get('p') ?? '1');
  const ps = Number(params.get('ps') ?? '100');
  if (ps > 500) return errors(res, 400, `'ps' value (${ps}) must be less than 500`);
  if (p * ps > MAX_RESULTS) return errors(res, 400, `Can return only the first 10000 results. ${p * ps}th result asked.`);
  const entries = all.slice((p - 1) * ps, p * ps);
  json(res, 200, { total: all.length, p, ps, paging: { pageIndex: p, pageSize: ps, total: all.length }, [field]: entries, ...extra(entries) });
}

function componentsOf(entries: Array<{ component: string; project: string }>, projectKey: string): unknown[] {
  const keys = new Set(entries.map((e) => e.component));
  return [
    { key: projectKey, qualifier: 'TRK', name: projectKey },
    ...[...keys].filter((k) => k !== projectKey).map((k) => ({ key: k, qualifier: 'FIL', path: k.slice(projectKey.length + 1) })),
  ];
}

export async function startFakeSonarQube(options: FakeOptions): Promise<FakeSonarQube> {
  const requests: RecordedRequest[] = [];
  const failures = (options.failures ?? []).map((f) => ({ ...f }));
  const polls = new Map<string, number>();
  const basic = `Basic ${Buffer.from(`${options.token}:`).toString('base64')}`;
  const bearer = `Bearer ${options.token}`;
  // Creation times parsed once: the filters below run over every issue on every request.
  const issues = (options.issues ?? [])
    .map((issue) => ({ issue, created: epochSeconds(issue.creationDate) }))
    .sort((a, b) => a.created - b.created || a.issue.key.localeCompare(b.issue.key));

  const handle = (req: IncomingMessage, res: ServerResponse, record: RecordedRequest): void => {
    const params = record.params;
    if (record.authorization !== basic && record.authorization !== bearer) {
      res.writeHead(401);
      return void res.end();
    }
    const failure = failures.find((f) => f.path === record.path && f.times > 0);
    if (failure) {
      failure.times -= 1;
      res.writeHead(failure.status, { 'content-type': 'application/json', ...(failure.retryAfter ? { 'retry-after': failure.retryAfter } : {}) });
      return void res.end(failure.body ?? '');
    }
    if (record.path === '/api/issues/search') {
      const accepted = options.componentParameter ? [options.componentParameter] : ['componentKeys', 'components'];
      const component = accepted.map((name) => params.get(name)).find((value) => value !== null);
      if (component !== options.projectKey) return errors(res, 404, `Component key '${component}' not found`);
      if (options.echoAuthorization && params.get('echo')) return errors(res, 400, `bad header ${req.headers.authorization}`);
      const after = params.has('createdAfter') ? epochSeconds(params.get('createdAfter')!) : undefined;
      const before = params.has('createdBefore') ? epochSeconds(params.get('createdBefore')!) : undefined;
      const severities = params.get('severities')?.split(',');
      const types = params.get('types')?.split(',');
      const unresolvedOnly = params.get('resolved') === 'false';
      let matched = issues
        .filter(
          ({ issue, created }) =>
            (after === undefined || created >= after) &&
            (before === undefined || created < before) &&
            (!severities || severities.includes(issue.severity)) &&
            (!types || types.includes(issue.type)) &&
            (!unresolvedOnly || issue.resolution === undefined),
        )
        .map(({ issue }) => issue);
      if (params.get('asc') === 'false') matched = [...matched].reverse();
      return page(res, params, matched, 'issues', (entries) => ({ components: componentsOf(entries, options.projectKey), facets: [] }));
    }
    if (record.path === '/api/hotspots/search') {
      if (options.noHotspotsEndpoint) {
        res.writeHead(404, { 'content-type': 'text/html' });
        return void res.end('<html>Not found</html>');
      }
      const acceptedProject = options.hotspotProjectParameter ? [options.hotspotProjectParameter] : ['project', 'projectKey'];
      const projectValue = acceptedProject.map((name) => params.get(name)).find((value) => value !== null) ?? null;
      if (projectValue !== options.projectKey) return errors(res, 400, `The 'project' parameter is missing or unknown: '${projectValue}'`);
      const status = params.get('status');
      const resolution = params.get('resolution');
      if (resolution && status !== 'REVIEWED') return errors(res, 400, "Value 'resolution' can only be set when 'status' is 'REVIEWED'");
      const matched = (options.hotspots ?? []).filter((h) => (!status || h.status === status) && (!resolution || h.resolution === resolution));
      return page(res, params, matched, 'hotspots', (entries) => ({ components: componentsOf(entries, options.projectKey) }));
    }
    if (record.path === '/api/qualitygates/project_status') {
      const gate = options.qualityGates?.[params.get('analysisId') ?? ''];
      if (!gate) return errors(res, 404, `Analysis with id '${params.get('analysisId')}' is not found`);
      return json(res, 200, { projectStatus: { status: gate.status, conditions: gate.conditions ?? [], ignoredConditions: false } });
    }
    if (record.path === '/api/ce/task') {
      const task = (options.tasks ?? []).find((t) => t.id === params.get('id'));
      if (!task) return errors(res, 404, `No activity found for task '${params.get('id')}'`);
      const n = polls.get(task.id) ?? 0;
      polls.set(task.id, n + 1);
      const status = task.statuses[Math.min(n, task.statuses.length - 1)]!;
      return json(res, 200, {
        task: { id: task.id, type: 'REPORT', componentKey: options.projectKey, status, ...(status === 'FAILED' ? { errorMessage: task.errorMessage } : {}), ...(status === 'SUCCESS' ? { analysisId: `A-${task.id}` } : {}) },
      });
    }
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html>Not found</html>');
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: RecordedRequest = { path: url.pathname, params: url.searchParams, authorization: req.headers.authorization, status: 0 };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    handle(req, res, record);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** `count` issues of one project, created `spacingSeconds` apart from `start`, cycling through severities and types. */
export function makeIssues(count: number, projectKey: string, start = '2024-01-01T00:00:00Z', spacingSeconds = 3600): FakeIssue[] {
  const severities = ['BLOCKER', 'CRITICAL', 'MAJOR', 'MINOR', 'INFO'];
  const types = ['VULNERABILITY', 'BUG', 'CODE_SMELL'];
  const base = Date.parse(start) / 1000;
  return Array.from({ length: count }, (_, i) => ({
    key: `ISSUE-${String(i).padStart(6, '0')}`,
    creationDate: `${new Date((base + i * spacingSeconds) * 1000).toISOString().slice(0, 19)}+0000`,
    severity: severities[i % severities.length]!,
    type: types[Math.floor(i / severities.length) % types.length]!,
    status: 'OPEN',
    rule: 'java:S2076',
    component: `${projectKey}:src/F${i % 50}.java`,
    project: projectKey,
    line: (i % 300) + 1,
    message: `Issue ${i}`,
  }));
}
