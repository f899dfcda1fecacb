/**
 * An error a caller should read: a code and a message, never a stack trace. Lambda serialises `name` as
 * errorType and `message` as errorMessage; the stack is reduced to the same line so the invoke response
 * (and CodeBuild's log) shows the problem, not our internals.
 */
export class HandlerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = code;
    this.stack = `${code}: ${message}`;
  }
}
