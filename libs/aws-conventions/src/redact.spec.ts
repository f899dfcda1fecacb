import { redactSecrets } from './redact';

describe('redactSecrets', () => {
  it.each([
    ['AKIAIOSFODNN7EXAMPLE in a message', 'AKIA****************'],
    ['password=hunter2 and more', 'password=[REDACTED]'],
    ['"apiKey": "zap-123"', '"apiKey": "[REDACTED]'],
    ['GET /JSON/core/view/alerts/?apikey=k3y&baseurl=x', 'apikey=[REDACTED]&baseurl=x'],
    ['Authorization: Basic c3F1Xzo=', 'Basic [REDACTED]'],
  ])('redacts %s', (input, expected) => {
    expect(redactSecrets(input)).toContain(expected);
  });

  it('leaves ordinary text alone', () => {
    expect(redactSecrets('CVE-2021-44228 in log4j-core 2.14.1')).toBe('CVE-2021-44228 in log4j-core 2.14.1');
  });
});
