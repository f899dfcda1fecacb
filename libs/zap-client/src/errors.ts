/** The phase of a scan an error happened in, for the message and for callers that react per phase. */
export type ZapPhase = 'config' | 'api-key' | 'session' | 'access' | 'spider' | 'passive' | 'active' | 'report';

/**
 * Every failure of a scan run: names the phase and the problem in words a pipeline log can show as is.
 * Messages never contain the API key (see redact).
 */
export class ZapScanError extends Error {
  override readonly name = 'ZapScanError';
  constructor(
    readonly phase: ZapPhase,
    message: string,
    /** Why a wait ended without success: its time limit, or no progress. Undefined for every other failure. */
    readonly reason?: 'timeout' | 'stalled',
  ) {
    super(`ZAP ${phase}: ${message}`);
  }
}

/** Replaces every secret in a text with `***`; secrets shorter than 4 characters are not meaningful and left alone. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

/** A URL for logs and errors: user and password removed, so `https://user:pw@host` never reaches a log. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}
