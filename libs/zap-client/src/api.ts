import { ZapScanError, displayUrl, redact, type ZapPhase } from './errors';

/** The subset of `fetch` the client uses, so tests (and other runtimes) can pass their own. */
export type FetchLike = (input: string, init: { method: 'GET'; headers: Record<string, string>; signal?: AbortSignal }) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

export const API_KEY_HEADER = 'X-ZAP-API-Key';

export interface ZapApiOptions {
  /** ZAP's base URL, e.g. `http://zap.internal:8080`. */
  zapUrl: string;
  /** Sent in the X-ZAP-API-Key header, never in the query string. Empty: the daemon runs with the key disabled. */
  apiKey: string;
  fetch: FetchLike;
  /** Per request; the scan itself is bounded by the poll timeouts. */
  requestTimeoutMs: number;
}

export type ApiParams = Record<string, string | number | boolean | undefined>;

/** ZAP's error body: `{"code": "url_not_found", "message": "URL Not Found in the Scan Tree"}`. */
function zapErrorOf(body: unknown): { code: string; message: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { code, message } = body as Record<string, unknown>;
  if (typeof code !== 'string' && typeof message !== 'string') return undefined;
  return { code: typeof code === 'string' ? code : 'error', message: typeof message === 'string' ? message : '' };
}

const HINTS: Record<string, string> = {
  url_not_found: 'the URL is not in ZAP’s site tree: access or spider it first, and check the target URL',
  bad_api_key: 'ZAP refused the API key: check the key parameter and the daemon’s api.key',
  no_access: 'ZAP does not accept API calls from this address: check api.addrs on the daemon',
  does_not_exist: 'the scan does not exist on this ZAP daemon (restarted?)',
};

function oneLineSnippet(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/**
 * A thin client for ZAP's JSON API: one GET per call, key in the header, every failure a ZapScanError with the
 * endpoint and ZAP's own code and message (never the key).
 */
export class ZapApi {
  private readonly base: string;

  constructor(private readonly options: ZapApiOptions) {
    this.base = options.zapUrl.replace(/\/+$/, '');
  }

  /** `/JSON/<component>/<view|action>/<name>/` → the parsed JSON body. */
  async json(phase: ZapPhase, path: string, params: ApiParams = {}): Promise<Record<string, unknown>> {
    const text = await this.get(phase, path, params);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw this.error(phase, path, `answered with something that is not JSON: ${oneLineSnippet(text)}`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw this.error(phase, path, `answered with JSON that is not an object: ${oneLineSnippet(text)}`);
    }
    const zapError = zapErrorOf(body);
    if (zapError && !('Result' in body)) throw this.error(phase, path, this.describeZapError(zapError));
    return body as Record<string, unknown>;
  }

  /** An action that answers `{"Result": "OK"}`. */
  async action(phase: ZapPhase, path: string, params: ApiParams = {}): Promise<void> {
    const body = await this.json(phase, path, params);
    if ('Result' in body && body.Result !== 'OK') {
      throw this.error(phase, path, `answered Result ${JSON.stringify(body.Result)} instead of OK`);
    }
  }

  /** `/OTHER/...` endpoints that return a document (the JSON report) as text. */
  async other(phase: ZapPhase, path: string, params: ApiParams = {}): Promise<string> {
    return this.get(phase, path, params);
  }

  /** The base URL as it may appear in logs. */
  get displayBase(): string {
    return displayUrl(this.base);
  }

  private describeZapError(zapError: { code: string; message: string }): string {
    const hint = HINTS[zapError.code];
    return `${zapError.code}${zapError.message ? ` (${zapError.message})` : ''}${hint ? `: ${hint}` : ''}`;
  }

  private error(phase: ZapPhase, path: string, problem: string): ZapScanError {
    return new ZapScanError(phase, redact(`${path} ${problem}`, [this.options.apiKey]));
  }

  private async get(phase: ZapPhase, path: string, params: ApiParams): Promise<string> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined) query.set(key, String(value));
    }
    const url = `${this.base}${path}${query.size > 0 ? `?${query.toString()}` : ''}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.options.apiKey) headers[API_KEY_HEADER] = this.options.apiKey;
    let response: Awaited<ReturnType<FetchLike>>;
    let text: string;
    try {
      response = await this.options.fetch(url, { method: 'GET', headers, signal: AbortSignal.timeout(this.options.requestTimeoutMs) });
      text = await response.text();
    } catch (error) {
      const err = error as Error & { cause?: { code?: string; message?: string } };
      if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
        const ms = this.options.requestTimeoutMs;
        throw this.error(phase, path, `did not answer within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`);
      }
      const reason = err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(error);
      throw this.error(phase, path, `could not be reached at ${this.displayBase}: ${reason}`);
    }
    if (response.status < 200 || response.status > 299) {
      let zapError: { code: string; message: string } | undefined;
      try {
        zapError = zapErrorOf(JSON.parse(text));
      } catch {
        zapError = undefined;
      }
      const detail = zapError ? this.describeZapError(zapError) : oneLineSnippet(text) || 'no body';
      const keyHint =
        (response.status === 401 || response.status === 403) && !zapError ? ': ZAP refused the request, check the API key and api.addrs' : '';
      throw this.error(phase, path, `failed with HTTP ${response.status}: ${detail}${keyHint}`);
    }
    return text;
  }
}
