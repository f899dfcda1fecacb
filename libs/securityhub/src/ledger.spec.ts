import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { testScope } from '@devsecops/test-support';
import { decodeLedger, encodeLedger, ledgerKey, memoryLedgerStore, mergeRecords, newLedger, sameRecords } from './ledger';
import { fileLedgerStore, ledgerStoreFor } from './ledger-stores';
import type { FindingState } from './state';

const SCOPE = testScope({ tool: 'semgrep', repository: 'hospital/portal', branch: 'main' });
const NOW = new Date('2026-12-01T10:00:00.000Z');

function record(id: string, overrides: Partial<FindingState> = {}): FindingState {
  return { id, contentHash: `hash-${id}`, recordState: 'ACTIVE', workflowStatus: 'NEW', createdAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-30T00:00:00.000Z', ...overrides };
}

describe('ledger encoding', () => {
  it('round-trips FindingState records with version, scope, writtenAt and rebuiltAt, sorted by Id', () => {
    // arrange
    const ledger = newLedger(SCOPE, [record('b'), record('a', { workflowStatus: 'SUPPRESSED', note: { text: 'accepted risk', updatedBy: 'ciso', updatedAt: 'x' } })], NOW, '2026-11-28T00:00:00.000Z');
    // act
    const decoded = decodeLedger(encodeLedger(ledger), SCOPE);
    // assert
    expect(decoded).toEqual({ ledger });
    expect(ledger).toMatchObject({ version: 1, writtenAt: NOW.toISOString(), rebuiltAt: '2026-11-28T00:00:00.000Z', scope: { tool: 'semgrep', repository: 'hospital/portal', branch: 'main' } });
    expect(ledger.findings.map((f) => f.id)).toEqual(['a', 'b']);
  });

  it.each([
    ['not gzip', Buffer.from('{}'), /not gzipped JSON/],
    ['another version', gzipSync(JSON.stringify({ version: 2 })), /version 2/],
    ['another scope', encodeLedger(newLedger({ ...SCOPE, category: 'frontend' }, [], NOW, NOW.toISOString())), /another scope/],
    ['a malformed record', gzipSync(JSON.stringify({ ...newLedger(SCOPE, [], NOW, NOW.toISOString()), findings: [{ id: 'x', recordState: 'GONE' }] })), /malformed/],
  ])('says why a ledger cannot be used: %s', (_name, bytes, problem) => {
    // act
    const decoded = decodeLedger(bytes, SCOPE);
    // assert
    expect(decoded).toEqual({ problem: expect.stringMatching(problem) });
  });

  it('keys ledgers by account, Region, tool, repository, branch and category, outside reports/', () => {
    // act
    const plain = ledgerKey(SCOPE);
    const frontend = ledgerKey({ ...SCOPE, category: 'web/front end' });
    // assert
    expect(plain).toBe('ledger/v1/123456789012/us-east-1/semgrep/hospital%2Fportal/main/no-category.json.gz');
    expect(frontend).toBe('ledger/v1/123456789012/us-east-1/semgrep/hospital%2Fportal/main/category-web%2Ffront%20end.json.gz');
  });
});

describe('mergeRecords', () => {
  it('keeps, for each Id, the record with the newer UpdatedAt: what Security Hub holds', () => {
    // arrange
    const winner = new Map([
      ['a', record('a', { updatedAt: '2026-12-01T10:00:00.005Z', contentHash: 'theirs' })],
      ['b', record('b', { updatedAt: '2026-12-01T10:00:00.009Z', recordState: 'ARCHIVED' })],
    ]);
    const mine = new Map([
      ['a', record('a', { updatedAt: '2026-12-01T10:00:00.007Z', contentHash: 'mine' })],
      ['b', record('b', { updatedAt: '2026-12-01T10:00:00.008Z' })],
      ['c', record('c')],
    ]);
    // act
    const merged = mergeRecords(winner, mine);
    // assert
    expect(merged.get('a')?.contentHash).toBe('mine');
    expect(merged.get('b')?.recordState).toBe('ARCHIVED');
    expect([...merged.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(sameRecords(merged, new Map(merged))).toBe(true);
    expect(sameRecords(merged, winner)).toBe(false);
  });
});

describe.each([
  ['memory', () => ({ store: memoryLedgerStore(), cleanup: () => undefined })],
  [
    'directory',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'ledger-spec-'));
      return { store: fileLedgerStore(dir), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
])('%s ledger store: conditional writes', (_name, make) => {
  it('creates only when none exists, replaces only the version it read, and reports a lost race as a conflict', async () => {
    // arrange
    const { store, cleanup } = make();
    const key = ledgerKey(SCOPE);
    try {
      // act
      const absent = await store.read(key);
      const first = await store.write(key, Buffer.from('one'), undefined);
      const createAgain = await store.write(key, Buffer.from('other'), undefined);
      const read = await store.read(key);
      const second = await store.write(key, Buffer.from('two'), read.version);
      const stale = await store.write(key, Buffer.from('three'), read.version);
      const last = await store.read(key);
      // assert
      expect(absent).toEqual({});
      expect(first.status).toBe('written');
      expect(createAgain).toEqual({ status: 'conflict' });
      expect(Buffer.from(read.bytes!).toString()).toBe('one');
      expect(second.status).toBe('written');
      expect(stale).toEqual({ status: 'conflict' });
      expect(Buffer.from(last.bytes!).toString()).toBe('two');
    } finally {
      cleanup();
    }
  });

  it('lets exactly one of many concurrent writers of one version win', async () => {
    // arrange
    const { store, cleanup } = make();
    const key = ledgerKey(SCOPE);
    try {
      await store.write(key, Buffer.from('base'), undefined);
      const base = await store.read(key);
      // act
      const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => store.write(key, Buffer.from(`writer ${i}`), base.version)));
      // assert
      expect(outcomes.filter((o) => o.status === 'written')).toHaveLength(1);
    } finally {
      cleanup();
    }
  });
});

describe('ledgerStoreFor', () => {
  it('picks S3 for s3:// locations and a directory otherwise', () => {
    // act
    const s3 = ledgerStoreFor('s3://reports-bucket/state', () => ({}) as never);
    const dir = ledgerStoreFor('/tmp/state', () => ({}) as never);
    // assert
    expect(s3.location).toBe('s3://reports-bucket/state/');
    expect(dir.location).toBe('/tmp/state');
  });
});
