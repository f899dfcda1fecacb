import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  query: Record<string, string>;
  apiKeyHeader: string | undefined;
}

export interface FakeZapScenario {
  apiKey: string;
  /** Successive spider status answers; the last one repeats. */
  spiderProgress?: Array<number | string>;
  /** Successive active scan status answers; the last one repeats. */
  ascanProgress?: Array<number | string>;
  /** Successive passive queue sizes; the last one repeats. */
  passiveRecords?: number[];
  /** Sites the report holds besides the scanned one (left by earlier scans in the same session). */
  otherSites?: string[];
  /** Answer Result for newSession. */
  newSessionResult?: string;
  /** Per-path override: return a response to short-circuit the normal behaviour. */
  override?: (path: string, query: Record<string, string>) => { status: number; body: string; contentType?: string } | 'hang' | undefined;
}

export interface FakeZap {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function siteOf(url: string): string {
  return new URL(url).origin;
}

function reportSite(name: string, alerts: number): Record<string, unknown> {
  const host = new URL(name).hostname;
  return {
    '@name': name,
    '@host': host,
    '@port': new URL(name).port || (name.startsWith('https') ? '443' : '80'),
    '@ssl': String(name.startsWith('https')),
    alerts: Array.from({ length: alerts }, (_, i) => ({
      pluginid: String(10020 + i),
      alertRef: String(10020 + i),
      alert: `Alert ${i}`,
      name: `Alert ${i}`,
      riskcode: '2',
      confidence: '2',
      riskdesc: 'Medium (Medium)',
      desc: '<p>Test alert.</p>',
      instances: [{ uri: `${name}/page${i}`, method: 'GET', param: '', attack: '', evidence: '', otherinfo: '' }],
      count: '1',
      solution: '<p>Fix it.</p>',
      otherinfo: '',
      reference: '',
      cweid: '16',
      wascid: '15',
      sourceid: '3',
    })),
  };
}

/**
 * A local HTTP server that answers like ZAP's JSON API: checks the X-ZAP-API-Key header (403 bad_api_key without
 * it), moves scan status forward on each poll, knows which URLs are in its site tree, and serves a jsonreport.
 */
export async function startFakeZap(scenario: FakeZapScenario): Promise<FakeZap> {
  const requests: RecordedRequest[] = [];
  const siteTree = new Set<string>();
  const polls = { spider: 0, ascan: 0, pscan: 0 };
  const scans = { spider: new Set<string>(), ascan: new Set<string>() };
  let sessionCleared = false;
  const hanging: ServerResponse[] = [];

  const next = <T>(list: T[] | undefined, index: number, fallback: T): T => (list && list.length > 0 ? list[Math.min(index, list.length - 1)]! : fallback);

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fake-zap');
    const query = Object.fromEntries(url.searchParams.entries());
    const apiKeyHeader = req.headers['x-zap-api-key'] as string | undefined;
    requests.push({ path: url.pathname, query, apiKeyHeader });
    const send = (status: number, body: unknown, contentType = 'application/json') => {
      res.writeHead(status, { 'Content-Type': contentType });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const override = scenario.override?.(url.pathname, query);
    if (override === 'hang') return void hanging.push(res);
    if (override) return send(override.status, override.body, override.contentType);
    if (apiKeyHeader !== scenario.apiKey || 'apikey' in query) {
      return send(403, { code: 'bad_api_key', message: 'Bad API Key' });
    }
    switch (url.pathname) {
      case '/JSON/core/action/newSession/':
        sessionCleared = true;
        return send(200, { Result: scenario.newSessionResult ?? 'OK' });
      case '/JSON/core/action/accessUrl/':
        siteTree.add(query.url ?? '');
        return send(200, { accessUrl: [{ requestHeader: `GET ${query.url} HTTP/1.1`, responseHeader: 'HTTP/1.1 200 OK' }] });
      case '/JSON/spider/action/scan/':
        siteTree.add(query.url ?? '');
        scans.spider.add('0');
        return send(200, { scan: '0' });
      case '/JSON/spider/view/status/':
        if (!scans.spider.has(query.scanId ?? '')) return send(400, { code: 'does_not_exist', message: 'Does Not Exist' });
        return send(200, { status: String(next(scenario.spiderProgress, polls.spider++, 100)) });
      case '/JSON/pscan/view/recordsToScan/':
        return send(200, { recordsToScan: String(next(scenario.passiveRecords, polls.pscan++, 0)) });
      case '/JSON/ascan/action/scan/':
        if (!siteTree.has(query.url ?? '')) return send(400, { code: 'url_not_found', message: 'URL Not Found in the Scan Tree' });
        scans.ascan.add('3');
        return send(200, { scan: '3' });
      case '/JSON/ascan/view/status/':
        if (!scans.ascan.has(query.scanId ?? '')) return send(400, { code: 'does_not_exist', message: 'Does Not Exist' });
        return send(200, { status: String(next(scenario.ascanProgress, polls.ascan++, 100)) });
      case '/JSON/spider/action/stop/':
      case '/JSON/ascan/action/stop/':
        return send(200, { Result: 'OK' });
      case '/OTHER/core/other/jsonreport/': {
        const scanned = [...siteTree].map(siteOf);
        const names = [...new Set([...(sessionCleared ? [] : (scenario.otherSites ?? [])), ...scanned])];
        const report = {
          '@programName': 'ZAP',
          '@version': '2.16.0',
          '@generated': 'Tue, 4 Mar 2025 10:12:40',
          site: names.map((name, i) => reportSite(name, scanned.includes(name) ? 3 : 2 + i)),
          insights: [],
        };
        return send(200, JSON.stringify(report, null, 2));
      }
      default:
        return send(400, { code: 'bad_view', message: 'No Implementor' });
    }
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
