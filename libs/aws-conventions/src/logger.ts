/** What libraries log through: Powertools' Logger, or a test double. Libraries never construct a logger. */
export interface LoggerLike {
  debug(message: string, ...extra: unknown[]): void;
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

/** What a library that only reports progress and problems needs (the importer, scan ingestion). */
export type BasicLogger = Pick<LoggerLike, 'debug' | 'info' | 'warn'>;
