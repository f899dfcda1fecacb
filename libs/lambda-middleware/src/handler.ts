import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { redactSecrets } from '@devsecops/aws-conventions';
import { HandlerError } from './errors';

/**
 * A Powertools Logger that never prints the invocation event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: the events
 * these functions receive can carry secrets (an approval token, CodeBuild environment values, inline reports).
 */
export class EventSafeLogger extends Logger {
  override shouldLogEvent(): boolean {
    return false;
  }
}

export function createLogger(serviceName: string): Logger {
  return new EventSafeLogger({ serviceName });
}

interface SchemaIssue {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
}

/** Standard Schema issues (what the Powertools parser puts in `cause`) as "path: message; …". */
function describeIssues(cause: unknown): string | undefined {
  const issues = cause instanceof z.ZodError ? cause.issues : Array.isArray(cause) ? (cause as SchemaIssue[]) : undefined;
  if (!issues || issues.length === 0) return undefined;
  return issues
    .slice(0, 10)
    .map((issue) => {
      const path = (issue.path ?? []).map((p) => String(typeof p === 'object' && p !== null && 'key' in p ? p.key : p)).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Turns whatever a handler threw into a HandlerError with a readable message. */
export function toHandlerError(error: unknown): HandlerError {
  if (error instanceof HandlerError) return error;
  const err = error as Error & { cause?: unknown };
  if (err?.name === 'ParseError') {
    const detail = describeIssues(err.cause) ?? err.message;
    return new HandlerError('InvalidEvent', `The event is not one this function accepts: ${redactSecrets(detail)}`);
  }
  if (err?.name === 'ReportError') return new HandlerError('InvalidReport', redactSecrets(err.message));
  return new HandlerError(err?.name && err.name !== 'Error' ? err.name : 'InternalError', redactSecrets(err?.message ?? String(error)));
}

export interface HandlerOptions<TSchema extends z.ZodType, TResult> {
  logger: Logger;
  schema: TSchema;
  /** The exported worker: plain input, plain output. */
  handle: (event: z.infer<TSchema>, context: Context) => Promise<TResult>;
}

/**
 * The middy chain every function uses: logger context, event parsing with zod (Powertools parser),
 * then the worker; any error becomes a HandlerError (code + message, no stack), logged once.
 */
export function createHandler<TSchema extends z.ZodType, TResult>(
  options: HandlerOptions<TSchema, TResult>,
): MiddyfiedHandler<unknown, TResult, Error, Context> {
  const { logger } = options;
  return middy<unknown, TResult, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      onError: async (request) => {
        const handled = toHandlerError(request.error);
        logger.error('Invocation failed', { errorCode: handled.code, errorMessage: handled.message });
        request.error = handled;
      },
    })
    .use(parser({ schema: options.schema }) as unknown as middy.MiddlewareObj<unknown, TResult, Error, Context>)
    .handler(async (event, context) => options.handle(event as z.infer<TSchema>, context));
}
