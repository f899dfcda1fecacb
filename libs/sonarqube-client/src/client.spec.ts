import { Logger } from '@aws-lambda-powertools/logger';
import { sonarqubeParser } from '@devsecops/parser-sonarqube';
import { readReport } from '@devsecops/report-input';
import { createSonarQubeClient, type SonarQubeClientOptions } from './client';
import { SonarQubeError } from './errors';
import { MAX_RESULTS } from './plan';
import type { ClientLogger } from './types';
import { makeIssues, startFakeSonarQube, type FakeOptions, type FakeSonarQube } from './__fixtures__/fake-sonarqube';

const TOKEN = 'squ_5f3c0ffee7a1d2b3c4d5e6f708192a3b4c5d6e7f';
const PROJECT = 'acme-shop';

let server: FakeSonarQube | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A logger that keeps every line, to check that the token never appears in one. */
function recordingLogger(): ClientLogger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (message: string, ...attributes: Array<Record<string, unknown>>) => void lines.push(`${message} ${JSON.stringify(attributes)}`);
  return { lines, debug: keep, info: keep, warn: keep };
}

async function setUp(fake: Partial<FakeOptions>, client: Partial<SonarQubeClientOptions> = {}) {
  server = await startFakeSonarQube({ token: TOKEN, projectKey: PROJECT, ...fake });
  const sleeps: number[] = [];
  const logger = recordingLogger();
  const sonar = createSonarQubeClient({
    serverUrl: server.url,
    token: TOKEN,
    sleep: async (ms) => void sleeps.push(ms),
    logger,
    ...client,
  });
  return { server, sonar, sleeps, logger };
}

/** The SonarQubeError a call fails with (the test fails if it succeeds or fails otherwise). */
async function failure(promise: Promise<unknown>): Promise<SonarQubeError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof SonarQubeError)) throw new Error(`expected a SonarQubeError, got ${String(outcome)}`);
  return outcome;
}

function keysOf(entries: Array<{ key: string }>): string[] {
  return entries.map((e) => e.key);
}

describe('fetching issues', () => {
  it('reads every page (ps 500) until p × ps reaches paging.total', async () => {
    const issues = makeIssues(1_234, PROJECT);
    const { server, sonar } = await setUp({ issues });

    const { response, result } = await sonar.fetchIssues({ projectKey: PROJECT });

    expect(keysOf(response.issues)).toEqual(keysOf(issues));
    expect(response.paging).toEqual({ pageIndex: 1, pageSize: 1_234, total: 1_234 });
    expect(server.requests.map((r) => [r.params.get('p'), r.params.get('ps')])).toEqual([
      ['1', '500'],
      ['2', '500'],
      ['3', '500'],
    ]);
    expect(result.stats).toEqual({ requests: 3, pages: 3, splits: 0, duplicates: 0 });
    expect(response.components.map((c) => c.key)).toContain(`${PROJECT}:src/F0.java`);
  });

  it('passes branch or pull request, the component parameter, comments and resolved=false when asked', async () => {
    const { server, sonar } = await setUp({ issues: makeIssues(3, PROJECT), componentParameter: 'components' }, { serverVersion: '10.4.1.88267' });

    await sonar.fetchIssues({ projectKey: PROJECT, branch: 'release/2.0' }, { includeResolved: false, types: ['VULNERABILITY', 'BUG'] });

    const params = Object.fromEntries(server.requests[0]!.params);
    expect(params).toMatchObject({ components: PROJECT, branch: 'release/2.0', resolved: 'false', additionalFields: 'comments', types: 'VULNERABILITY,BUG' });
    expect(params.componentKeys).toBeUndefined();
  });

  it.each([
    ['9.9.4.87374', 'projectKey'],
    ['10.6.0.92116', 'project'],
  ] as const)('asks a %s server for hotspots with the %s parameter it accepts', async (serverVersion, parameter) => {
    const hotspots = [{ key: 'HS-1', status: 'TO_REVIEW', vulnerabilityProbability: 'HIGH', ruleKey: 'java:S2068', component: `${PROJECT}:src/A.java`, project: PROJECT }];
    const { server, sonar } = await setUp({ hotspots, hotspotProjectParameter: parameter } as Partial<FakeOptions>, { serverVersion });

    const { response } = await sonar.fetchHotspots({ projectKey: PROJECT });

    expect(response.hotspots.map((h) => h.key)).toEqual(['HS-1']);
    expect(server.requests[0]!.params.get(parameter)).toBe(PROJECT);
  });

  it('reads the quality gate of an analysis', async () => {
    const { sonar } = await setUp({ qualityGates: { 'A-T1': { status: 'ERROR', conditions: [{ status: 'ERROR', metricKey: 'new_coverage', comparator: 'LT', errorThreshold: '80', actualValue: '41.2' }] } } });

    await expect(sonar.fetchQualityGate('A-T1')).resolves.toEqual({ status: 'ERROR', conditions: [{ status: 'ERROR', metricKey: 'new_coverage', comparator: 'LT', errorThreshold: '80', actualValue: '41.2' }] });
    await expect(sonar.fetchQualityGate('A-unknown')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('splits a query over 10,000 issues into creation-date windows and fetches every issue exactly once', async () => {
    const issues = makeIssues(23_456, PROJECT, '2023-01-01T00:00:00Z', 977);
    const { server, sonar } = await setUp({ issues });

    const { response, result } = await sonar.fetchIssues({ projectKey: PROJECT });

    expect(response.issues).toHaveLength(issues.length);
    expect(new Set(keysOf(response.issues)).size).toBe(issues.length);
    expect(result.stats.splits).toBeGreaterThan(0);
    // 47 pages of data, at most one partly filled page per final slice, one first page per split slice,
    // and two requests that find the earliest and latest issue.
    const slices = result.stats.splits + 1;
    expect(result.stats.requests).toBeLessThanOrEqual(47 + slices + result.stats.splits + 2);
    expect(result.stats.duplicates).toBe(0);
    expect(result.warnings).toEqual([]);
    expect(server.requests.every((r) => r.status === 200)).toBe(true);
    expect(server.requests.every((r) => Number(r.params.get('p')) * Number(r.params.get('ps')) <= MAX_RESULTS)).toBe(true);
    expect(server.requests.some((r) => r.params.has('createdAfter') && r.params.has('createdBefore'))).toBe(true);
  });

  it('splits by severity, then by type, when more than 10,000 issues share one creation second', async () => {
    const sameSecond = makeIssues(25_000, PROJECT, '2024-05-05T05:05:05Z', 0).map((issue, i) => ({
      ...issue,
      severity: i < 12_000 ? 'MAJOR' : ['BLOCKER', 'CRITICAL', 'MINOR', 'INFO'][i % 4]!,
      type: ['VULNERABILITY', 'BUG', 'CODE_SMELL'][i % 3]!,
    }));
    const { server, sonar } = await setUp({ issues: sameSecond });

    const { response, result } = await sonar.fetchIssues({ projectKey: PROJECT });

    expect(new Set(keysOf(response.issues)).size).toBe(25_000);
    expect(response.issues).toHaveLength(25_000);
    expect(server.requests.some((r) => r.params.get('severities') === 'MAJOR' && r.params.get('types') === 'BUG')).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it('fails clearly when a query cannot be split below 10,000 results', async () => {
    const identical = makeIssues(10_001, PROJECT, '2024-05-05T05:05:05Z', 0).map((i) => ({ ...i, severity: 'MAJOR', type: 'BUG' }));
    const { sonar } = await setUp({ issues: identical });

    await expect(sonar.fetchIssues({ projectKey: PROJECT })).rejects.toMatchObject({
      code: 'TOO_MANY_RESULTS',
      message: expect.stringContaining('10001 issues match'),
    });
  });

  it('keeps an issue seen on two pages once and counts it', async () => {
    const issues = makeIssues(3, PROJECT);
    const { server } = await setUp({ issues });
    const fetchWithShift: typeof fetch = async (input, init) => {
      // Page 2 is asked as page 1 again: the server "moved" an issue back, as happens when issues change while paging.
      const url = String(input).replace('p=2&', 'p=1&');
      return fetch(url, init);
    };
    const shifted = createSonarQubeClient({ serverUrl: server.url, token: TOKEN, pageSize: 2, fetch: fetchWithShift, sleep: async () => {} });

    const { response, result } = await shifted.fetchIssues({ projectKey: PROJECT });

    expect(keysOf(response.issues)).toEqual(keysOf(issues.slice(0, 2)));
    expect(result.stats.duplicates).toBe(2);
    expect(result.warnings).toEqual([]);
  });
});

describe('retries and errors', () => {
  it('retries 503 and 429 with bounded back-off, honouring Retry-After', async () => {
    const { sonar, sleeps, server } = await setUp({
      issues: makeIssues(10, PROJECT),
      failures: [
        { path: '/api/issues/search', status: 503, times: 2 },
        { path: '/api/issues/search', status: 429, times: 1, retryAfter: '2' },
      ],
    });

    const { response } = await sonar.fetchIssues({ projectKey: PROJECT });

    expect(response.issues).toHaveLength(10);
    expect(server.requests.map((r) => r.status)).toEqual([503, 503, 429, 200]);
    expect(sleeps).toHaveLength(3);
    expect(sleeps[0]).toBeGreaterThanOrEqual(250);
    expect(sleeps[0]).toBeLessThanOrEqual(500);
    expect(sleeps[1]).toBeGreaterThanOrEqual(500);
    expect(sleeps[1]).toBeLessThanOrEqual(1_000);
    expect(sleeps[2]).toBe(2_000);
  });

  it('gives up after the configured attempts with a clear error', async () => {
    const { sonar, server } = await setUp({ issues: [], failures: [{ path: '/api/issues/search', status: 502, times: 99 }] }, { retry: { maxAttempts: 3 } });

    await expect(sonar.fetchIssues({ projectKey: PROJECT })).rejects.toThrow(/^SonarQube still failed after 3 attempts for GET \/api\/issues\/search\?.* \(last answer 502\)$/);
    expect(server.requests).toHaveLength(3);
  });

  it('retries when the server cannot be reached, then names the problem', async () => {
    const closed = await startFakeSonarQube({ token: TOKEN, projectKey: PROJECT });
    await closed.close();
    const sonar = createSonarQubeClient({ serverUrl: closed.url, token: TOKEN, retry: { maxAttempts: 2 }, sleep: async () => {} });

    await expect(sonar.fetchIssues({ projectKey: PROJECT })).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/after 2 attempts: ECONNREFUSED$/) });
  });

  it('explains 401 (bad token) without showing the token', async () => {
    const { server } = await setUp({ issues: [] });
    const wrong = createSonarQubeClient({ serverUrl: server.url, token: 'squ_wrong_token_value', sleep: async () => {} });

    const error = await failure(wrong.fetchIssues({ projectKey: PROJECT }));

    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(error.message).toMatch(/^SonarQube rejected the token \(401 Unauthorized\) for GET \/api\/issues\/search/);
    expect(JSON.stringify(error)).not.toContain('squ_wrong_token_value');
    expect(error.message).not.toContain('squ_wrong_token_value');
    expect(server.requests).toHaveLength(1);
  });

  it('explains 403 and 404 with SonarQube\'s own message, without retrying', async () => {
    const { sonar, server } = await setUp({ issues: [], failures: [{ path: '/api/hotspots/search', status: 403, times: 1, body: '{"errors":[{"msg":"Insufficient privileges"}]}' }] });

    await expect(sonar.fetchIssues({ projectKey: 'no-such-project' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(`SonarQube says "Component key 'no-such-project' not found"`),
    });
    await expect(sonar.fetchHotspots({ projectKey: PROJECT })).rejects.toMatchObject({ code: 'FORBIDDEN', serverMessage: 'Insufficient privileges' });
    expect(server.requests).toHaveLength(2);
  });

  it('never puts the token into an error, a log line or an exception, even when the server echoes it', async () => {
    const { sonar, logger, server } = await setUp(
      { issues: makeIssues(2, PROJECT), echoAuthorization: true, failures: [{ path: '/api/issues/search', status: 500, times: 1, body: `{"errors":[{"msg":"token ${TOKEN} rejected by proxy"}]}` }] },
      { authScheme: 'bearer' },
    );
    const echoing = createSonarQubeClient({
      serverUrl: server.url,
      token: TOKEN,
      authScheme: 'bearer',
      logger,
      sleep: async () => {},
      fetch: (input, init) => fetch(`${input}&echo=1`, init),
    });
    const basicEcho = createSonarQubeClient({ serverUrl: server.url, token: TOKEN, logger, sleep: async () => {}, fetch: (input, init) => fetch(`${input}&echo=1`, init) });

    await sonar.fetchIssues({ projectKey: PROJECT });
    const bearerError = await failure(echoing.fetchIssues({ projectKey: PROJECT }));
    const basicError = await failure(basicEcho.fetchIssues({ projectKey: PROJECT }));

    const basicForm = Buffer.from(`${TOKEN}:`).toString('base64');
    for (const error of [bearerError, basicError]) {
      expect(error.message).toContain('[REDACTED]');
      expect(`${error.message} ${error.stack} ${error.serverMessage} ${JSON.stringify(error)}`).not.toContain(TOKEN);
      expect(`${error.message} ${error.stack} ${error.serverMessage}`).not.toContain(basicForm);
    }
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.lines.join('\n')).not.toContain(TOKEN);
    expect(logger.lines.join('\n')).not.toContain(basicForm);
    expect(logger.lines.join('\n')).toContain('[REDACTED]');
  });

  it('accepts a Powertools Logger as its logger', async () => {
    const { server } = await setUp({ issues: makeIssues(1, PROJECT) });
    const logger = new Logger({ serviceName: 'sonarqube-client-test', logLevel: 'SILENT' });
    const debug = jest.spyOn(logger, 'debug');
    const sonar = createSonarQubeClient({ serverUrl: server.url, token: TOKEN, logger });

    await sonar.fetchIssues({ projectKey: PROJECT });

    expect(debug).toHaveBeenCalledWith('SonarQube request', expect.objectContaining({ attempt: 1 }));
  });

  it('sends the token as Basic (default) or Bearer', async () => {
    const { server, sonar } = await setUp({ issues: [] });
    const bearer = createSonarQubeClient({ serverUrl: server.url, token: TOKEN, authScheme: 'bearer' });

    await sonar.fetchIssues({ projectKey: PROJECT });
    await bearer.fetchIssues({ projectKey: PROJECT });

    expect(server.requests.map((r) => r.authorization)).toEqual([`Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}`, `Bearer ${TOKEN}`]);
  });

  it('refuses a server URL with credentials or another scheme, and an empty token', () => {
    expect(() => createSonarQubeClient({ serverUrl: 'https://admin:hunter2@sonar.example.com', token: TOKEN })).toThrow(/must not contain credentials/);
    expect(() => createSonarQubeClient({ serverUrl: 'https://admin:hunter2@sonar.example.com', token: TOKEN })).not.toThrow(/hunter2/);
    expect(() => createSonarQubeClient({ serverUrl: 'ftp://sonar.example.com', token: TOKEN })).toThrow(/http:\/\/ or https:\/\//);
    expect(() => createSonarQubeClient({ serverUrl: 'https://sonar.example.com', token: ' ' })).toThrow(/token is required/);
  });
});

describe('fetching hotspots', () => {
  const hotspot = (i: number, status: string, resolution?: string) => ({
    key: `HS-${String(i).padStart(6, '0')}`,
    status,
    ...(resolution ? { resolution } : {}),
    vulnerabilityProbability: ['HIGH', 'MEDIUM', 'LOW'][i % 3]!,
    ruleKey: 'java:S2245',
    component: `${PROJECT}:src/H${i % 20}.java`,
    project: PROJECT,
    line: i + 1,
    message: 'Make sure that using this pseudorandom number generator is safe here.',
  });

  it('pages hotspots and splits by status and resolution past 10,000', async () => {
    const hotspots = [
      ...Array.from({ length: 6_000 }, (_, i) => hotspot(i, 'TO_REVIEW')),
      ...Array.from({ length: 5_000 }, (_, i) => hotspot(6_000 + i, 'REVIEWED', ['SAFE', 'FIXED', 'ACKNOWLEDGED'][i % 3])),
    ];
    const { sonar, server } = await setUp({ hotspots });

    const { response, result } = await sonar.fetchHotspots({ projectKey: PROJECT, pullRequest: '42' });

    expect(new Set(keysOf(response.hotspots)).size).toBe(11_000);
    expect(result.stats.splits).toBe(1);
    expect(server.requests.every((r) => r.params.get('pullRequest') === '42' && r.params.get('projectKey') === PROJECT)).toBe(true);
    expect(server.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('returns no hotspots, with a warning, on servers without the hotspots endpoint (before 8.2)', async () => {
    const { sonar } = await setUp({ noHotspotsEndpoint: true });

    const { response, result } = await sonar.fetchHotspots({ projectKey: PROJECT });

    expect(response.hotspots).toEqual([]);
    expect(result.warnings).toEqual(['this SonarQube server has no /api/hotspots/search (before 8.2): its hotspots are issues of type SECURITY_HOTSPOT']);
  });
});

describe('waiting for the analysis', () => {
  function fakeClock() {
    let t = 1_000_000;
    const waits: number[] = [];
    return { now: () => t, sleep: async (ms: number) => void (waits.push(ms), (t += ms)), waits };
  }

  it('polls /api/ce/task until PENDING → IN_PROGRESS → SUCCESS', async () => {
    const clock = fakeClock();
    const { sonar, server } = await setUp({ tasks: [{ id: 'AYtask1', statuses: ['PENDING', 'IN_PROGRESS', 'SUCCESS'] }] }, clock);

    const task = await sonar.waitForAnalysis('AYtask1', { pollIntervalMs: 2_000 });

    expect(task).toMatchObject({ id: 'AYtask1', status: 'SUCCESS', analysisId: 'A-AYtask1' });
    expect(server.requests.map((r) => r.params.get('id'))).toEqual(['AYtask1', 'AYtask1', 'AYtask1']);
    expect(clock.waits).toEqual([2_000, 2_000]);
  });

  it('fails clearly for a FAILED task, with SonarQube\'s reason', async () => {
    const { sonar } = await setUp({ tasks: [{ id: 'T', statuses: ['IN_PROGRESS', 'FAILED'], errorMessage: 'Unsupported language' }] }, fakeClock());

    await expect(sonar.waitForAnalysis('T')).rejects.toMatchObject({ code: 'ANALYSIS_FAILED', message: 'the analysis task T failed in SonarQube: Unsupported language' });
  });

  it('fails clearly for a CANCELED task', async () => {
    const { sonar } = await setUp({ tasks: [{ id: 'T', statuses: ['CANCELED'] }] }, fakeClock());

    await expect(sonar.waitForAnalysis('T')).rejects.toMatchObject({ code: 'ANALYSIS_FAILED', message: 'the analysis task T was canceled in SonarQube' });
  });

  it('gives up at the timeout, naming the last status', async () => {
    const clock = fakeClock();
    const { sonar } = await setUp({ tasks: [{ id: 'T', statuses: ['PENDING'] }] }, clock);

    await expect(sonar.waitForAnalysis('T', { timeoutMs: 10_000, pollIntervalMs: 3_000 })).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringContaining('did not finish within 10 s (last status PENDING)'),
    });
    expect(clock.waits).toEqual([3_000, 3_000, 3_000]);
  });

  it('reports an unknown task as not found', async () => {
    const { sonar } = await setUp({ tasks: [] }, fakeClock());

    await expect(sonar.waitForAnalysis('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the export is what the SonarQube parser reads', () => {
  it('fetchFindings gives one document with every issue and hotspot, parsed as one scan with links', async () => {
    const issues = makeIssues(600, PROJECT).map((i, n) => (n === 0 ? { ...i, status: 'RESOLVED', resolution: 'FALSE-POSITIVE' } : i));
    const hotspots = [
      { key: 'HS-1', status: 'TO_REVIEW', vulnerabilityProbability: 'HIGH', ruleKey: 'java:S2068', component: `${PROJECT}:src/Login.java`, project: PROJECT, line: 3, message: 'Review this hard-coded password.' },
    ];
    const { sonar } = await setUp({ issues, hotspots }, { now: () => Date.parse('2026-11-22T10:00:00Z') });

    const exported = await sonar.fetchFindings({ projectKey: PROJECT, branch: 'main' });
    const report = sonarqubeParser.parse(readReport(JSON.stringify(exported), 's3://reports/sonarqube.json'), { includeCodeSmells: true });

    expect(exported).toMatchObject({ projectKey: PROJECT, branch: 'main', fetchedAt: '2026-11-22T10:00:00.000Z', warnings: [] });
    expect(report.drafts).toHaveLength(601);
    expect(report.warnings).toEqual([]);
    expect(report.drafts.find((d) => d.identity === 'ISSUE-000000')?.state).toBe('SUPPRESSED');
    expect(report.drafts.find((d) => d.identity === 'hotspot:HS-1')?.sourceUrl).toBe(`${server!.url}/security_hotspots?id=${PROJECT}&hotspots=HS-1&branch=main`);
    expect(report.drafts[1]!.resources[0]!.Id).toBe('src/F1.java');
  });
});
