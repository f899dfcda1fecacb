import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ScanScope } from '@devsecops/asff';

/** The workspace root (this file is tools/test-support/src/index.ts). */
export const workspaceRoot = resolve(__dirname, '../../..');

/**
 * The shared real-report corpus: $SHARED_FIXTURES_DIR, else ../shared/fixtures beside the clone.
 * Undefined on a plain user clone, where corpus tests skip.
 */
export function sharedFixturesDir(): string | undefined {
  const dir = process.env.SHARED_FIXTURES_DIR ?? resolve(workspaceRoot, '../shared/fixtures');
  return existsSync(dir) ? dir : undefined;
}

/** Files of one tool's corpus folder (e.g. `dependency-check`), with absolute paths; [] when absent. */
export function sharedFixtures(tool: string): string[] {
  const root = sharedFixturesDir();
  if (!root || !existsSync(join(root, tool))) return [];
  return readdirSync(join(root, tool))
    .filter((name) => !name.startsWith('.') && !name.endsWith('.md'))
    .sort()
    .map((name) => join(root, tool, name));
}

/** `describe` when the corpus for `tool` is present, `describe.skip` otherwise. */
export function describeCorpus(tool: string): jest.Describe {
  return sharedFixtures(tool).length > 0 ? describe : describe.skip;
}

/** A scan scope for tests: fixed account, Region and partition. */
export function testScope(overrides: Partial<ScanScope> = {}): ScanScope {
  return {
    tool: 'test-tool',
    repository: 'hospital/patient-portal',
    branch: 'main',
    commit: '0123456789abcdef0123456789abcdef01234567',
    buildId: 'sca-build:11111111-2222-3333-4444-555555555555',
    reportUri: 's3://reports-bucket/reports/test.json',
    awsAccountId: '123456789012',
    region: 'us-east-1',
    partition: 'aws',
    ...overrides,
  };
}

export const FIXED_NOW = '2026-11-22T12:00:00.000Z';

export * from './bundle';
export * from './reports';
export * from './mutations';
export * from './lambda';

export { startLocalS3, conditionalWrites, LOCAL_S3_CREDENTIALS, type LocalS3 } from './local-s3';
export * from './virtual-clock';

/** Splits bytes into chunks at the given cut points (taken modulo the length; duplicates and order do not matter). */
export function chunkBytes(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) {
    if (p > last) chunks.push(bytes.subarray(last, p));
    last = p;
  }
  return chunks;
}
export * from './findings';
export * from './streaming';
