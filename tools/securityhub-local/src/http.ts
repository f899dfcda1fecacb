import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ServiceError, errorBody } from './errors';
import type { Operation } from './faults';
import { MAX_REQUEST_BYTES, type RequestBody, type SecurityHubService } from './service';

/** restJson1 bindings, from the operation schemas in @aws-sdk/client-securityhub (`{ http: [method, path, 200] }`). */
const ROUTES: Readonly<Record<string, Operation>> = {
  'POST /findings/import': 'BatchImportFindings',
  'POST /findings': 'GetFindings',
  'PATCH /findings/batchupdate': 'BatchUpdateFindings',
  'GET /accounts': 'DescribeHub',
};

/** The Region a SigV4-signed request was signed for: `Credential=<key>/<date>/<region>/securityhub/aws4_request`. */
export function signedRegion(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization !== 'string') return undefined;
  return /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/securityhub\//.exec(authorization)?.[1];
}

/** Reads the whole body but keeps at most the limit plus one byte, so an oversized request cannot exhaust memory. */
function readBody(req: IncomingMessage): Promise<RequestBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES + 1) chunks.push(chunk);
    });
    req.on('end', () => resolve({ bytes: size <= MAX_REQUEST_BYTES ? Buffer.concat(chunks) : Buffer.alloc(0), size }));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(payload);
}

function sendError(res: ServerResponse, error: ServiceError): void {
  send(res, error.status, errorBody(error), error.code);
}

async function handle(service: SecurityHubService, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const operation = ROUTES[`${req.method} ${path}`];
  if (!operation) {
    service.countUnknown();
    sendError(res, new ServiceError('UnknownOperationException', `securityhub-local does not implement ${req.method} ${path}`));
    return;
  }
  try {
    send(res, 200, service.dispatch(operation, body, signedRegion(req.headers) ?? service.region));
  } catch (error) {
    if (error instanceof ServiceError) return sendError(res, error);
    // A bug here must be loud: the client sees a 500 with the cause, and the server logs the stack.
    console.error('securityhub-local: unexpected error', error);
    sendError(res, new ServiceError('InternalException', `securityhub-local failed: ${(error as Error).message}`));
  }
}

/** Serves `service` on host:port (0 = a free port). */
export function listen(service: SecurityHubService, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    handle(service, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, new ServiceError('InternalException', String(error)));
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** Stops accepting connections and drops idle keep-alive ones, so close() does not hang on SDK agents. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
