import { SonarQubeError, type SonarQubeErrorCode } from './errors';
import type { ClientLogger } from './types';

export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First back-off delay; doubles per attempt (with jitter). */
  baseDelayMs: number;
  /** Upper bound of one delay, Retry-After included. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 15_000 };

export interface TransportOptions {
  serverUrl: string;
  token: string;
  /** `basic` (token as user name, empty password: every SonarQube version) or `bearer` (10.x and later). */
  authScheme: 'basic' | 'bearer';
  fetch: FetchFunction;
  retry: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  requestTimeoutMs: number;
  redact: (text: string) => string;
  logger?: ClientLogger;
  random?: () => number;
}

export interface Transport {
  getJson(path: string, params: Record<string, string>): Promise<unknown>;
  /** Requests sent so far (retries included). */
  readonly requests: number;
}

/** Delay before retry `attempt` (1-based): Retry-After when the server gives one, else exponential back-off with jitter. */
export function retryDelay(attempt: number, retryAfter: string | null, policy: RetryPolicy, random: () => number = Math.random): number {
  const seconds = retryAfter !== null && /^\d{1,6}$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : undefined;
  if (seconds !== undefined) return Math.min(seconds * 1000, policy.maxDelayMs);
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** SonarQube's `{"errors":[{"msg":"…"}]}` text, shortened. */
function serverMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { errors?: Array<{ msg?: unknown }> };
    const messages = (parsed.errors ?? []).map((e) => e.msg).filter((m): m is string => typeof m === 'string' && m.trim().length > 0);
    if (messages.length > 0) return messages.join('; ').slice(0, 300);
  } catch {
    // not JSON: no server message
  }
  return undefined;
}

function statusMessage(status: number, endpoint: string, detail: string | undefined): { message: string; code: SonarQubeErrorCode } {
  const said = detail ? `: SonarQube says "${detail}"` : '';
  switch (status) {
    case 401:
      return { message: `SonarQube rejected the token (401 Unauthorized) for ${endpoint}: it is missing, expired or revoked`, code: 'UNAUTHORIZED' };
    case 403:
      return { message: `the token may not read this (403 Forbidden) for ${endpoint}${said}; it needs the Browse permission on the project`, code: 'FORBIDDEN' };
    case 404:
      return { message: `not found (404) for ${endpoint}${said}; check the server URL, the project key and the branch or pull request`, code: 'NOT_FOUND' };
    case 400:
      return { message: `SonarQube rejected the request (400 Bad Request) for ${endpoint}${said}`, code: 'BAD_REQUEST' };
    default:
      return { message: `SonarQube answered ${status} for ${endpoint}${said}`, code: 'HTTP_ERROR' };
  }
}

function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Why a fetch failed without a response (connection refused, DNS, timeout), without the request itself. */
function networkReason(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'the request timed out';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? 'unknown network error';
}

/**
 * GET + JSON with authentication, bounded retries of 429/5xx and network failures, and redacted errors.
 * The Authorization header is built here and nowhere else; it is never logged or put into an error.
 */
export function createTransport(options: TransportOptions): Transport {
  const authorization =
    options.authScheme === 'bearer' ? `Bearer ${options.token}` : `Basic ${Buffer.from(`${options.token}:`).toString('base64')}`;
  const { redact, logger, retry } = options;
  let requests = 0;

  async function getJson(path: string, params: Record<string, string>): Promise<unknown> {
    const query = new URLSearchParams(params).toString();
    const endpoint = redact(`GET ${path}${query ? `?${query}` : ''}`);
    const url = `${options.serverUrl}${path}${query ? `?${query}` : ''}`;
    let lastProblem = '';
    for (let attempt = 1; attempt <= retry.maxAttempts; attempt += 1) {
      requests += 1;
      logger?.debug('SonarQube request', { endpoint, attempt });
      let response: Response;
      try {
        response = await options.fetch(url, {
          method: 'GET',
          headers: { Authorization: authorization, Accept: 'application/json' },
          signal: AbortSignal.timeout(options.requestTimeoutMs),
        });
      } catch (error) {
        lastProblem = redact(networkReason(error));
        if (attempt < retry.maxAttempts) {
          const delay = retryDelay(attempt, null, retry, options.random);
          logger?.warn('SonarQube unreachable, retrying', { endpoint, attempt, problem: lastProblem, delayMs: delay });
          await options.sleep(delay);
          continue;
        }
        throw new SonarQubeError(redact(`could not reach SonarQube at ${options.serverUrl} for ${endpoint} after ${attempt} attempts: ${lastProblem}`), 'NETWORK');
      }
      const body = await response.text().catch(() => '');
      if (response.ok) {
        try {
          return JSON.parse(body) as unknown;
        } catch {
          throw new SonarQubeError(
            `SonarQube answered ${endpoint} with something that is not JSON (a login or proxy page? check the server URL)`,
            'BAD_RESPONSE',
            response.status,
          );
        }
      }
      const rawDetail = serverMessage(body);
      const detail = rawDetail === undefined ? undefined : redact(rawDetail);
      if (!retryable(response.status)) {
        const { message, code } = statusMessage(response.status, endpoint, detail);
        throw new SonarQubeError(redact(message), code, response.status, detail);
      }
      lastProblem = `${response.status}${detail ? ` (${detail})` : ''}`;
      if (attempt < retry.maxAttempts) {
        const delay = retryDelay(attempt, response.headers.get('retry-after'), retry, options.random);
        logger?.warn('SonarQube busy or failing, retrying', { endpoint, attempt, problem: lastProblem, delayMs: delay });
        await options.sleep(delay);
      }
    }
    throw new SonarQubeError(redact(`SonarQube still failed after ${retry.maxAttempts} attempts for ${endpoint} (last answer ${lastProblem})`), 'UNAVAILABLE');
  }

  return {
    getJson,
    get requests() {
      return requests;
    },
  };
}
