import { LimitExceededException, InvalidInputException, InternalException } from '@aws-sdk/client-securityhub';
import { attemptsOf, backoffDelay, classifyError, errorCode, isTransientFindingError } from './errors';

describe('classifyError', () => {
  it.each([
    ['SDK LimitExceededException', new LimitExceededException({ message: 'slow down', $metadata: { httpStatusCode: 429 } }), 'throttled'],
    ['plain 429', Object.assign(new Error('x'), { $metadata: { httpStatusCode: 429 } }), 'throttled'],
    ['InternalException', new InternalException({ message: 'boom', $metadata: { httpStatusCode: 500 } }), 'transient'],
    ['503 without a name', Object.assign(new Error('x'), { $metadata: { httpStatusCode: 503 } }), 'transient'],
    ['connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'transient'],
    ['SDK timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'transient'],
    ['InvalidInputException', new InvalidInputException({ message: 'bad', $metadata: { httpStatusCode: 400 } }), 'permanent'],
    ['InvalidAccessException', Object.assign(new Error('not subscribed'), { name: 'InvalidAccessException', $metadata: { httpStatusCode: 401 } }), 'permanent'],
    ['a bug', new TypeError('x is undefined'), 'permanent'],
    ['not an Error', 'oops', 'permanent'],
  ])('%s → %s', (_label, error, expected) => {
    expect(classifyError(error)).toBe(expected);
  });
});

describe('errorCode', () => {
  it('prefers the exception name, then a code, then the HTTP status', () => {
    expect(errorCode(new InvalidInputException({ message: 'bad', $metadata: {} }))).toBe('InvalidInputException');
    expect(errorCode(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    expect(errorCode(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 502 } }))).toBe('HTTP502');
    expect(errorCode(undefined)).toBe('UnknownError');
  });
});

describe('attemptsOf', () => {
  it('counts the SDK retries recorded in $metadata and at least one request', () => {
    expect(attemptsOf({ $metadata: { attempts: 3 } })).toBe(3);
    expect(attemptsOf({ $metadata: {} })).toBe(1);
    expect(attemptsOf(new Error('x'))).toBe(1);
  });
});

describe('isTransientFindingError', () => {
  it.each([
    ['InternalFailure', true],
    ['InternalException', true],
    ['ThrottlingException', true],
    ['LimitExceeded', true],
    ['ConcurrentUpdateError', true],
    ['ServiceUnavailable', true],
    ['InvalidAccess', false],
    ['InvalidInput', false],
    ['FindingSizeExceeded', false],
    [undefined, false],
  ])('%s → %s', (code, expected) => {
    expect(isTransientFindingError(code)).toBe(expected);
  });
});

describe('backoffDelay', () => {
  const config = { baseMs: 100, maxMs: 5_000 };

  it('grows exponentially up to the cap (full jitter: random × ceiling)', () => {
    expect([0, 1, 2, 3, 10].map((retry) => backoffDelay(retry, config, () => 0.999999))).toEqual([99, 199, 399, 799, 4999]);
  });

  it('can be anywhere from zero, which spreads competing clients', () => {
    expect(backoffDelay(5, config, () => 0)).toBe(0);
    expect(backoffDelay(5, config, () => 0.5)).toBe(1600);
  });
});
