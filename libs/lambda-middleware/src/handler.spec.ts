import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { HandlerError } from './errors';
import { createHandler, createLogger, toHandlerError } from './handler';

const context = {
  functionName: 'fn',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

describe('createHandler', () => {
  const schema = z.object({ name: z.string().min(1), count: z.number().int() });

  it('parses the event with the schema and hands plain data to the worker', async () => {
    // Arrange
    const handle = jest.fn(async (event: z.infer<typeof schema>) => ({ greeting: `${event.name} x${event.count}` }));
    const handler = createHandler({ logger: createLogger('test'), schema, handle });
    // Act
    const result = await handler({ name: 'scan', count: 2, extra: true }, context);
    // Assert
    expect(result).toEqual({ greeting: 'scan x2' });
    expect(handle).toHaveBeenCalledWith({ name: 'scan', count: 2 }, expect.anything());
  });

  it('rejects a bad event with InvalidEvent naming the fields, and no stack trace', async () => {
    // Arrange
    const handler = createHandler({ logger: createLogger('test'), schema, handle: async () => 'never' });
    // Act
    const error = (await handler({ name: '', count: 'two' }, context).catch((e: unknown) => e)) as HandlerError;
    // Assert
    expect(error).toBeInstanceOf(HandlerError);
    expect(error.name).toBe('InvalidEvent');
    expect(error.message).toMatch(/name/);
    expect(error.message).toMatch(/count/);
    expect(error.stack).toBe(`InvalidEvent: ${error.message}`);
  });

  it('keeps the words of a validation message about a secret-named field: only values are redacted', async () => {
    // Arrange: the approval notifier's token field, given a value that is not a UUID
    const tokenSchema = z.object({ approval: z.object({ token: z.string().regex(/^[0-9a-f-]{36}$/, 'must be a UUID') }) });
    const handler = createHandler({ logger: createLogger('test'), schema: tokenSchema, handle: async () => 'never' });
    // Act
    const error = (await handler({ approval: { token: 'not-a-uuid' } }, context).catch((e: unknown) => e)) as HandlerError;
    // Assert
    expect(error.name).toBe('InvalidEvent');
    expect(error.message).toBe('The event is not one this function accepts: approval.token: must be a UUID');
    expect(error.message).not.toContain('not-a-uuid');
  });

  it('turns a worker failure into a clean error with secrets removed', async () => {
    // Arrange
    const handler = createHandler({
      logger: createLogger('test'),
      schema,
      handle: async () => {
        throw new Error('request to https://sonar.example.com/api?token=squ_abc123 failed with Authorization: Bearer squ_abc123');
      },
    });
    // Act
    const error = (await handler({ name: 'a', count: 1 }, context).catch((e: unknown) => e)) as HandlerError;
    // Assert
    expect(error.name).toBe('InternalError');
    expect(error.message).not.toContain('squ_abc123');
    expect(error.message).toContain('[REDACTED]');
  });
});

describe('toHandlerError', () => {
  it('keeps a report problem as InvalidReport with its file name', () => {
    // Arrange
    const reportError = Object.assign(new Error('dc.json: is not valid JSON'), { name: 'ReportError' });
    // Act / Assert
    expect(toHandlerError(reportError)).toMatchObject({ code: 'InvalidReport', message: 'dc.json: is not valid JSON' });
  });
});

