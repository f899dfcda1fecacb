import { SecurityHubClient, BatchImportFindingsCommand, GetFindingsCommand, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { FIELD, LIMITS, buildFinding, defaultProductArn, jsonBytes } from '@devsecops/asff';
import { FIXED_NOW, testScope } from '@devsecops/test-support';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { FakeSecurityHub, invalidAccess, serverError, throttled } from './__fixtures__/fake-security-hub';
import { SCOPE, bigFinding, draft, findings } from './__fixtures__/findings';
import { importFindings, type ImportOptions, type ImportResult } from './importer';

// Fake-clock tests of 10,000 findings take a few seconds of CPU; with both cores busy, more than jest's 5 s default.
jest.setTimeout(120_000);

const NOW = new Date('2026-12-01T10:00:00.000Z');
const LATER = new Date('2026-12-02T10:00:00.000Z');

let client: SecurityHubClient;
let mock: AwsClientStub<SecurityHubClient>;
let hub: FakeSecurityHub;
let warnings: unknown[][];

beforeEach(() => {
  client = new SecurityHubClient({ region: 'us-east-1', maxAttempts: 1 });
  mock = mockClient(client);
  hub = new FakeSecurityHub();
  hub.install(mock);
  warnings = [];
});

afterEach(() => mock.restore());

/** Options for instant tests: no real sleeping, deterministic jitter. */
function options(overrides: Partial<ImportOptions> = {}): ImportOptions {
  return {
    client,
    scope: SCOPE,
    findings: [],
    now: () => NOW,
    sleep: async () => undefined,
    random: () => 0.5,
    logger: { debug: () => undefined, info: () => undefined, warn: (...args: unknown[]) => void warnings.push(args) },
    ...overrides,
  };
}

/** Every input Id is in exactly one of imported, unchanged, failed or notSent. */
function expectEveryFindingAccountedFor(input: AwsSecurityFinding[], result: ImportResult): void {
  const inputIds = [...new Set(input.map((f) => f.Id!))].sort();
  const buckets = [result.ids.imported, result.ids.unchanged, result.failed.map((f) => f.id), result.notSent].map((ids) =>
    ids.filter((id) => inputIds.includes(id)),
  );
  const all = buckets.flat().sort();
  expect(all).toEqual(inputIds);
  expect(result.imported).toBe(result.ids.imported.length);
  expect(result.unchanged).toBe(result.ids.unchanged.length);
}

function sentImportCalls(): AwsSecurityFinding[][] {
  return mock.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings ?? []);
}

describe('importFindings: first import', () => {
  it('reads the scope, then imports 250 new findings in 100 + 100 + 50', async () => {
    // arrange
    const input = findings(250);
    // act
    const result = await importFindings(options({ findings: input }));
    // assert
    expect(sentImportCalls().map((b) => b.length)).toEqual([100, 100, 50]);
    expect(result).toMatchObject({ imported: 250, unchanged: 0, archived: 0, reactivated: 0, failed: [], notSent: [] });
    expect(result.apiCalls).toBe(4);
    expect(result.callsByOperation).toEqual({ GetFindings: 1, BatchImportFindings: 3 });
    expect(hub.store.size).toBe(250);
    expectEveryFindingAccountedFor(input, result);
  });

  it('filters GetFindings by ProductArn and the scope ProductFields, 100 per page', async () => {
    // arrange / act
    await importFindings(options({ findings: findings(1) }));
    // assert
    expect(mock.commandCalls(GetFindingsCommand)[0]!.args[0].input).toEqual({
      Filters: {
        ProductArn: [{ Value: defaultProductArn(SCOPE), Comparison: 'EQUALS' }],
        ProductFields: [
          { Key: FIELD.tool, Value: SCOPE.tool, Comparison: 'EQUALS' },
          { Key: FIELD.repository, Value: SCOPE.repository, Comparison: 'EQUALS' },
          { Key: FIELD.branch, Value: SCOPE.branch, Comparison: 'EQUALS' },
        ],
      },
      MaxResults: 100,
    });
  });

  it('sets CreatedAt = UpdatedAt = now on new findings', async () => {
    // arrange
    const input = findings(2);
    // act
    await importFindings(options({ findings: input }));
    // assert
    for (const f of sentImportCalls().flat()) {
      expect(f.CreatedAt).toBe(NOW.toISOString());
      expect(f.UpdatedAt).toBe(NOW.toISOString());
    }
  });

  it('does not modify the caller’s findings', async () => {
    // arrange
    const input = findings(3);
    const copy = structuredClone(input);
    // act
    await importFindings(options({ findings: input }));
    // assert
    expect(input).toEqual(copy);
  });
});

describe('importFindings: what Security Hub already holds', () => {
  it('reads every page of the scope with NextToken', async () => {
    // arrange
    hub.seed(findings(250));
    // act
    const result = await importFindings(options({ findings: findings(250) }));
    // assert
    const pages = mock.commandCalls(GetFindingsCommand).map((c) => c.args[0].input);
    expect(pages.map((p) => p.NextToken)).toEqual([undefined, '100', '200']);
    expect(pages.every((p) => p.MaxResults === 100)).toBe(true);
    expect(result.callsByOperation.GetFindings).toBe(3);
  });

  it('skips findings whose content and RecordState are already stored and fresh', async () => {
    // arrange
    const input = findings(120);
    await importFindings(options({ findings: input }));
    mock.resetHistory();
    // act
    const second = await importFindings(options({ findings: input, now: () => LATER }));
    // assert
    expect(mock.commandCalls(BatchImportFindingsCommand)).toHaveLength(0);
    expect(second).toMatchObject({ imported: 0, unchanged: 120, archived: 0, apiCalls: 2 });
    expectEveryFindingAccountedFor(input, second);
  });

  it('re-imports unchanged findings older than refreshAfterDays so retention does not delete them', async () => {
    // arrange
    const input = findings(3);
    await importFindings(options({ findings: input }));
    const fortyDaysLater = new Date(NOW.getTime() + 40 * 86_400_000);
    // act
    const result = await importFindings(options({ findings: input, now: () => fortyDaysLater, refreshAfterDays: 30 }));
    // assert
    expect(result).toMatchObject({ imported: 3, unchanged: 0 });
    expect([...hub.store.values()].every((f) => f.UpdatedAt === fortyDaysLater.toISOString())).toBe(true);
  });

  it('keeps CreatedAt and sends an UpdatedAt strictly after the stored one, even when the stored one is in the future', async () => {
    // arrange: Security Hub holds a version "from the future" (another producer's skewed clock)
    const [before] = findings(1);
    hub.seed([{ ...before!, CreatedAt: '2026-06-01T00:00:00.000Z', UpdatedAt: '2026-12-01T11:00:00.000Z' }]);
    const changed = buildFinding(draft(0, { severity: { label: 'CRITICAL', original: '9.8' } }), SCOPE, FIXED_NOW);
    // act
    const result = await importFindings(options({ findings: [changed] }));
    // assert
    const [sent] = sentImportCalls().flat();
    expect(sent!.CreatedAt).toBe('2026-06-01T00:00:00.000Z');
    expect(sent!.UpdatedAt).toBe('2026-12-01T11:00:00.001Z');
    expect(hub.staleIgnored).toBe(0);
    expect(hub.store.get(changed.Id!)!.FindingProviderFields?.Severity?.Label).toBe('CRITICAL');
    expect(result.imported).toBe(1);
  });

  it('never sends an UpdatedAt that Security Hub would ignore, over several runs in the same millisecond', async () => {
    // arrange
    const runs = [0, 1, 2].map((n) => findings(5, SCOPE, FIXED_NOW, { description: `run ${n}` }));
    // act
    for (const input of runs) await importFindings(options({ findings: input }));
    // assert
    const times = sentImportCalls().map((batch) => batch[0]!.UpdatedAt);
    expect(times).toEqual(['2026-12-01T10:00:00.000Z', '2026-12-01T10:00:00.001Z', '2026-12-01T10:00:00.002Z']);
    expect(hub.staleIgnored).toBe(0);
    expect(hub.store.get(runs[2]![0]!.Id!)!.Description).toBe('run 2');
  });

  it('ignores stored findings outside the scope even if GetFindings returns them', async () => {
    // arrange: a server that treats the ProductFields filters as OR would return other branches too
    const other = findings(2, testScope({ tool: 'dependency-check', branch: 'develop' }));
    hub.seed(other);
    mock.on(GetFindingsCommand).resolves({ Findings: [...hub.store.values()], $metadata: {} });
    // act
    const result = await importFindings(options({ findings: [] }));
    // assert
    expect(result.archived).toBe(0);
    expect(mock.commandCalls(BatchImportFindingsCommand)).toHaveLength(0);
    expect(warnings.some(([message]) => String(message).includes('outside the scope'))).toBe(true);
  });
});

describe('importFindings: archiving and re-activation', () => {
  it('archives stored ACTIVE findings missing from the scan, in full, without customer-owned or managed fields', async () => {
    // arrange
    const all = findings(5);
    await importFindings(options({ findings: all }));
    const stored = hub.store.get(all[4]!.Id!)!;
    stored.Workflow = { Status: 'NOTIFIED' };
    stored.Note = { Text: 'ticket', UpdatedBy: 'alice', UpdatedAt: '2026-12-01T10:30:00.000Z' };
    mock.resetHistory();
    // act
    const result = await importFindings(options({ findings: all.slice(0, 3), now: () => LATER }));
    // assert
    expect(result).toMatchObject({ imported: 0, unchanged: 3, archived: 2, reactivated: 0, failed: [], notSent: [] });
    expect(result.ids.archived.sort()).toEqual([all[3]!.Id, all[4]!.Id].sort());
    const sent = sentImportCalls().flat();
    expect(sent).toHaveLength(2);
    for (const f of sent) {
      expect(f.RecordState).toBe('ARCHIVED');
      expect(f.ProductFields?.[FIELD.state]).toBe('FIXED');
      expect(f.UpdatedAt).toBe(LATER.toISOString());
      expect(f.CreatedAt).toBe(NOW.toISOString());
      expect(f.Title).toBeDefined();
      expect(f.Resources).toHaveLength(1);
      for (const key of ['Workflow', 'Note', 'VerificationState', 'UserDefinedFields', 'ProcessedAt']) expect(f).not.toHaveProperty(key);
      expect(Object.keys(f.ProductFields!).filter((k) => k.startsWith('aws/securityhub/'))).toEqual([]);
    }
    expect(hub.store.get(all[4]!.Id!)!.RecordState).toBe('ARCHIVED');
    expect(hub.store.get(all[4]!.Id!)!.Workflow).toEqual({ Status: 'NOTIFIED' });
  });

  it('does not archive again what is already archived', async () => {
    // arrange
    const all = findings(3);
    await importFindings(options({ findings: all }));
    await importFindings(options({ findings: [], now: () => LATER }));
    mock.resetHistory();
    // act
    const result = await importFindings(options({ findings: [], now: () => new Date(LATER.getTime() + 1000) }));
    // assert
    expect(result.archived).toBe(0);
    expect(mock.commandCalls(BatchImportFindingsCommand)).toHaveLength(0);
  });

  it('archives nothing when archiveMissing is false', async () => {
    // arrange
    await importFindings(options({ findings: findings(3) }));
    // act
    const result = await importFindings(options({ findings: [], archiveMissing: false, now: () => LATER }));
    // assert
    expect(result.archived).toBe(0);
    expect([...hub.store.values()].every((f) => f.RecordState === 'ACTIVE')).toBe(true);
  });

  it('re-activates a finding that comes back after it was archived', async () => {
    // arrange
    const all = findings(2);
    await importFindings(options({ findings: all }));
    await importFindings(options({ findings: [all[0]!], now: () => LATER }));
    const third = new Date(LATER.getTime() + 3_600_000);
    // act
    const result = await importFindings(options({ findings: all, now: () => third }));
    // assert
    expect(result).toMatchObject({ imported: 1, reactivated: 1, unchanged: 1, archived: 0 });
    expect(result.ids.reactivated).toEqual([all[1]!.Id]);
    const back = hub.store.get(all[1]!.Id!)!;
    expect(back.RecordState).toBe('ACTIVE');
    expect(back.ProductFields?.[FIELD.state]).toBe('ACTIVE');
    expect(back.CreatedAt).toBe(NOW.toISOString());
    expect(back.UpdatedAt).toBe(third.toISOString());
  });

  it('reports the scope state after the import: stored decisions kept, RESOLVED re-opened as NEW on re-activation', async () => {
    // arrange
    const all = findings(3);
    await importFindings(options({ findings: all }));
    await importFindings(options({ findings: [all[0]!, all[1]!], now: () => LATER }));
    const note = { Text: 'accepted until the next release', UpdatedBy: 'sec-engineer', UpdatedAt: LATER.toISOString() };
    hub.store.set(all[1]!.Id!, { ...hub.store.get(all[1]!.Id!)!, Workflow: { Status: 'SUPPRESSED' }, Note: note });
    hub.store.set(all[2]!.Id!, { ...hub.store.get(all[2]!.Id!)!, Workflow: { Status: 'RESOLVED' } });
    const third = new Date(LATER.getTime() + 3_600_000);

    // act
    const result = await importFindings(options({ findings: all, now: () => third }));

    // assert
    expect(result.states.get(all[0]!.Id!)).toMatchObject({ recordState: 'ACTIVE', workflowStatus: 'NEW', createdAt: NOW.toISOString() });
    expect(result.states.get(all[1]!.Id!)).toMatchObject({ recordState: 'ACTIVE', workflowStatus: 'SUPPRESSED', note: { text: note.Text, updatedBy: 'sec-engineer' } });
    expect(result.states.get(all[2]!.Id!)).toMatchObject({ recordState: 'ACTIVE', workflowStatus: 'NEW', updatedAt: third.toISOString() });
    expect(result.states.size).toBe(3);
  });

  it('imports a finding suppressed in the tool as ARCHIVED and does not count it as archived-missing', async () => {
    // arrange
    const [f] = findings(1);
    await importFindings(options({ findings: [f!] }));
    const suppressed = buildFinding(draft(0, { state: 'SUPPRESSED', stateReason: 'accepted risk' }), SCOPE, FIXED_NOW);
    // act
    const result = await importFindings(options({ findings: [suppressed], now: () => LATER }));
    // assert
    expect(result).toMatchObject({ imported: 1, archived: 0, reactivated: 0 });
    expect(hub.store.get(f!.Id!)!.RecordState).toBe('ARCHIVED');
  });
});

describe('importFindings: input problems', () => {
  it('imports one finding per duplicated Id (the last), warns, and counts it once', async () => {
    // arrange
    const [a, b] = findings(2);
    const aAgain = buildFinding(draft(0, { description: 'last word' }), SCOPE, FIXED_NOW);
    const input = [a!, b!, a!, aAgain];
    // act
    const result = await importFindings(options({ findings: input }));
    // assert
    expect(result.imported).toBe(2);
    expect(sentImportCalls().flat().map((f) => f.Id)).toEqual([b!.Id, a!.Id]);
    expect(hub.store.get(a!.Id!)!.Description).toBe('last word');
    expect(warnings.some(([message]) => String(message).includes('more than once'))).toBe(true);
    expectEveryFindingAccountedFor(input, result);
  });

  it('refuses findings of another scope instead of importing them unseen by this scope’s archiving', async () => {
    // arrange
    const ours = findings(2);
    const [theirs] = findings(1, testScope({ tool: 'dependency-check', repository: 'other/repo' }));
    // act
    const result = await importFindings(options({ findings: [...ours, theirs!] }));
    // assert
    expect(result.imported).toBe(2);
    expect(result.failed).toEqual([{ id: theirs!.Id, code: 'ScopeMismatch', message: expect.stringContaining('do not match scope') }]);
    expectEveryFindingAccountedFor([...ours, theirs!], result);
  });

  it('refuses a finding that fails validation without sending it, and still imports the others', async () => {
    // arrange
    const [good, bad] = findings(2);
    const invalid = { ...bad!, Title: '', Types: ['Nonsense/Type'] };
    // act
    const result = await importFindings(options({ findings: [good!, invalid] }));
    // assert
    expect(result.imported).toBe(1);
    expect(result.failed).toEqual([{ id: bad!.Id, code: 'ClientValidation', message: expect.stringContaining('Title') }]);
    expect(sentImportCalls().flat().map((f) => f.Id)).toEqual([good!.Id]);
  });
});

describe('importFindings: batching', () => {
  it('splits big findings by bytes so no request exceeds the 6 MB limit', async () => {
    // arrange: 64 findings of ~200 KB (~12.5 MB)
    const input = Array.from({ length: 64 }, (_, i) => bigFinding(i, 200_000));
    // act
    const result = await importFindings(options({ findings: input }));
    // assert
    const calls = sentImportCalls();
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (const batch of calls) expect(jsonBytes({ Findings: batch })).toBeLessThanOrEqual(LIMITS.batchBytes);
    expect(calls.flat()).toHaveLength(64);
    expect(result.imported).toBe(64);
  });

  it('imports 10,000 findings in exactly 100 calls with no 429 from a server enforcing the real quota', async () => {
    // arrange: fake timers drive both our limiter (Date.now, setTimeout) and the server's token bucket
    jest.useFakeTimers({ now: NOW });
    hub.enforceQuota('BatchImportFindings', { ratePerSecond: 10, burst: 30 });
    hub.enforceQuota('GetFindings', { ratePerSecond: 3, burst: 6 });
    const input = findings(10_000);
    const { sleep: _instant, ...realTime } = options({ findings: input });
    // act
    let settled = false;
    const running = importFindings(realTime).finally(() => (settled = true));
    while (!settled) await jest.advanceTimersByTimeAsync(20);
    const result = await running;
    const elapsed = Date.now() - NOW.getTime();
    jest.useRealTimers();
    // assert
    expect(result.callsByOperation).toEqual({ GetFindings: 1, BatchImportFindings: 100 });
    expect(hub.quotaRejections).toBe(0);
    expect(result.imported).toBe(10_000);
    // 25 calls from the burst, 75 more at 9 per second
    expect(elapsed).toBeGreaterThanOrEqual(8_000);
    expect(elapsed).toBeLessThan(9_000);
  });

  it('counts the HTTP requests the caller’s SDK client retried on its own', async () => {
    // arrange
    mock.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [], $metadata: { attempts: 3 } });
    // act
    const result = await importFindings(options({ findings: findings(1) }));
    // assert
    expect(result.callsByOperation).toEqual({ GetFindings: 1, BatchImportFindings: 3 });
    expect(result.apiCalls).toBe(4);
  });
});

describe('importFindings: errors and retries', () => {
  it('retries a throttled request with backoff and loses nothing', async () => {
    // arrange
    const sleeps: number[] = [];
    hub.onImport = (_batch, call) => (call <= 2 ? throttled() : undefined);
    const input = findings(150);
    // act
    const result = await importFindings(options({ findings: input, concurrency: 1, sleep: async (ms) => void sleeps.push(ms) }));
    // assert
    expect(result).toMatchObject({ imported: 150, failed: [], notSent: [] });
    expect(result.callsByOperation.BatchImportFindings).toBe(4);
    expect(sleeps.filter((ms) => ms > 0).length).toBeGreaterThanOrEqual(2);
    expect(hub.store.size).toBe(150);
  });

  it('retries server errors, then reports the batch failed when attempts run out', async () => {
    // arrange
    hub.onImport = () => serverError();
    const input = findings(3);
    // act
    const result = await importFindings(options({ findings: input, maxRequestAttempts: 4 }));
    // assert
    expect(result.callsByOperation.BatchImportFindings).toBe(4);
    expect(result.failed.map((f) => f.code)).toEqual(['InternalException', 'InternalException', 'InternalException']);
    expect(result.failed[0]!.message).toContain('gave up after 4 attempts');
    expectEveryFindingAccountedFor(input, result);
  });

  it('does not retry InvalidAccessException: every finding of the request fails with that code', async () => {
    // arrange
    hub.onImport = () => invalidAccess();
    const input = findings(3);
    // act
    const result = await importFindings(options({ findings: input }));
    // assert
    expect(result.callsByOperation.BatchImportFindings).toBe(1);
    expect(result.failed).toHaveLength(3);
    expect(new Set(result.failed.map((f) => f.code))).toEqual(new Set(['InvalidAccessException']));
  });

  it('does not retry InvalidInputException either', async () => {
    // arrange
    mock
      .on(BatchImportFindingsCommand)
      .rejects(Object.assign(new Error('Invalid ProductArn'), { name: 'InvalidInputException', $metadata: { httpStatusCode: 400 } }));
    // act
    const result = await importFindings(options({ findings: findings(2) }));
    // assert
    expect(result.callsByOperation.BatchImportFindings).toBe(1);
    expect(result.failed.map((f) => [f.code, f.message])).toEqual([
      ['InvalidInputException', 'Invalid ProductArn'],
      ['InvalidInputException', 'Invalid ProductArn'],
    ]);
  });

  it('reads FailedFindings on a 200: retries transient ones in a later batch and reports the rest', async () => {
    // arrange
    const input = findings(10);
    const [flaky, invalid, busy] = [input[1]!.Id!, input[2]!.Id!, input[3]!.Id!];
    hub.onImport = (_batch, call) =>
      call === 1
        ? new Map([
            [flaky, { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
            [invalid, { ErrorCode: 'InvalidInput', ErrorMessage: 'Finding does not adhere to ASFF' }],
            [busy, { ErrorCode: 'ConcurrentUpdateError', ErrorMessage: 'busy' }],
          ])
        : undefined;
    // act
    const result = await importFindings(options({ findings: input, concurrency: 1 }));
    // assert
    expect(sentImportCalls().map((b) => b.map((f) => f.Id))).toEqual([input.map((f) => f.Id), [flaky, busy]]);
    expect(result.imported).toBe(9);
    expect(result.failed).toEqual([{ id: invalid, code: 'InvalidInput', message: 'Finding does not adhere to ASFF' }]);
    expectEveryFindingAccountedFor(input, result);
  });

  it('gives up on a transient per-finding failure after maxFindingRetries', async () => {
    // arrange
    const input = findings(2);
    const stuck = input[0]!.Id!;
    hub.onImport = () => new Map([[stuck, { ErrorCode: 'InternalFailure', ErrorMessage: 'still broken' }]]);
    // act
    const result = await importFindings(options({ findings: input, maxFindingRetries: 2, concurrency: 1 }));
    // assert
    expect(sentImportCalls().map((b) => b.length)).toEqual([2, 1, 1]);
    expect(result.failed).toEqual([{ id: stuck, code: 'InternalFailure', message: 'still broken' }]);
    expect(result.imported).toBe(1);
  });

  it('retries a throttled GetFindings, and imports nothing when the scope cannot be read at all', async () => {
    // arrange
    hub.onGet = (_input, call) => (call === 1 ? throttled() : invalidAccess());
    const input = findings(3);
    // act
    const result = await importFindings(options({ findings: input }));
    // assert
    expect(result.callsByOperation).toEqual({ GetFindings: 2 });
    expect(result.failed.map((f) => f.code)).toEqual(['InvalidAccessException', 'InvalidAccessException', 'InvalidAccessException']);
    expect(result.failed[0]!.message).toContain('Reading stored findings failed');
    expectEveryFindingAccountedFor(input, result);
  });

  it('reports a failure thrown by the SDK client itself (not an HTTP error) instead of losing the batch', async () => {
    // arrange
    mock.on(BatchImportFindingsCommand).rejects(new TypeError('Cannot read properties of undefined'));
    const input = findings(2);
    // act
    const result = await importFindings(options({ findings: input }));
    // assert
    expect(result.failed.map((f) => f.code)).toEqual(['TypeError', 'TypeError']);
    expectEveryFindingAccountedFor(input, result);
  });
});

describe('importFindings: deadline', () => {
  it('stops starting calls at deadline minus the margin and reports the rest as notSent', async () => {
    // arrange: every import call takes one virtual second
    let now = 0;
    hub.onImport = () => void (now += 1000);
    const input = findings(1000);
    // act
    const result = await importFindings(options({ findings: input, clock: () => now, deadline: 5_500, deadlineMarginMs: 3_000, concurrency: 1 }));
    // assert: calls start at t=0, 1000, 2000; at 3000 ≥ 2500 nothing more starts
    expect(result.callsByOperation.BatchImportFindings).toBe(3);
    expect(result.imported).toBe(300);
    expect(result.notSent).toHaveLength(700);
    expectEveryFindingAccountedFor(input, result);
  });

  it('a second run after a deadline finishes the job without duplicates', async () => {
    // arrange
    let now = 0;
    hub.onImport = () => void (now += 1000);
    const input = findings(500);
    const first = await importFindings(options({ findings: input, clock: () => now, deadline: 4_000, deadlineMarginMs: 2_000, concurrency: 1 }));
    // act
    const second = await importFindings(options({ findings: input, now: () => LATER }));
    // assert
    expect(first.notSent.length).toBeGreaterThan(0);
    expect(second.imported).toBe(first.notSent.length);
    expect(second.unchanged).toBe(first.imported);
    expect(hub.store.size).toBe(500);
  });

  it('sends nothing when the deadline has already passed', async () => {
    // arrange
    const input = findings(5);
    // act
    const result = await importFindings(options({ findings: input, clock: () => 10_000, deadline: 10_000 }));
    // assert
    expect(result.apiCalls).toBe(0);
    expect(result.notSent.sort()).toEqual(input.map((f) => f.Id).sort());
  });

  it('does not start a backoff wait that would end past the deadline', async () => {
    // arrange
    let now = 0;
    hub.onImport = () => throttled();
    const input = findings(2);
    // act
    const result = await importFindings(
      options({
        findings: input,
        clock: () => now,
        sleep: async (ms) => void (now += ms),
        deadline: 10_000,
        deadlineMarginMs: 1_000,
        random: () => 0.99,
        backoff: { baseMs: 1_000, maxMs: 60_000 },
        maxRequestAttempts: 10,
      }),
    );
    // assert: waits of 990, 1980 and 3960 ms fit before 9000; the next (7920 ms) would not
    expect(result.notSent.sort()).toEqual(input.map((f) => f.Id).sort());
    expect(result.callsByOperation.BatchImportFindings).toBe(4);
    expect(now).toBeLessThan(9_000);
    expect(result.failed).toEqual([]);
  });
});

describe('importFindings: invariant', () => {
  it('accounts for every finding exactly once whatever the faults (property)', async () => {
    const fault = fc.oneof(
      fc.constant({ kind: 'ok' as const }),
      fc.constant({ kind: 'throttle' as const }),
      fc.constant({ kind: 'server' as const }),
      fc.constant({ kind: 'invalid' as const }),
      fc.record({ kind: fc.constant('partial' as const), seed: fc.integer({ min: 0, max: 1000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 260 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fault, { maxLength: 12 }),
        fc.integer({ min: 0, max: 8 }),
        async (count, storedCount, faults, deadlineAfterCalls) => {
          // arrange
          mock.reset();
          hub = new FakeSecurityHub();
          hub.install(mock);
          const all = findings(count + storedCount);
          hub.seed(all.slice(count));
          let now = 0;
          hub.onImport = (batch, call) => {
            now += 1000;
            const f = faults[call - 1] ?? { kind: 'ok' };
            if (f.kind === 'throttle') return throttled();
            if (f.kind === 'server') return serverError();
            if (f.kind === 'invalid') return Object.assign(new Error('bad'), { name: 'InvalidInputException', $metadata: { httpStatusCode: 400 } });
            if (f.kind === 'partial') {
              const codes = ['InternalFailure', 'InvalidInput', 'ConcurrentUpdateError'];
              return new Map(batch.filter((_, i) => (i + f.seed) % 3 === 0).map((x, i) => [x.Id!, { ErrorCode: codes[(i + f.seed) % 3]!, ErrorMessage: 'injected' }]));
            }
            return undefined;
          };
          const input = all.slice(0, count);
          // act
          const result = await importFindings(
            options({ findings: input, clock: () => now, deadline: 1 + deadlineAfterCalls * 1000 + 100, deadlineMarginMs: 100, maxRequestAttempts: 3 }),
          );
          // assert
          expectEveryFindingAccountedFor(input, result);
          for (const id of result.ids.imported) expect(hub.store.get(id)?.RecordState).toBe('ACTIVE');
          for (const id of result.ids.archived) expect(hub.store.get(id)?.RecordState).toBe('ARCHIVED');
          const archiveIds = all.slice(count).map((f) => f.Id!);
          const archiveOutcomes = [...result.ids.archived, ...result.failed.map((f) => f.id), ...result.notSent].filter((id) => archiveIds.includes(id));
          expect(archiveOutcomes.sort()).toEqual([...archiveIds].sort());
          expect(hub.staleIgnored).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
