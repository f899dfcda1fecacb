// The part of s3rver 3.7's API local-s3.ts uses (the package ships no types): its Koa middleware list and store.
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';
  import type { Server } from 'node:http';

  class S3rver {
    constructor(options: {
      address?: string;
      port?: number;
      silent?: boolean;
      directory: string;
      allowMismatchedSignatures?: boolean;
      vhostBuckets?: boolean;
      configureBuckets?: { name: string }[];
    });
    httpServer?: Server;
    /** Koa's middleware list, composed when the server starts listening. */
    middleware: unknown[];
    store: { getMetadata(bucket: string, key: string): Promise<Record<string, string>> };
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }

  export default S3rver;
}
