import fc from 'fast-check';
import { redactSecrets } from './redact';

describe('redactSecrets', () => {
  it.each([
    ['AKIAIOSFODNN7EXAMPLE in a message', 'AKIA****************'],
    ['password=hunter2 and more', 'password=[REDACTED] and more'],
    ['password=hunter and more', 'password=[REDACTED] and more'],
    ['"apiKey": "zap-123"', '"apiKey": "[REDACTED]"'],
    ["SONAR_TOKEN='squ_abc123'", "SONAR_TOKEN='[REDACTED]'"],
    ['GET /JSON/core/view/alerts/?apikey=k3y&baseurl=x', 'apikey=[REDACTED]&baseurl=x'],
    ['Authorization: Basic c3F1Xzo=', 'Authorization: Basic [REDACTED]'],
    ['X-Api-Key: k3y-0123456789', 'X-Api-Key: [REDACTED]'],
    ['token: ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'token: [REDACTED]'],
  ])('redacts %s', (input, expected) => {
    expect(redactSecrets(input)).toContain(expected);
  });

  it.each([
    // zod's messages for the approval SNS message and the parser events: the words after "token:" are the message
    'approval.token: must be a UUID',
    'approval.token: Invalid UUID',
    'password: Required.',
    'token: expected string, received undefined',
    'The event is not one this function accepts: approval.token: Invalid input; approval.pipelineName: Required',
    'CVE-2021-44228 in log4j-core 2.14.1',
  ])('leaves the words of a message alone: %s', (message) => {
    expect(redactSecrets(message)).toBe(message);
  });
});

const KEYS = ['token', 'password', 'secret', 'apiKey', 'api_key', 'authorization', 'approval.token', 'SONAR_TOKEN', 'passwd'];
const word = fc.stringMatching(/^[A-Za-z]{1,19}$/);
const punctuation = fc.constantFrom('', '.', ',', ';', ':', '!', '?');
/** A message made of words, some of them keys followed by ": " and a word: what validation errors look like. */
const messageWithoutSecrets = fc
  .array(
    fc.oneof(
      fc.tuple(word, punctuation).map(([w, p]) => `${w}${p}`),
      fc.tuple(fc.constantFrom(...KEYS), word, punctuation).map(([k, w, p]) => `${k}: ${w}${p}`),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(' '));
/** A secret as tokens and keys are: letters, digits and a few symbols, with at least one digit. */
const secret = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9_\-/+]{7,40}$/), fc.integer({ min: 0, max: 9 }))
  .map(([s, d]) => `${s}${d}`);

describe('redactSecrets properties', () => {
  it('returns a message without secrets unchanged', () => {
    fc.assert(fc.property(messageWithoutSecrets, (message) => expect(redactSecrets(message)).toBe(message)));
  });

  it('removes a secret written as key=value, as JSON, or as a header, and keeps the message around it', () => {
    fc.assert(
      fc.property(secret, fc.constantFrom(...KEYS), messageWithoutSecrets, (value, key, around) => {
        const forms = [
          `${key}=${value}`,
          `{"${key}": "${value}"}`,
          `${key}: ${value}`,
          `X-Api-Key: ${value}`,
          `Authorization: Bearer ${value}`,
          `https://sonar.example/api?token=${value}&x=1`,
        ];
        for (const form of forms) {
          const out = redactSecrets(`${around} ${form} ${around}`);
          expect(out).not.toContain(value);
          expect(out.startsWith(`${around} `)).toBe(true);
          expect(out).toContain('[REDACTED]');
        }
      }),
    );
  });
});
