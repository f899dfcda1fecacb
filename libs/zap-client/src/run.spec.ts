import { startFakeZap, type FakeZap, type FakeZapScenario } from './__fixtures__/fake-zap';
import { ZapScanError } from './errors';
import { runZapScan, type ZapScanOptions } from './run';

const API_KEY = 'zap-key-5f1c9a0e-do-not-log';
const TARGET = 'https://staging.hospital.example/';

/** A clock whose sleep advances time instantly, so minutes of polling run in milliseconds. */
function fakeClock() {
  let time = 1_000_000;
  return { now: () => time, sleep: async (ms: number) => void (time += ms) };
}

let zap: FakeZap | undefined;
afterEach(async () => {
  await zap?.close();
  zap = undefined;
});

async function scan(scenario: Partial<FakeZapScenario>, options: Partial<ZapScanOptions> = {}) {
  zap = await startFakeZap({ apiKey: API_KEY, ...scenario });
  const logs: string[] = [];
  const run = runZapScan({
    zapUrl: zap.url,
    target: TARGET,
    apiKey: API_KEY,
    ...fakeClock(),
    log: (message, details) => logs.push(`${message} ${details ? JSON.stringify(details) : ''}`),
    ...options,
  });
  return { run, logs, zap };
}

async function failure(promise: Promise<unknown>): Promise<ZapScanError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ZapScanError);
    expect((error as Error).message).not.toContain(API_KEY);
    return error as ZapScanError;
  }
  throw new Error('expected the scan to fail');
}

describe('runZapScan against a ZAP-like API', () => {
  it('runs access, spider, passive wait, active scan and report, in that order', async () => {
    // Arrange
    const { run, zap } = await scan({ spiderProgress: [0, 40, 100], passiveRecords: [12, 3, 0], ascanProgress: [0, 10, 55, 100] });

    // Act
    const result = await run;

    // Assert
    const paths = zap.requests.map((r) => r.path);
    expect(paths).toEqual([
      '/JSON/core/action/accessUrl/',
      '/JSON/spider/action/scan/',
      ...Array(3).fill('/JSON/spider/view/status/'),
      ...Array(3).fill('/JSON/pscan/view/recordsToScan/'),
      '/JSON/ascan/action/scan/',
      ...Array(4).fill('/JSON/ascan/view/status/'),
      '/OTHER/core/other/jsonreport/',
    ]);
    expect(zap.requests.find((r) => r.path === '/JSON/spider/action/scan/')?.query).toMatchObject({ url: TARGET, recurse: 'true', subtreeOnly: 'true' });
    expect(zap.requests.find((r) => r.path === '/JSON/ascan/view/status/')?.query).toEqual({ scanId: '3' });
    expect(result.alerts).toBe(3);
  });

  it('sends the API key only in the X-ZAP-API-Key header and never logs it', async () => {
    // Arrange
    const { run, logs, zap } = await scan({});

    // Act
    await run;

    // Assert
    expect(zap.requests.every((r) => r.apiKeyHeader === API_KEY)).toBe(true);
    expect(zap.requests.some((r) => JSON.stringify(r.query).includes(API_KEY))).toBe(false);
    expect(logs.length).toBeGreaterThan(3);
    expect(logs.join('\n')).not.toContain(API_KEY);
  });

  it('keeps only the target’s site in the report, dropping alerts of other targets held by the daemon', async () => {
    // Arrange
    const { run } = await scan({ otherSites: ['https://old-target.example', 'http://staging.hospital.example'] });

    // Act
    const result = await run;

    // Assert
    const report = result.report as { site: Array<{ '@name': string }>; insights: unknown };
    expect(report.site.map((s) => s['@name'])).toEqual(['https://staging.hospital.example']);
    expect(report.insights).toEqual([]);
    expect(result.alerts).toBe(3);
    expect(JSON.parse(result.reportJson)).toEqual(result.report);
  });

  it('measures the duration with the injected clock', async () => {
    // Arrange: 2 spider sleeps + 1 passive + 3 active, 5 s apart
    const { run } = await scan({ spiderProgress: [10, 50, 100], passiveRecords: [4, 0], ascanProgress: [0, 1, 2, 100] });

    // Act
    const result = await run;

    // Assert
    expect(result.durationMs).toBe(6 * 5_000);
  });

  it('baseline mode waits for the passive queue and never starts an active scan', async () => {
    // Arrange
    const { run, zap } = await scan({ passiveRecords: [30, 20, 5, 0] }, { mode: 'baseline' });

    // Act
    await run;

    // Assert
    const paths = zap.requests.map((r) => r.path);
    expect(paths.filter((p) => p.startsWith('/JSON/ascan/'))).toEqual([]);
    expect(paths.filter((p) => p === '/JSON/pscan/view/recordsToScan/')).toHaveLength(4);
    expect(paths[paths.length - 1]).toBe('/OTHER/core/other/jsonreport/');
  });

  it('starts a new session first when asked, so older alerts are gone', async () => {
    // Arrange
    const { run, zap } = await scan({ otherSites: ['https://old-target.example'] }, { newSession: true });

    // Act
    const result = await run;

    // Assert
    expect(zap.requests[0]?.path).toBe('/JSON/core/action/newSession/');
    expect((result.report as { site: unknown[] }).site).toHaveLength(1);
  });
});

describe('runZapScan failures', () => {
  it('a wrong API key fails on the first call with ZAP’s code and a hint, without the key', async () => {
    // Arrange
    const { run } = await scan({}, { apiKey: 'wrong-key-123456' });

    // Act
    const error = await failure(run);

    // Assert
    expect(error.phase).toBe('access');
    expect(error.message).toBe(
      'ZAP access: /JSON/core/action/accessUrl/ failed with HTTP 403: bad_api_key (Bad API Key): ZAP refused the API key: check the key parameter and the daemon’s api.key',
    );
    expect(error.message).not.toContain('wrong-key-123456');
  });

  it('without a key no header is sent, and ZAP’s refusal is reported', async () => {
    // Arrange
    const { run, zap } = await scan({}, { apiKey: '' });

    // Act
    const error = await failure(run);

    // Assert
    expect(zap.requests).toEqual([{ path: '/JSON/core/action/accessUrl/', query: { url: TARGET, followRedirects: 'true' }, apiKeyHeader: undefined }]);
    expect(error.message).toContain('failed with HTTP 403: bad_api_key');
  });

  it('a stalled active scan fails after the configured polls without progress, and is stopped', async () => {
    // Arrange
    const { run, zap } = await scan({ ascanProgress: [0, 20, 45] }, { stallPolls: 10 });

    // Act
    const error = await failure(run);

    // Assert
    expect(error.phase).toBe('active');
    expect(error.message).toBe('ZAP active: active scan 3 stalled at 45%: no progress in 10 polls (50 s)');
    expect(zap.requests.filter((r) => r.path === '/JSON/ascan/view/status/')).toHaveLength(13);
    expect(zap.requests[zap.requests.length - 1]).toMatchObject({ path: '/JSON/ascan/action/stop/', query: { scanId: '3' } });
  });

  it('a scan that moves too slowly fails at its time limit', async () => {
    // Arrange: one percent per 5 s poll would need 500 s; the limit is 60 s
    const progress = Array.from({ length: 101 }, (_, i) => i);
    const { run } = await scan({ ascanProgress: progress }, { timeouts: { activeMs: 60_000 } });

    // Act
    const error = await failure(run);

    // Assert
    expect(error.message).toBe('ZAP active: active scan 3 did not finish in its time limit: waited 1 min, at 12%');
  });

  it('the overall time limit bounds every phase', async () => {
    // Arrange
    const { run } = await scan({ spiderProgress: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20] }, { timeouts: { totalMs: 30_000 } });

    // Act
    const error = await failure(run);

    // Assert
    expect(error.phase).toBe('spider');
    expect(error.message).toMatch(/^ZAP spider: spider 0 did not finish in its time limit: waited 30 s, at 7%$/);
  });

  it('a passive queue that never drains fails as stalled', async () => {
    // Arrange
    const { run } = await scan({ passiveRecords: [9, 7, 7] }, { stallPolls: 5, mode: 'baseline' });

    // Act
    const error = await failure(run);

    // Assert
    expect(error.message).toBe('ZAP passive: passive scan stalled at 7 record(s) left: no progress in 5 polls (25 s)');
  });

  it('an active scan of a URL ZAP has never seen fails with url_not_found and what to do', async () => {
    // Arrange
    const { run } = await scan({}, { accessUrl: false, spider: false });

    // Act
    const error = await failure(run);

    // Assert
    expect(error.message).toBe(
      'ZAP active: /JSON/ascan/action/scan/ failed with HTTP 400: url_not_found (URL Not Found in the Scan Tree): the URL is not in ZAP’s site tree: access or spider it first, and check the target URL',
    );
  });

  it('a status that is not a number is an error, not an endless loop', async () => {
    // Arrange
    const { run } = await scan({ ascanProgress: ['does_not_exist'] });

    // Act
    const error = await failure(run);

    // Assert
    expect(error.message).toBe('ZAP active: active scan 3 status answered "status": "does_not_exist", not a number');
  });

  it('an action whose Result is not OK fails', async () => {
    // Arrange
    const { run } = await scan({ newSessionResult: 'FAIL' }, { newSession: true });

    // Act
    const error = await failure(run);

    // Assert
    expect(error.message).toBe('ZAP session: /JSON/core/action/newSession/ answered Result "FAIL" instead of OK');
  });

  it('an error body with HTTP 200 is still an error', async () => {
    // Arrange
    const override = (path: string) =>
      path === '/JSON/spider/action/scan/' ? { status: 200, body: JSON.stringify({ code: 'bad_param', message: 'Bad Parameter' }) } : undefined;
    const { run } = await scan({ override });

    // Act
    const error = await failure(run);

    // Assert
    expect(error.message).toBe('ZAP spider: /JSON/spider/action/scan/ bad_param (Bad Parameter)');
  });

  it('a proxy error page in front of ZAP is reported with its status and text', async () => {
    // Arrange
    const override = (path: string) =>
      path === '/JSON/pscan/view/recordsToScan/' ? { status: 502, body: '<html><body>Bad Gateway</body></html>', contentType: 'text/html' } : undefined;
    const { run } = await scan({ override });

    // Act
    const error = await failure(run);

    // Assert
    expect(error.message).toBe('ZAP passive: /JSON/pscan/view/recordsToScan/ failed with HTTP 502: <html><body>Bad Gateway</body></html>');
  });

  it('a report without the target’s site means the target was not reached', async () => {
    // Arrange
    const override = (path: string) =>
      path === '/OTHER/core/other/jsonreport/'
        ? { status: 200, body: JSON.stringify({ '@version': '2.16.0', site: [{ '@name': 'https://other.example', alerts: [] }] }) }
        : undefined;
    const { run } = await scan({ override });

    // Act
    const error = await failure(run);

    // Assert
    expect(error.message).toBe('ZAP report: the report has no site https://staging.hospital.example (it has: https://other.example): the target was not reached');
  });

  it('a ZAP that does not answer fails after the request timeout', async () => {
    // Arrange
    const override = (path: string) => (path === '/JSON/core/action/accessUrl/' ? ('hang' as const) : undefined);
    // the other calls before it must answer within this time on a busy machine too: the timeout is generous
    const { run } = await scan({ override }, { requestTimeoutMs: 2_000 });

    // Act
    const error = await failure(run);

    // Assert
    expect(error.message).toBe('ZAP access: /JSON/core/action/accessUrl/ did not answer within 2 s');
  });

  it('a ZAP that is not listening fails with the connection error', async () => {
    // Arrange
    const closed = await startFakeZap({ apiKey: API_KEY });
    await closed.close();

    // Act
    const error = await failure(runZapScan({ zapUrl: closed.url, target: TARGET, apiKey: API_KEY, ...fakeClock() }));

    // Assert
    expect(error.message).toBe(`ZAP access: /JSON/core/action/accessUrl/ could not be reached at ${closed.url}: ECONNREFUSED`);
  });

  it('bad options fail before any request', async () => {
    // Arrange
    const { run, zap } = await scan({}, { target: 'ftp://staging.hospital.example' });

    // Act
    const error = await failure(run);

    // Assert
    expect(error.phase).toBe('config');
    expect(zap.requests).toEqual([]);
  });
});
