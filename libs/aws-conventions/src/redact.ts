/** Messages that must never reach a log or a caller verbatim. */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 [REDACTED]'],
  [/([?&](?:apikey|api_key|token|access_token|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=)[^&\s"']+/gi, '$1[REDACTED]'],
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '$1****************'],
  [/((?:secret|token|password|passwd|apikey|api[-_]key|authorization)["']?\s*[:=]\s*["']?)(?!Bearer\b|Basic\b|\[REDACTED\])[^\s"'&,;]+/gi, '$1[REDACTED]'],
];

/** Removes credentials, tokens and signed-URL secrets from text meant for logs, errors, findings or emails. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
