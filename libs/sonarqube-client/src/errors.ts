/** What went wrong, for callers that branch on it. */
export type SonarQubeErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'HTTP_ERROR'
  | 'UNAVAILABLE'
  | 'NETWORK'
  | 'BAD_RESPONSE'
  | 'TOO_MANY_RESULTS'
  | 'ANALYSIS_FAILED'
  | 'TIMEOUT'
  | 'CONFIG';

/**
 * The one error the client throws. Its message names the endpoint and the problem and never contains the token:
 * every message is passed through the client's redactor, and no underlying error (which could carry headers) is kept.
 */
export class SonarQubeError extends Error {
  override readonly name = 'SonarQubeError';
  constructor(
    message: string,
    readonly code: SonarQubeErrorCode,
    readonly status?: number,
    /** SonarQube's own explanation (`errors[].msg`), redacted, when it gave one. */
    readonly serverMessage?: string,
  ) {
    super(message);
  }
}

export function isSonarQubeError(error: unknown): error is SonarQubeError {
  return error instanceof SonarQubeError;
}

export const REDACTED = '[REDACTED]';

/**
 * A function that blanks a secret out of any text: the token itself, its Basic form (`base64(token:)`) and its
 * URL-encoded form. Used on every log line and error message.
 */
export function redactor(secret: string): (text: string) => string {
  const forms = [secret, Buffer.from(`${secret}:`).toString('base64'), encodeURIComponent(secret)]
    .filter((form, i, all) => form.length > 0 && all.indexOf(form) === i)
    .sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    // Credentials in a URL (https://user:password@host) are never shown either.
    return out.replace(/\/\/[^/@\s:]+:[^/@\s]+@/g, `//${REDACTED}@`);
  };
}
