import { BatchImportFindingsCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { FIELD } from '@devsecops/asff';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { FakeSecurityHub } from './__fixtures__/fake-security-hub';
import { SCOPE, findings } from './__fixtures__/findings';
import { importFindings, type ImportOptions } from './importer';
import { decodeLedger, encodeLedger, ledgerKey, memoryLedgerStore, newLedger, type Ledger } from './ledger';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

let client: SecurityHubClient;
let mock: AwsClientStub<SecurityHubClient>;
let hub: FakeSecurityHub;
let store: ReturnType<typeof memoryLedgerStore>;

beforeEach(() => {
  client = new SecurityHubClient({ region: 'us-east-1', maxAttempts: 1 });
  mock = mockClient(client);
  hub = new FakeSecurityHub();
  hub.install(mock);
  store = memoryLedgerStore();
});

afterEach(() => mock.restore());

function options(overrides: Partial<ImportOptions> = {}): ImportOptions {
  return { client, scope: SCOPE, findings: [], now: () => NOW, sleep: async () => undefined, random: () => 0.5, ledger: { store }, ...overrides };
}

function ledgerNow() {
  const held = store.objects.get(ledgerKey(SCOPE));
  if (!held) throw new Error('no ledger written');
  const decoded = decodeLedger(held.bytes, SCOPE);
  if ('problem' in decoded) throw new Error(decoded.problem);
  return decoded.ledger;
}

function at(ms: number): () => Date {
  return () => new Date(NOW.getTime() + ms);
}

describe('importFindings with a ledger', () => {
  // buildFinding sets no FirstObservedAt/LastObservedAt; stateOf keeps them when a finding has them.
  it('rebuilds a missing ledger from one GetFindings pass and writes exactly the FindingState records', async () => {
    // arrange
    const input = findings(150);
    // act
    const result = await importFindings(options({ findings: input }));
    // assert
    expect(result).toMatchObject({ imported: 150, failed: [], notSent: [] });
    expect(result.callsByOperation).toEqual({ LedgerRead: 1, GetFindings: 1, BatchImportFindings: 2, LedgerWrite: 1 });
    expect(result.ledger).toMatchObject({ source: 'rebuilt', reason: 'no ledger yet', written: true, conflicts: 0 });
    const ledger = ledgerNow();
    expect(ledger.rebuiltAt).toBe(NOW.toISOString());
    expect(ledger.findings).toHaveLength(150);
    expect(new Map(ledger.findings.map((f) => [f.id, f]))).toEqual(result.states);
    expect(ledger.findings[0]).toEqual({
      id: expect.any(String),
      contentHash: expect.any(String),
      recordState: 'ACTIVE',
      workflowStatus: 'NEW',
      severity: 'HIGH',
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      // The finding's own FirstObservedAt (kept across re-imports), LastObservedAt = this import.
      firstObservedAt: expect.any(String),
      lastObservedAt: NOW.toISOString(),
    });
  });

  it('re-scans an unchanged scope with the ledger read and one decisions read, and writes nothing', async () => {
    // arrange
    const input = findings(1_000);
    await importFindings(options({ findings: input }));
    mock.resetHistory();
    // act
    const second = await importFindings(options({ findings: input, now: at(DAY) }));
    // assert
    expect(second).toMatchObject({ imported: 0, unchanged: 1_000, archived: 0 });
    expect(second.callsByOperation).toEqual({ LedgerRead: 1, GetFindings: 1 });
    expect(second.ledger).toMatchObject({ source: 'used', written: false });
    expect(second.states.size).toBe(1_000);
    const decisionsRead = mock.commandCalls(GetFindingsCommand)[0]!.args[0].input.Filters!;
    expect(decisionsRead.WorkflowStatus?.map((f) => f.Value)).toEqual(['NOTIFIED', 'RESOLVED', 'SUPPRESSED']);
    expect(decisionsRead.RecordState).toEqual([{ Value: 'ACTIVE', Comparison: 'EQUALS' }]);
  });

  it('with decisions: ledger, an unchanged re-scan reads only the ledger', async () => {
    // arrange
    const input = findings(300);
    await importFindings(options({ findings: input }));
    // act
    const second = await importFindings(options({ findings: input, now: at(DAY), ledger: { store, decisions: 'ledger' } }));
    // assert
    expect(second.callsByOperation).toEqual({ LedgerRead: 1 });
    expect(second.unchanged).toBe(300);
  });

  it('imports 1 % changed findings with one import call plus the ledger read and write', async () => {
    // arrange
    const input = findings(1_000);
    await importFindings(options({ findings: input }));
    const changed = input.map((f, i) => (i % 100 === 0 ? { ...f, ProductFields: { ...f.ProductFields, [FIELD.contentHash]: `changed-${i}` } } : f));
    // act
    const second = await importFindings(options({ findings: changed, now: at(DAY), ledger: { store, decisions: 'ledger' } }));
    // assert
    expect(second).toMatchObject({ imported: 10, unchanged: 990 });
    expect(second.callsByOperation).toEqual({ LedgerRead: 1, BatchImportFindings: 1, LedgerWrite: 1 });
    expect(ledgerNow().findings.filter((f) => f.contentHash?.startsWith('changed-'))).toHaveLength(10);
  });

  it('honours a decision made in the console after the ledger was written, and one taken back', async () => {
    // arrange
    const input = findings(3);
    await importFindings(options({ findings: input }));
    hub.store.get(input[0]!.Id!)!.Workflow = { Status: 'SUPPRESSED' };
    hub.store.get(input[0]!.Id!)!.Note = { Text: 'accepted risk', UpdatedBy: 'ciso', UpdatedAt: NOW.toISOString() };
    const second = await importFindings(options({ findings: input, now: at(DAY) }));
    hub.store.get(input[0]!.Id!)!.Workflow = { Status: 'NEW' };
    // act
    const third = await importFindings(options({ findings: input, now: at(2 * DAY) }));
    // assert
    expect(second.states.get(input[0]!.Id!)).toMatchObject({ workflowStatus: 'SUPPRESSED', note: { text: 'accepted risk', updatedBy: 'ciso' } });
    expect(second.ledger?.written).toBe(true);
    expect(third.states.get(input[0]!.Id!)?.workflowStatus).toBe('NEW');
  });

  it('rebuilds a ledger older than maxAgeDays and one that cannot be read', async () => {
    // arrange
    const input = findings(5);
    await importFindings(options({ findings: input }));
    // act
    const stale = await importFindings(options({ findings: input, now: at(8 * DAY) }));
    store.objects.set(ledgerKey(SCOPE), { bytes: Buffer.from('garbage'), version: 'v-garbage' });
    const garbage = await importFindings(options({ findings: input, now: at(9 * DAY) }));
    // assert
    expect(stale.ledger).toMatchObject({ source: 'rebuilt', reason: 'ledger rebuilt 8 days ago (max 7)', written: true });
    expect(ledgerNow().rebuiltAt).toBe(at(9 * DAY)().toISOString());
    expect(garbage.ledger).toMatchObject({ source: 'rebuilt', reason: expect.stringMatching(/^ledger unusable: not gzipped JSON/), written: true });
    expect(garbage.unchanged).toBe(5);
  });

  it('archives a vanished finding in full, reading only it back by Id', async () => {
    // arrange
    const input = findings(30);
    await importFindings(options({ findings: input }));
    mock.resetHistory();
    // act
    const second = await importFindings(options({ findings: input.slice(0, 28), now: at(DAY), ledger: { store, decisions: 'ledger' } }));
    // assert
    expect(second).toMatchObject({ archived: 2, unchanged: 28, failed: [] });
    expect(second.callsByOperation).toEqual({ LedgerRead: 1, GetFindings: 1, BatchImportFindings: 1, LedgerWrite: 1 });
    const byId = mock.commandCalls(GetFindingsCommand)[0]!.args[0].input.Filters!.Id!.map((f) => f.Value).sort();
    expect(byId).toEqual([input[28]!.Id, input[29]!.Id].sort());
    const archived = mock.commandCalls(BatchImportFindingsCommand)[0]!.args[0].input.Findings!;
    expect(archived.map((f) => [f.RecordState, f.Title, f.ProductFields?.[FIELD.state]])).toEqual([
      ['ARCHIVED', input[28]!.Title, 'FIXED'],
      ['ARCHIVED', input[29]!.Title, 'FIXED'],
    ]);
    expect(ledgerNow().findings.filter((f) => f.recordState === 'ARCHIVED')).toHaveLength(2);
  });

  it('keeps a finding the ledger wants archived but Security Hub does not return, and says so', async () => {
    // arrange
    const input = findings(3);
    await importFindings(options({ findings: input }));
    hub.store.delete(input[2]!.Id!);
    // act
    const second = await importFindings(options({ findings: input.slice(0, 2), now: at(DAY), ledger: { store, decisions: 'ledger' } }));
    // assert
    expect(second.failed).toEqual([{ id: input[2]!.Id, code: 'StoredFindingNotFound', message: expect.any(String) }]);
    expect(ledgerNow().findings.find((f) => f.id === input[2]!.Id)?.recordState).toBe('ACTIVE');
  });

  it('re-imports unchanged findings before the retention deletes them, driven by the ledger', async () => {
    // arrange
    const input = findings(4);
    await importFindings(options({ findings: input }));
    // act: 31 days later (the ledger is rebuilt at 8 days; its UpdatedAt values are what Security Hub holds)
    const later = await importFindings(options({ findings: input, now: at(31 * DAY), ledger: { store, maxAgeDays: 60 } }));
    // assert
    expect(later).toMatchObject({ imported: 4, unchanged: 0 });
    expect(ledgerNow().findings.every((f) => f.updatedAt === at(31 * DAY)().toISOString())).toBe(true);
  });

  it('archives nothing for an incomplete scan and says why', async () => {
    // arrange
    const input = findings(10);
    await importFindings(options({ findings: input }));
    // act
    const partial = await importFindings(options({ findings: input.slice(0, 3), now: at(DAY), incomplete: ['the report is truncated'] }));
    // assert
    expect(partial).toMatchObject({ archived: 0, unchanged: 3, archiveSkipped: 'incomplete scan: the report is truncated' });
    expect([...hub.store.values()].filter((f) => f.RecordState === 'ARCHIVED')).toHaveLength(0);
  });

  it('accepts the findings as an async iterable: same outcome as an array, the first of duplicated Ids wins', async () => {
    // arrange
    const input = findings(250);
    async function* stream(): AsyncGenerator<AwsSecurityFinding> {
      for (const f of input) yield f;
      yield { ...input[0]!, Title: 'a later duplicate' };
    }
    // act
    const result = await importFindings(options({ findings: stream() }));
    // assert
    expect(result).toMatchObject({ imported: 250, failed: [], notSent: [] });
    expect(hub.importBatches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(hub.store.get(input[0]!.Id!)?.Title).toBe(input[0]!.Title);
  });

  it('after a lost write, merges with the winner and re-sends what the winner changed, losing nothing', async () => {
    // arrange: our ledger read sees v0; before our write, another import of the same identity writes v1
    const input = findings(4);
    await importFindings(options({ findings: input }));
    const winnerTitle = 'changed by the concurrent build';
    const realWrite = store.write.bind(store);
    let raced = false;
    store.write = async (key, bytes, expected) => {
      if (!raced) {
        raced = true;
        // The concurrent build re-imported finding 0 with other content, 1 ms after ours, and wrote the ledger.
        const theirs = { ...input[0]!, Title: winnerTitle, UpdatedAt: at(DAY + 1)().toISOString(), CreatedAt: NOW.toISOString(), ProductFields: { ...input[0]!.ProductFields, [FIELD.contentHash]: 'theirs' } };
        hub.store.set(theirs.Id!, { ...hub.store.get(theirs.Id!)!, ...theirs });
        const records = [...(decodeLedger(store.objects.get(key)!.bytes, SCOPE) as { ledger: Ledger }).ledger.findings];
        records[records.findIndex((r) => r.id === theirs.Id)] = { ...records.find((r) => r.id === theirs.Id)!, contentHash: 'theirs', updatedAt: theirs.UpdatedAt };
        await realWrite(key, encodeLedger(newLedger(SCOPE, records, at(DAY)(), NOW.toISOString())), store.objects.get(key)!.version);
      }
      return realWrite(key, bytes, expected);
    };
    const changed = input.map((f, i) => (i === 1 ? { ...f, ProductFields: { ...f.ProductFields, [FIELD.contentHash]: 'ours' } } : f));
    // act
    const result = await importFindings(options({ findings: changed, now: at(DAY) }));
    // assert: our scan is what Security Hub holds (finding 0 sent again, newer than theirs), and the ledger agrees
    expect(result.ledger).toMatchObject({ conflicts: 1, written: true });
    expect(result).toMatchObject({ imported: 2, unchanged: 2, failed: [], notSent: [] });
    expect(hub.store.get(input[0]!.Id!)?.Title).toBe(input[0]!.Title);
    const ledger = new Map(ledgerNow().findings.map((f) => [f.id, f]));
    for (const [id, stored] of hub.store) {
      expect(ledger.get(id)).toMatchObject({ contentHash: stored.ProductFields?.[FIELD.contentHash], updatedAt: stored.UpdatedAt, recordState: stored.RecordState ?? 'ACTIVE' });
    }
  });

  it('without a ledger behaves as before: the whole scope is read back', async () => {
    // arrange
    const input = findings(150);
    await importFindings(options({ findings: input, ledger: undefined }));
    // act
    const second = await importFindings(options({ findings: input, ledger: undefined, now: at(DAY) }));
    // assert
    expect(second.callsByOperation).toEqual({ GetFindings: 2 });
    expect(second.ledger).toBeUndefined();
    expect(store.objects.size).toBe(0);
  });
});
