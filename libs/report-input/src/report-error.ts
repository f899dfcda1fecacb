/**
 * The one error a user sees for bad input: names the report and the problem, never a stack trace.
 * Every parser throws this (or returns warnings); anything else escaping a parser is a bug.
 */
export class ReportError extends Error {
  override readonly name = 'ReportError';
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`${source}: ${problem}`);
  }
}

export function isReportError(error: unknown): error is ReportError {
  return error instanceof ReportError;
}
