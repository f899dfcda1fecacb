import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LedgerRead, LedgerStore, LedgerWrite } from './ledger';

export interface S3LedgerStoreOptions {
  s3: S3Client;
  bucket: string;
  /** Key prefix inside the bucket, e.g. `state/` (default none: keys start with `ledger/`). */
  prefix?: string;
  /** KMS key for SSE-KMS (the reports bucket's key); without it the bucket's default encryption applies. */
  kmsKeyId?: string;
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function errorName(error: unknown): string {
  return (error as { name?: string; Code?: string })?.name ?? (error as { Code?: string })?.Code ?? '';
}

/**
 * Ledgers as S3 objects (one per scan identity). Writes use S3 conditional writes: `If-None-Match: *` for the
 * first version, `If-Match: <ETag>` afterwards. S3 answers a lost race with 412 PreconditionFailed, or 409
 * ConditionalRequestConflict when two conditional writes overlap; both are a conflict here (re-read and retry),
 * as the S3 user guide says ("Preventing object overwrites with conditional writes").
 */
export function s3LedgerStore(options: S3LedgerStoreOptions): LedgerStore {
  const prefix = options.prefix ? options.prefix.replace(/^\/+/, '').replace(/\/*$/, '/') : '';
  return {
    location: `s3://${options.bucket}/${prefix}`,
    async read(key): Promise<LedgerRead> {
      try {
        const object = await options.s3.send(new GetObjectCommand({ Bucket: options.bucket, Key: prefix + key }));
        const bytes = object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
        return { bytes, ...(object.ETag ? { version: object.ETag } : {}) };
      } catch (error) {
        if (errorName(error) === 'NoSuchKey' || httpStatus(error) === 404) return {};
        throw error;
      }
    },
    async write(key, bytes, expected): Promise<LedgerWrite> {
      try {
        const put = await options.s3.send(
          new PutObjectCommand({
            Bucket: options.bucket,
            Key: prefix + key,
            Body: bytes,
            ContentType: 'application/gzip',
            ServerSideEncryption: 'aws:kms',
            ...(options.kmsKeyId ? { SSEKMSKeyId: options.kmsKeyId } : {}),
            ...(expected === undefined ? { IfNoneMatch: '*' } : { IfMatch: expected }),
          }),
        );
        return { status: 'written', version: put.ETag ?? '' };
      } catch (error) {
        const status = httpStatus(error);
        // 404 on If-Match: the ledger was deleted meanwhile; also a conflict (re-read finds none).
        if (status === 412 || status === 409 || status === 404 || errorName(error) === 'PreconditionFailed' || errorName(error) === 'ConditionalRequestConflict') {
          return { status: 'conflict' };
        }
        throw error;
      }
    },
  };
}

const LOCK_STALE_MS = 60_000;

function versionOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function withLock<T>(path: string, work: () => Promise<T>, sleep: (ms: number) => Promise<void>): Promise<T> {
  const lock = `${path}.lock`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const handle = await open(lock, 'wx');
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a killed process must not block every later build.
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > LOCK_STALE_MS) await unlink(lock).catch(() => undefined);
      if (attempt > 500) throw new Error(`ledger lock ${lock} is held by another process`);
      await sleep(10 + Math.floor(Math.random() * 20));
    }
  }
  try {
    return await work();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

/**
 * Ledgers as files under a directory (the CLI's `--state DIR`). The version is the SHA-256 of the file; a write
 * takes an exclusive lock file, compares the version and replaces the file by rename, so two processes on one
 * machine (or one shared file system with atomic exclusive create) never lose each other's writes.
 */
export function fileLedgerStore(directory: string, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): LedgerStore {
  return {
    location: directory,
    async read(key): Promise<LedgerRead> {
      try {
        const bytes = await readFile(join(directory, key));
        return { bytes, version: versionOf(bytes) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw error;
      }
    },
    async write(key, bytes, expected): Promise<LedgerWrite> {
      const path = join(directory, key);
      await mkdir(dirname(path), { recursive: true });
      return withLock(
        path,
        async () => {
          const current = await readFile(path).then(versionOf, (error: NodeJS.ErrnoException) => {
            if (error.code === 'ENOENT') return undefined;
            throw error;
          });
          if (current !== expected) return { status: 'conflict' } as const;
          const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
          await writeFile(temporary, bytes, { mode: 0o600 });
          await rename(temporary, path);
          return { status: 'written', version: versionOf(bytes) } as const;
        },
        sleep,
      );
    },
  };
}

/** `s3://bucket/prefix` → an S3 store, anything else → a directory store (the CLI's `--state`). */
export function ledgerStoreFor(location: string, s3: () => S3Client, kmsKeyId?: string): LedgerStore {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
  if (match) return s3LedgerStore({ s3: s3(), bucket: match[1]!, prefix: match[2] ?? '', ...(kmsKeyId ? { kmsKeyId } : {}) });
  return fileLedgerStore(location);
}
