/**
 * Whole-request errors, shaped as Security Hub sends them over restJson1: the status code, the
 * `x-amzn-errortype` header (the SDK reads the error name from it first) and a JSON body {Message, Code}.
 */
export type ErrorCode =
  | 'InvalidInputException'
  | 'InvalidAccessException'
  | 'LimitExceededException'
  | 'InternalException'
  | 'UnknownOperationException';

const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  InvalidInputException: 400,
  InvalidAccessException: 401,
  LimitExceededException: 429,
  InternalException: 500,
  UnknownOperationException: 404,
};

export class ServiceError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
    this.status = STATUS_BY_CODE[code];
  }
}

export function invalidInput(message: string): ServiceError {
  return new ServiceError('InvalidInputException', message);
}

/** The JSON body of an error response. */
export function errorBody(error: ServiceError): { Message: string; Code: ErrorCode } {
  return { Message: error.message, Code: error.code };
}
