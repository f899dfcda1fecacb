import { REDACTED, redactor } from './errors';
import { retryDelay } from './http';

describe('redactor', () => {
  const token = 'squ_0123456789abcdef';
  const redact = redactor(token);

  it('blanks the token, its Basic form and its URL-encoded form', () => {
    const basic = Buffer.from(`${token}:`).toString('base64');

    expect(redact(`Bearer ${token} / Basic ${basic} / ?t=${encodeURIComponent('a b')}`)).toBe(`Bearer ${REDACTED} / Basic ${REDACTED} / ?t=a%20b`);
    expect(redactor('tok/en+')(`x=${encodeURIComponent('tok/en+')}`)).toBe(`x=${REDACTED}`);
  });

  it('blanks credentials in URLs', () => {
    expect(redact('https://admin:hunter2@sonar.example.com/api')).toBe(`https://${REDACTED}@sonar.example.com/api`);
  });

  it('leaves other text alone', () => {
    expect(redact('GET /api/issues/search?componentKeys=acme')).toBe('GET /api/issues/search?componentKeys=acme');
  });
});

describe('retryDelay', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 15_000 };

  it('backs off exponentially with jitter between half and the full delay, capped', () => {
    expect(retryDelay(1, null, policy, () => 0)).toBe(250);
    expect(retryDelay(1, null, policy, () => 1)).toBe(500);
    expect(retryDelay(3, null, policy, () => 1)).toBe(2_000);
    expect(retryDelay(10, null, policy, () => 1)).toBe(15_000);
  });

  it('honours Retry-After seconds, capped, and ignores a Retry-After date', () => {
    expect(retryDelay(1, '3', policy)).toBe(3_000);
    expect(retryDelay(1, '3600', policy)).toBe(15_000);
    expect(retryDelay(1, 'Wed, 21 Oct 2026 07:28:00 GMT', policy, () => 1)).toBe(500);
  });
});
