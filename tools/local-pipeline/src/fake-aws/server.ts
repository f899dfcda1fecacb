import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeAwsService, FakeAwsError, type FakeAwsService, type FakeAwsWorld, type FakeService } from './service';

/**
 * HTTP front of the fake: the wire protocols the AWS SDK v3 speaks to these services.
 * - awsJson1_1 (CodePipeline, CodeBuild): POST /, `X-Amz-Target: <prefix>.<Operation>`, JSON in and out;
 *   errors as `{"__type": code, "message"}` plus `x-amzn-errortype`.
 * - awsQuery (SNS, IAM): POST / with a form body `Action=…&Version=…&…`, XML responses
 *   `<OpResponse><OpResult>…</OpResult></OpResponse>`, errors as `<ErrorResponse><Error><Code>…`.
 * The service of a query request is read from the SigV4 credential scope (`…/us-east-1/sns/aws4_request`),
 * else from the action name.
 */

const JSON_TARGETS: Record<string, FakeService> = {
  CodePipeline_20150709: 'codepipeline',
  CodeBuild_20161006: 'codebuild',
};

const QUERY_NAMESPACES: Record<'sns' | 'iam', string> = {
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
};

const ACTION_SERVICE: Record<string, 'sns' | 'iam'> = { Publish: 'sns', GetRolePolicy: 'iam' };

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface FakeAws extends FakeAwsService {
  /** `http://127.0.0.1:<port>`: the value of AWS_ENDPOINT_URL_<SERVICE>. */
  endpoint: string;
  close(): Promise<void>;
}

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A query-protocol result as XML: scalars as elements, lists as `<member>` elements, objects nested. */
export function toXml(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

/** The service named in a SigV4 Authorization header's credential scope. */
export function serviceFromAuthorization(header: string | undefined): string | undefined {
  return /Credential=[^/,]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(header ?? '')?.[1];
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new FakeAwsError('RequestEntityTooLarge', 'request body too large', 413));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': randomUUID(), ...headers });
  response.end(body);
}

/** awsJson timestamps are epoch seconds (Date.toJSON would give ISO text, which the SDK refuses). */
export function toAwsJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, serialised: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : serialised;
  });
}

function asAwsError(error: unknown): FakeAwsError {
  return error instanceof FakeAwsError ? error : new FakeAwsError('InternalFailure', (error as Error)?.message ?? String(error), 500);
}

function handleJson(service: FakeAwsService, target: string, body: string, response: ServerResponse): void {
  const [prefix, operation = ''] = target.split('.');
  const serviceName = JSON_TARGETS[prefix ?? ''];
  const type = 'application/x-amz-json-1.1';
  try {
    if (!serviceName) throw new FakeAwsError('UnknownOperationException', `unknown target ${target}`);
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      throw new FakeAwsError('SerializationException', 'the request body is not JSON');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FakeAwsError('SerializationException', 'the request body must be a JSON object');
    send(response, 200, type, toAwsJson(service.handle(serviceName, operation, input as Record<string, unknown>)));
  } catch (error) {
    const e = asAwsError(error);
    send(response, e.status, type, JSON.stringify({ __type: e.code, message: e.message }), { 'x-amzn-errortype': e.code });
  }
}

function handleQuery(service: FakeAwsService, authorization: string | undefined, body: string, response: ServerResponse): void {
  const params = Object.fromEntries(new URLSearchParams(body));
  const action = params.Action ?? '';
  const scoped = serviceFromAuthorization(authorization);
  const serviceName = scoped === 'sns' || scoped === 'iam' ? scoped : ACTION_SERVICE[action];
  const requestId = randomUUID();
  const type = 'text/xml';
  try {
    if (!serviceName) throw new FakeAwsError('InvalidAction', `unknown action ${action}`);
    const { Action: _action, Version: _version, ...input } = params;
    const result = service.handle(serviceName, action, input);
    const xml =
      `<${action}Response xmlns="${QUERY_NAMESPACES[serviceName]}"><${action}Result>${toXml(result)}</${action}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
    send(response, 200, type, xml);
  } catch (error) {
    const e = asAwsError(error);
    const xml = `<ErrorResponse><Error><Type>${e.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    send(response, e.status, type, xml);
  }
}

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeAws(world: FakeAwsWorld, now?: () => Date): Promise<FakeAws> {
  const service = createFakeAwsService(world, now);
  const server: Server = createServer((request, response) => {
    readBody(request)
      .then((body) => {
        const target = request.headers['x-amz-target'];
        if (request.method !== 'POST') throw new FakeAwsError('MethodNotAllowed', `${request.method} is not supported`, 405);
        if (typeof target === 'string') handleJson(service, target, body, response);
        else handleQuery(service, request.headers.authorization, body, response);
      })
      .catch((error: unknown) => {
        const e = asAwsError(error);
        if (!response.headersSent) send(response, e.status, 'application/json', JSON.stringify({ __type: e.code, message: e.message }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    ...service,
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      (closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
  };
}
