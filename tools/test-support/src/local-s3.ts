/**
 * s3rver (the local S3 of `npm start` and the tests) with S3's conditional writes added. s3rver 3.7 honours
 * If-None-Match only on GET (node_modules/s3rver/lib/controllers/object.js) and ignores both headers on PUT; S3
 * has honoured `If-None-Match: *` on PutObject since 2024-08 and `If-Match: <ETag>` since 2024-11 (S3 user guide,
 * "Preventing object overwrites with conditional writes"). moto 5.2 (python3 -m moto.server) checks them too,
 * but without a lock between the check and the write; this middleware checks and writes under one lock per key,
 * so two concurrent conditional PUTs of one key never both succeed, as on S3.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** The part of s3rver 3.7 used here (it ships no types): Koa's middleware list, its store, run and close. */
interface S3rverInstance {
  httpServer?: Server;
  middleware: unknown[];
  store: MetadataStore;
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
/** Loaded on first use, so tests that import test-support for other helpers do not load Koa. */
const S3RVER_MODULE = 's3rver';

/** s3rver accepts any well-formed signature (allowMismatchedSignatures) but only its own access key id. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

interface KoaContext {
  method: string;
  path: string;
  querystring: string;
  status: number;
  body: unknown;
  get(header: string): string;
  set(header: string, value: string): void;
}

interface MetadataStore {
  getMetadata(bucket: string, key: string): Promise<Record<string, string>>;
}

function preconditionFailed(ctx: KoaContext, condition: string, resource: string): void {
  ctx.status = 412;
  ctx.set('Content-Type', 'application/xml');
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>${condition}</Condition><Resource>${resource}</Resource></Error>`;
}

/** Koa middleware: enforce If-Match / If-None-Match on PutObject, check and write under one lock per key. */
export function conditionalWrites(store: MetadataStore) {
  const locks = new Map<string, Promise<void>>();
  return async (ctx: KoaContext, next: () => Promise<void>): Promise<void> => {
    const ifMatch = ctx.get('if-match');
    const ifNoneMatch = ctx.get('if-none-match');
    // A PutObject, not a sub-resource PUT (?tagging, ?acl, ?partNumber…); the SDK adds ?x-id=PutObject.
    const subresource = ctx.querystring.split('&').some((part) => part !== '' && !part.startsWith('x-id='));
    if (ctx.method !== 'PUT' || subresource || (!ifMatch && !ifNoneMatch)) return next();
    const [, bucket = '', ...rest] = ctx.path.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const lockKey = `${bucket}/${key}`;
    const previous = locks.get(lockKey) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const current = new Promise<void>((resolve) => (release = resolve));
    const chained = previous.then(() => current);
    locks.set(lockKey, chained);
    await previous;
    try {
      const etag = await store.getMetadata(bucket, key).then(
        (metadata) => metadata['etag'],
        () => undefined,
      );
      const unquote = (value: string | undefined) => value?.replace(/"/g, '');
      if (ifNoneMatch === '*' && etag !== undefined) return preconditionFailed(ctx, 'If-None-Match', ctx.path);
      if (ifMatch && unquote(ifMatch) !== unquote(etag)) {
        if (etag === undefined) {
          ctx.status = 404;
          ctx.set('Content-Type', 'application/xml');
          ctx.body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${key}</Key></Error>`;
          return;
        }
        return preconditionFailed(ctx, 'If-Match', ctx.path);
      }
      await next();
    } finally {
      release();
      if (locks.get(lockKey) === chained) locks.delete(lockKey);
    }
  };
}

export interface LocalS3 {
  endpoint: string;
  /** PutObject requests refused by a failed precondition. */
  stats(): { preconditionFailed: number };
  close(): Promise<void>;
}

/** Starts s3rver on a free loopback port with conditional writes, in a fresh temporary directory. */
export async function startLocalS3(buckets: readonly string[]): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'local-s3-'));
  const { default: S3rver } = (await import(S3RVER_MODULE)) as { default: S3rverClass };
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    allowMismatchedSignatures: true,
    vhostBuckets: false,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  let refused = 0;
  const check = conditionalWrites(server.store);
  // Koa composes `middleware` when the server starts listening, so this runs before s3rver's own router.
  server.middleware.unshift(async (ctx: KoaContext, next: () => Promise<void>) => {
    await check(ctx, next);
    if (ctx.status === 412) refused += 1;
  });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stats: () => ({ preconditionFailed: refused }),
    close: async () => {
      const closing = server.close();
      server.httpServer?.closeAllConnections();
      await closing;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
