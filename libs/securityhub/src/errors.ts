/**
 * How a failed request or a failed finding is treated (../shared/reference/asff.md §1, §9):
 * - throttled: 429 / LimitExceededException: back off, retry, and slow the client-side bucket down;
 * - transient: 5xx, InternalException, timeouts and dropped connections: back off and retry;
 * - permanent: everything else (InvalidInputException, InvalidAccessException, AccessDenied, ...): not retried.
 */
export type ErrorClass = 'throttled' | 'transient' | 'permanent';

const THROTTLING_NAMES = new Set([
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);
const TRANSIENT_NAMES = new Set([
  'InternalException',
  'InternalServerException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $retryable?: unknown;
}

function shape(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
}

export function classifyError(error: unknown): ErrorClass {
  const e = shape(error);
  const name = typeof e.name === 'string' ? e.name : '';
  const status = e.$metadata?.httpStatusCode;
  if (status === 429 || THROTTLING_NAMES.has(name)) return 'throttled';
  if ((status !== undefined && status >= 500) || e.$fault === 'server' || TRANSIENT_NAMES.has(name)) return 'transient';
  if (typeof e.code === 'string' && TRANSIENT_NETWORK_CODES.has(e.code)) return 'transient';
  if (e.$retryable) return 'transient';
  return 'permanent';
}

/** Error name as reported to the caller, e.g. `InvalidInputException`. */
export function errorCode(error: unknown): string {
  const e = shape(error);
  if (typeof e.name === 'string' && e.name !== 'Error' && e.name !== '') return e.name;
  if (typeof e.code === 'string' && e.code !== '') return e.code;
  if (e.$metadata?.httpStatusCode !== undefined) return `HTTP${e.$metadata.httpStatusCode}`;
  return 'UnknownError';
}

export function errorMessage(error: unknown): string {
  const e = shape(error);
  return typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
}

/** HTTP requests one SDK call made: the SDK's own retries show up in $metadata.attempts. */
export function attemptsOf(outputOrError: unknown): number {
  const attempts = shape(outputOrError).$metadata?.attempts;
  return typeof attempts === 'number' && attempts >= 1 ? attempts : 1;
}

/**
 * Per-finding ErrorCodes worth retrying in a later batch. Validation failures have undocumented codes and fail
 * again whatever we do, so only throttling, internal and concurrency failures are retried (asff.md §9).
 */
export function isTransientFindingError(code: string | undefined): boolean {
  return /Internal|Throttl|LimitExceeded|ConcurrentUpdate|ServiceUnavailable/i.test(code ?? '');
}

export interface BackoffConfig {
  baseMs: number;
  maxMs: number;
}

/** "Full jitter" exponential backoff: uniform in [0, min(max, base · 2^retry)). `retry` counts from 0. */
export function backoffDelay(retry: number, config: BackoffConfig, random: () => number): number {
  const ceiling = Math.min(config.maxMs, config.baseMs * 2 ** Math.min(retry, 30));
  return Math.floor(random() * ceiling);
}
