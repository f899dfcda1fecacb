/**
 * Scan identity and the ledger end to end: the real SecurityHubClient over HTTP to securityhub-local (real
 * quotas, UpdatedAt rules) and the real S3Client to s3rver with S3's conditional writes (test-support's local-s3.ts).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { FIELD, buildFinding, type ScanScope } from '@devsecops/asff';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { FIXED_NOW, LOCAL_S3_CREDENTIALS, startLocalS3, testScope, type LocalS3 } from '@devsecops/test-support';
import { draft, findings } from './__fixtures__/findings';
import { importFindings, type ImportOptions } from './importer';
import { decodeLedger, encodeLedger, ledgerKey, newLedger, type LedgerStore } from './ledger';
import { s3LedgerStore } from './ledger-stores';

jest.setTimeout(120_000);

const BUCKET = 'reports-bucket';
const BASE: ScanScope = testScope({ tool: 'semgrep', repository: 'hospital/portal', branch: 'main' });

let hub: SecurityHubLocal;
let s3server: LocalS3;
let s3: S3Client;
let store: LedgerStore;

beforeAll(async () => {
  hub = await startSecurityHubLocal({ port: 0, throttling: true });
  s3server = await startLocalS3([BUCKET]);
  s3 = new S3Client({ endpoint: s3server.endpoint, forcePathStyle: true, region: BASE.region, credentials: LOCAL_S3_CREDENTIALS });
  store = s3LedgerStore({ s3, bucket: BUCKET, prefix: 'state/' });
});

afterAll(async () => {
  await hub.close();
  await s3server.close();
});

beforeEach(() => hub.reset());

function client(): SecurityHubClient {
  return new SecurityHubClient({ endpoint: hub.endpoint, region: BASE.region, credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' }, maxAttempts: 1 });
}

let run = 0;
/** A fresh repository per test, so ledgers of earlier tests (the bucket is shared) do not apply. */
function scopeOf(category?: string, repository = `hospital/portal-${++run}`): ScanScope {
  return { ...BASE, repository, ...(category ? { category } : {}) };
}

function options(scope: ScanScope, input: AwsSecurityFinding[], overrides: Partial<ImportOptions> = {}): ImportOptions {
  return { client: client(), scope, findings: input, ledger: { store }, ...overrides };
}

async function ledgerOf(scope: ScanScope) {
  const read = await store.read(ledgerKey(scope));
  const decoded = decodeLedger(read.bytes!, scope);
  if ('problem' in decoded) throw new Error(decoded.problem);
  return decoded.ledger;
}

function stored(): Map<string, AwsSecurityFinding> {
  return new Map(hub.findings().map((f) => [f.Id!, f]));
}

describe('scan identity: category', () => {
  it('two scans of one repository with different categories never archive each other', async () => {
    // arrange: Semgrep on the backend and on the frontend of one repository (same rules and paths in both)
    const repository = `hospital/portal-${++run}`;
    const backend = scopeOf('backend', repository);
    const frontend = scopeOf('frontend', repository);
    const backendFindings = findings(5, backend);
    const frontendFindings = findings(3, frontend);
    // act
    await importFindings(options(backend, backendFindings));
    const second = await importFindings(options(frontend, frontendFindings));
    const backendAgain = await importFindings(options(backend, backendFindings));
    // assert
    expect(second).toMatchObject({ imported: 3, archived: 0 });
    expect(backendAgain).toMatchObject({ unchanged: 5, archived: 0 });
    expect(hub.findings().filter((f) => f.RecordState === 'ARCHIVED')).toEqual([]);
    expect(new Set([...backendFindings, ...frontendFindings].map((f) => f.Id)).size).toBe(8);
    expect(stored().get(frontendFindings[0]!.Id!)?.ProductFields?.[FIELD.category]).toBe('frontend');
  });

  it('a scan without a category keeps today’s scope: it does not archive categorised findings, nor they it', async () => {
    // arrange
    const repository = `hospital/portal-${++run}`;
    const legacy = scopeOf(undefined, repository);
    const api = scopeOf('api', repository);
    // act
    await importFindings(options(legacy, findings(4, legacy), { ledger: undefined }));
    await importFindings(options(api, findings(2, api)));
    const legacyAgain = await importFindings(options(legacy, findings(4, legacy), { ledger: undefined }));
    const apiAgain = await importFindings(options(api, findings(2, api)));
    // assert
    expect(legacyAgain).toMatchObject({ unchanged: 4, archived: 0 });
    expect(apiAgain).toMatchObject({ unchanged: 2, archived: 0 });
    expect(hub.findings().filter((f) => f.RecordState === 'ARCHIVED')).toEqual([]);
  });

  it('a partial or failed scan archives nothing, and a complete one then does', async () => {
    // arrange
    const scope = scopeOf('backend');
    const all = findings(6, scope);
    await importFindings(options(scope, all));
    // act
    const partial = await importFindings(options(scope, all.slice(0, 2), { incomplete: ['report truncated at 10,000 results'] }));
    const failed = await importFindings(options(scope, [], { incomplete: ['semgrep exited with code 2'] }));
    const complete = await importFindings(options(scope, all.slice(0, 2)));
    // assert
    expect(partial).toMatchObject({ archived: 0, unchanged: 2, archiveSkipped: 'incomplete scan: report truncated at 10,000 results' });
    expect(failed).toMatchObject({ archived: 0, archiveSkipped: 'incomplete scan: semgrep exited with code 2' });
    expect(complete).toMatchObject({ archived: 4, unchanged: 2 });
  });
});

describe('the ledger', () => {
  it('re-scans 2,000 unchanged findings with 2 requests: the ledger read and the decisions read', async () => {
    // arrange
    const scope = scopeOf();
    const input = findings(2_000, scope);
    const first = await importFindings(options(scope, input));
    const before = hub.stats().requests;
    // act
    const second = await importFindings(options(scope, input));
    // assert
    expect(first.ledger).toMatchObject({ source: 'rebuilt', written: true });
    expect(second).toMatchObject({ unchanged: 2_000, imported: 0 });
    expect(second.callsByOperation).toEqual({ LedgerRead: 1, GetFindings: 1 });
    expect(hub.stats().requests.GetFindings - (before.GetFindings ?? 0)).toBe(1);
    expect((await ledgerOf(scope)).findings).toHaveLength(2_000);
  });

  it('is rebuilt from Security Hub when missing or stale, and then matches it', async () => {
    // arrange: findings in Security Hub, no ledger; then a ledger that says something else, rebuilt 8 days ago
    const scope = scopeOf();
    const input = findings(120, scope);
    await importFindings(options(scope, input, { ledger: undefined }));
    // act
    const missing = await importFindings(options(scope, input));
    const key = ledgerKey(scope);
    const current = await store.read(key);
    const wrong = newLedger(scope, [], new Date(), new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString());
    await store.write(key, encodeLedger(wrong), current.version);
    const stale = await importFindings(options(scope, input));
    // assert
    expect(missing).toMatchObject({ unchanged: 120, imported: 0, ledger: { source: 'rebuilt', reason: 'no ledger yet', written: true } });
    expect(stale).toMatchObject({ unchanged: 120, imported: 0, ledger: { source: 'rebuilt', reason: 'ledger rebuilt 8 days ago (max 7)', written: true } });
    const ledger = await ledgerOf(scope);
    const held = stored();
    expect(ledger.findings.map((f) => f.id).sort()).toEqual([...held.keys()].sort());
    for (const record of ledger.findings) expect(record.updatedAt).toBe(held.get(record.id)!.UpdatedAt);
  });

  it('two concurrent imports of one scan identity lose nothing: the ledger ends equal to Security Hub', async () => {
    // arrange: two builds of one identity, overlapping scans {0..59} and {30..89}, on a ledger both read first
    const scope = scopeOf('backend');
    const base = findings(90, scope);
    await importFindings(options(scope, base.slice(0, 10)));
    const a = base.slice(0, 60);
    const b = base.slice(30, 90).map((f) => buildFinding({ ...draft(Number(f.Title!.match(/package-(\d+)/)![1])), description: 'build B' }, scope, FIXED_NOW));
    // Both builds read the ledger before either writes (a latch on the first two reads), so one write must lose.
    let waiting: (() => void)[] = [];
    const latched: LedgerStore = {
      location: store.location,
      write: (key, bytes, expected) => store.write(key, bytes, expected),
      read: async (key) => {
        const read = await store.read(key);
        if (waiting.length < 2) {
          await new Promise<void>((resolve) => {
            waiting.push(resolve);
            if (waiting.length === 2) for (const release of waiting) release();
          });
        }
        return read;
      },
    };
    // act
    const [ra, rb] = await Promise.all([importFindings(options(scope, a, { ledger: { store: latched } })), importFindings(options(scope, b, { ledger: { store: latched } }))]);
    waiting = [];
    // assert: a write was lost and retried from the new state
    expect(ra.ledger!.conflicts + rb.ledger!.conflicts).toBeGreaterThanOrEqual(1);
    expect([ra, rb].every((r) => r.ledger!.written && r.failed.length === 0 && r.notSent.length === 0)).toBe(true);
    // nothing lost: every Id either scan reported is in Security Hub, and the ledger holds exactly what it holds
    const held = stored();
    for (const f of [...a, ...b]) expect(held.has(f.Id!)).toBe(true);
    const ledger = await ledgerOf(scope);
    expect(ledger.findings.map((f) => f.id).sort()).toEqual([...held.keys()].sort());
    for (const record of ledger.findings) {
      const finding = held.get(record.id)!;
      expect([record.id, record.recordState, record.contentHash, record.updatedAt]).toEqual([record.id, finding.RecordState, finding.ProductFields?.[FIELD.contentHash], finding.UpdatedAt]);
    }
    // the scan that wrote last is what is ACTIVE: its findings all are, with its content
    const last = ra.ledger!.conflicts > 0 ? a : b;
    for (const f of last) {
      expect(held.get(f.Id!)?.RecordState).toBe('ACTIVE');
      expect(held.get(f.Id!)?.ProductFields?.[FIELD.contentHash]).toBe(f.ProductFields?.[FIELD.contentHash]);
    }
    expect(s3server.stats().preconditionFailed).toBeGreaterThanOrEqual(1);
  });

  it('refuses a stale conditional write on the local S3 as S3 does', async () => {
    // arrange
    const key = `${ledgerKey(scopeOf())}`;
    const created = await store.write(key, Buffer.from('v1'), undefined);
    // act
    const again = await store.write(key, Buffer.from('v1 again'), undefined);
    const replaced = await store.write(key, Buffer.from('v2'), created.status === 'written' ? created.version : '');
    const stale = await store.write(key, Buffer.from('v3'), created.status === 'written' ? created.version : '');
    // assert
    expect(created.status).toBe('written');
    expect(again).toEqual({ status: 'conflict' });
    expect(replaced.status).toBe('written');
    expect(stale).toEqual({ status: 'conflict' });
    expect(Buffer.from((await store.read(key)).bytes!).toString()).toBe('v2');
  });
});
