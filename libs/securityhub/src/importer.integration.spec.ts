/**
 * The importer with the real SecurityHubClient talking HTTP to securityhub-local (a Security Hub emulator with
 * the real quotas, UpdatedAt rules and injectable faults).
 *
 * Time is virtual: the importer's limiter, back-off and deadline and the server's token buckets share one clock that
 * moves only when the importer sleeps. Throttling therefore depends on how many requests are sent per (virtual)
 * second, never on how fast this machine is; real-time behaviour is measured by `npm run bench`.
 */
import { SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { FIELD, buildFinding, type ScanScope } from '@devsecops/asff';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { FIXED_NOW, testScope, virtualClock, type VirtualClock } from '@devsecops/test-support';
import { SCOPE, bigFinding, draft, findings } from './__fixtures__/findings';
import { importFindings, type ImportOptions, type ImportResult } from './importer';

let local: SecurityHubLocal;
let time: VirtualClock = virtualClock();
const serverClock = () => time.clock();

beforeAll(async () => {
  local = await startSecurityHubLocal({ port: 0, throttling: true, clock: serverClock });
});

afterAll(async () => {
  await local.close();
});

beforeEach(() => {
  time = virtualClock();
  local.setFaults(undefined);
  local.setThrottling(true);
  local.reset();
});

function client(maxAttempts = 1): SecurityHubClient {
  return new SecurityHubClient({
    endpoint: local.endpoint,
    region: SCOPE.region,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts,
  });
}

function options(overrides: Partial<ImportOptions> = {}): ImportOptions {
  return { client: client(), scope: SCOPE, findings: [], clock: time.clock, sleep: time.sleep, ...overrides };
}

function storedById(): Map<string, AwsSecurityFinding> {
  return new Map(local.findings().map((f) => [f.Id!, f]));
}

function expectEveryFindingAccountedFor(input: AwsSecurityFinding[], result: ImportResult): void {
  const inputIds = [...new Set(input.map((f) => f.Id!))].sort();
  const inInput = (id: string) => inputIds.includes(id);
  const all = [...result.ids.imported, ...result.ids.unchanged, ...result.failed.map((f) => f.id), ...result.notSent].filter(inInput).sort();
  expect(all).toEqual(inputIds);
}

function totalRequests(): number {
  return Object.values(local.stats().requests).reduce((a, b) => a + b, 0);
}

describe('importFindings against securityhub-local', () => {
  it('imports 1,000 findings in 10 requests, then finds them unchanged', async () => {
    // arrange
    const input = findings(1_000);
    // act
    const first = await importFindings(options({ findings: input }));
    const second = await importFindings(options({ findings: input }));
    // assert
    expect(first).toMatchObject({ imported: 1_000, unchanged: 0, failed: [], notSent: [] });
    expect(first.callsByOperation).toEqual({ GetFindings: 1, BatchImportFindings: 10 });
    expect(second).toMatchObject({ imported: 0, unchanged: 1_000, archived: 0 });
    expect(second.callsByOperation).toEqual({ GetFindings: 10 });
    expect(local.stats()).toMatchObject({ throttled: 0, findings: 1_000, imports: { created: 1_000, ignored: 0 } });
    expect(first.apiCalls + second.apiCalls).toBe(totalRequests());
    const stored = storedById().get(input[0]!.Id!)!;
    expect(stored.CreatedAt).toBe(stored.UpdatedAt);
  });

  it('stays under the real BatchImportFindings quota: 5,000 findings, 50 requests, no 429', async () => {
    // arrange
    const input = findings(5_000);
    // act
    const result = await importFindings(options({ findings: input }));
    // assert: 25 requests from the burst, 25 more at 9 per second (virtual seconds: the server counts the same ones)
    expect(result.callsByOperation).toEqual({ GetFindings: 1, BatchImportFindings: 50 });
    expect(local.stats().throttled).toBe(0);
    expect(result.imported).toBe(5_000);
    expect(time.elapsed()).toBeGreaterThanOrEqual(2_500);
  });

  it('recovers from real 429s when its own limits are set too high, losing and duplicating nothing', async () => {
    // arrange: a server quota far below what the client allows itself, so 429s come however fast this machine
    // plans batches (the sender starts sending while the scan is still being planned)
    local.setThrottling({ importRps: 4, importBurst: 3 });
    const input = findings(2_000);
    // act
    const result = await importFindings(
      options({ findings: input, rateLimits: { importRps: 100, importBurst: 100 }, concurrency: 6, maxRequestAttempts: 12, backoff: { baseMs: 100, maxMs: 2_000 } }),
    );
    // assert
    const stats = local.stats();
    expect(stats.throttled).toBeGreaterThan(0);
    expect(result).toMatchObject({ imported: 2_000, failed: [], notSent: [] });
    expect(result.callsByOperation.BatchImportFindings).toBe(20 + stats.throttled);
    expect(result.throttled).toBe(stats.throttled);
    expect(stats.imports).toMatchObject({ created: 2_000, ignored: 0 });
    expect(stats.findings).toBe(2_000);
  });

  it('survives injected 429s, 500s and per-finding failures with nothing lost or duplicated', async () => {
    // arrange
    local.setFaults({ throttleRate: 0.15, serverErrorRate: 0.15, findingFailureRate: 0.05, seed: 7 });
    const input = findings(1_000);
    // act
    const result = await importFindings(
      options({ findings: input, maxRequestAttempts: 12, maxFindingRetries: 8, backoff: { baseMs: 20, maxMs: 400 } }),
    );
    // assert
    const stats = local.stats();
    expect(stats.injected.throttles + stats.injected.serverErrors).toBeGreaterThan(0);
    expect(stats.injected.findingFailures).toBeGreaterThan(0);
    expect(result).toMatchObject({ imported: 1_000, failed: [], notSent: [] });
    expect(stats.imports).toMatchObject({ created: 1_000, ignored: 0 });
    expect(stats.findings).toBe(1_000);
    expect(result.apiCalls).toBe(totalRequests());
    expectEveryFindingAccountedFor(input, result);
  });

  it('counts the SDK client’s own retries as API calls', async () => {
    // arrange: the caller's client keeps the SDK's standard retry (3 attempts)
    local.setFaults({ throttleRate: 0.3, seed: 11, operations: ['BatchImportFindings'] });
    const input = findings(1_000);
    // act
    const result = await importFindings(options({ client: client(3), findings: input, maxRequestAttempts: 8, backoff: { baseMs: 20, maxMs: 400 } }));
    // assert
    expect(local.stats().injected.throttles).toBeGreaterThan(0);
    expect(result.imported).toBe(1_000);
    expect(result.apiCalls).toBe(totalRequests());
  });

  it('reports per-finding failures that do not clear within maxFindingRetries with their code', async () => {
    // arrange: every finding fails on its own, every time
    local.setFaults({ findingFailureRate: 1, seed: 1 });
    const input = findings(5);
    // act
    const result = await importFindings(options({ findings: input, maxFindingRetries: 2 }));
    // assert
    expect(result.imported).toBe(0);
    expect(result.failed).toHaveLength(5);
    expect(new Set(result.failed.map((f) => f.code))).toEqual(new Set(['InternalException']));
    expect(result.callsByOperation.BatchImportFindings).toBe(3);
    expectEveryFindingAccountedFor(input, result);
  });

  it('does not retry InvalidAccess: findings for another account fail once, with the code', async () => {
    // arrange: a server for account 999999999999; our findings are for 123456789012
    const other = await startSecurityHubLocal({ port: 0, throttling: true, accountId: '999999999999', clock: serverClock });
    const input = findings(3);
    try {
      // act
      const otherClient = new SecurityHubClient({
        endpoint: other.endpoint,
        region: SCOPE.region,
        credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
        maxAttempts: 1,
      });
      const result = await importFindings(options({ client: otherClient, findings: input }));
      // assert
      expect(result.imported).toBe(0);
      expect(result.failed.map((f) => f.id).sort()).toEqual(input.map((f) => f.Id).sort());
      expect(result.failed.every((f) => /InvalidAccess/.test(f.code))).toBe(true);
      expect(result.callsByOperation.BatchImportFindings).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('cuts big findings by bytes: every request under 6 MB is accepted', async () => {
    // arrange: 40 findings of ~200 KB (~8 MB in all)
    const input = Array.from({ length: 40 }, (_, i) => bigFinding(i, 200_000));
    // act
    const result = await importFindings(options({ findings: input }));
    // assert
    expect(result).toMatchObject({ imported: 40, failed: [] });
    expect(result.callsByOperation.BatchImportFindings).toBeGreaterThanOrEqual(2);
    expect(local.stats().findings).toBe(40);
  });

  it('reads every GetFindings page of a large scope and archives only this scope', async () => {
    // arrange: 250 findings of this scope and 30 of another branch already stored
    const otherBranch: ScanScope = testScope({ tool: SCOPE.tool, branch: 'develop' });
    local.importFindings([...findings(250), ...findings(30, otherBranch)]);
    // act
    const result = await importFindings(options({ findings: findings(200), now: () => new Date('2026-12-01T00:00:00.000Z') }));
    // assert
    expect(result.callsByOperation.GetFindings).toBe(3);
    expect(result).toMatchObject({ unchanged: 200, archived: 50, imported: 0 });
    const stored = local.findings();
    expect(stored.filter((f) => f.RecordState === 'ARCHIVED')).toHaveLength(50);
    expect(stored.filter((f) => f.ProductFields?.[FIELD.branch] === 'develop').every((f) => f.RecordState === 'ACTIVE')).toBe(true);
  });

  it('archives, re-activates and keeps UpdatedAt strictly increasing and CreatedAt stable across runs', async () => {
    // arrange
    const all = findings(4);
    const t1 = new Date('2026-12-01T10:00:00.000Z');
    const t2 = new Date('2026-12-01T10:00:00.000Z'); // a second run in the same millisecond
    const t3 = new Date('2026-12-01T09:00:00.000Z'); // and one whose clock is behind
    // act
    const first = await importFindings(options({ findings: all, now: () => t1 }));
    const second = await importFindings(options({ findings: all.slice(0, 2), now: () => t2 }));
    const changed = buildFinding(draft(1, { description: 'changed text' }), SCOPE, FIXED_NOW);
    const third = await importFindings(options({ findings: [all[0]!, changed, all[2]!], now: () => t3 }));
    // assert
    expect(first.imported).toBe(4);
    expect(second).toMatchObject({ unchanged: 2, archived: 2 });
    // all[3] stays archived: it is missing again but already ARCHIVED, so it is not sent again
    expect(third).toMatchObject({ imported: 2, reactivated: 1, unchanged: 1, archived: 0 });
    const stored = storedById();
    expect(stored.get(all[0]!.Id!)).toMatchObject({ RecordState: 'ACTIVE', UpdatedAt: t1.toISOString(), CreatedAt: t1.toISOString() });
    expect(stored.get(all[1]!.Id!)).toMatchObject({ RecordState: 'ACTIVE', Description: 'changed text', UpdatedAt: '2026-12-01T10:00:00.001Z' });
    expect(stored.get(all[2]!.Id!)).toMatchObject({ RecordState: 'ACTIVE', UpdatedAt: '2026-12-01T10:00:00.002Z', CreatedAt: t1.toISOString() });
    expect(stored.get(all[2]!.Id!)!.ProductFields?.[FIELD.state]).toBe('ACTIVE');
    expect(stored.get(all[3]!.Id!)).toMatchObject({ RecordState: 'ARCHIVED', UpdatedAt: '2026-12-01T10:00:00.001Z' });
    expect(stored.get(all[3]!.Id!)!.ProductFields?.[FIELD.state]).toBe('FIXED');
    expect(local.stats().imports.ignored).toBe(0);
  });

  it('stops at the deadline and a second run finishes the job', async () => {
    // arrange: a deadline that leaves room for the burst only; reading the scope back is made fast for the
    // second run (at the real 3 rps, 100 findings per page, re-reading thousands of findings takes seconds)
    const input = findings(4_000);
    const fastReads = { getRps: 50, getBurst: 50 };
    // act
    const first = await importFindings(options({ findings: input, deadline: time.clock() + 1_500, deadlineMarginMs: 500 }));
    local.setThrottling({ ...fastReads });
    const second = await importFindings(options({ findings: input, rateLimits: fastReads }));
    // assert
    expect(first.notSent.length).toBeGreaterThan(0);
    expect(first.imported + first.notSent.length).toBe(4_000);
    expect(second).toMatchObject({ imported: first.notSent.length, unchanged: first.imported, failed: [], notSent: [] });
    expect(local.stats().findings).toBe(4_000);
    expect(local.findings().every((f) => f.RecordState === 'ACTIVE')).toBe(true);
  });
});
