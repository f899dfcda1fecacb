import { Logger } from '@aws-lambda-powertools/logger';

/**
 * A Powertools Logger that never prints the invocation event, whatever POWERTOOLS_LOGGER_LOG_EVENT says:
 * the events these functions receive carry secrets (an approval token, CodeBuild environment values).
 */
export class EventSafeLogger extends Logger {
  override shouldLogEvent(): boolean {
    return false;
  }
}

export function createEventSafeLogger(serviceName: string): Logger {
  return new EventSafeLogger({ serviceName });
}

/** What the libraries log through: Powertools' Logger, or a test double. */
export interface LoggerLike {
  debug(message: string, ...extra: unknown[]): void;
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}
