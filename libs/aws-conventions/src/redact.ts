export const REDACTED_MARK = '[REDACTED]';

/** Key names whose value is a secret (also as the end of a longer key: `SONAR_TOKEN`, `X-Api-Key`, `dbPassword`). */
const SECRET_KEY = String.raw`(?:secret|token|password|passwd|apikey|api[-_]key|authorization)`;
/** What a value may be made of; stops at whitespace, quotes and the separators of query strings and lists. */
const VALUE = String.raw`[^\s"'&,;]+`;
/** Values that are redaction marks or schemes the Bearer/Basic rule already handled. */
const ALREADY_HANDLED = /^(?:Bearer|Basic|\[REDACTED\]|\*+)$/;

/**
 * A bare word after `key: ` is a value only when it looks like one: a secret has a digit or a symbol in it, or is
 * long. "approval.token: must be a UUID" or "password: Required" are the words of a message and stay as they are.
 * (`key=value`, `key:value` and quoted values are always values: see the rules below.)
 */
function looksLikeSecret(word: string): boolean {
  const bare = word.replace(/[.,:;!?)\]]+$/, '');
  return /[^A-Za-z]/.test(bare) || bare.length >= 20;
}

/** Messages that must never reach a log or a caller verbatim. */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string | ((...groups: string[]) => string)]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED_MARK}`],
  [/([?&](?:apikey|api_key|token|access_token|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=)[^&\s"']+/gi, `$1${REDACTED_MARK}`],
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '$1****************'],
  // Quoted values (JSON, YAML, shell): `"apiKey": "zap-123"`, `password='x'`: always a value.
  [new RegExp(String.raw`(${SECRET_KEY}["']?\s*[:=]\s*["'])([^"'\n]+)`, 'gi'), (_m, prefix, value) => `${prefix}${ALREADY_HANDLED.test(value!) ? value : REDACTED_MARK}`],
  // Directly joined: `password=hunter2`, `token:abc`: always a value.
  [new RegExp(String.raw`(${SECRET_KEY}["']?[:=])(${VALUE})`, 'gi'), (_m, prefix, value) => `${prefix}${ALREADY_HANDLED.test(value!) ? value : REDACTED_MARK}`],
  // Spaced and unquoted: `X-Api-Key: k3y-123`, `token = ghp_…` are values; `token: must be a UUID` is a message.
  [
    new RegExp(String.raw`(${SECRET_KEY}["']?\s*[:=]\s+)(${VALUE})`, 'gi'),
    (_m, prefix, value) => `${prefix}${ALREADY_HANDLED.test(value!) || !looksLikeSecret(value!) ? value : REDACTED_MARK}`,
  ],
];

/**
 * Removes credentials, tokens and signed-URL secrets from text meant for logs, errors, findings or emails.
 * Only values are replaced, never the words around them: text without a secret comes back unchanged.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement as string);
  return out;
}
