/**
 * Quota sharing: N parser invocations at once in one account share Security Hub's per-account quotas
 * (BatchImportFindings 10 rps burst 30, GetFindings 3 rps burst 6, asff.md §1). With `rateShare: 1/N` each takes
 * its part of the importer's budget (9 rps burst 25), so together they stay under the quotas.
 */
import { SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { ScanScope } from '@devsecops/asff';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { mockClient } from 'aws-sdk-client-mock';
import { FakeSecurityHub } from './__fixtures__/fake-security-hub';
import { SCOPE, findings } from './__fixtures__/findings';
import { DEFAULT_RATE_LIMITS, importFindings, sharedLimits, type ImportResult } from './importer';

// Fake-clock tests of 10,000 findings take a few seconds of CPU; with both cores busy, more than jest's 5 s default.
jest.setTimeout(120_000);

const NOW = new Date('2026-12-01T10:00:00.000Z');
const N = 5;
const scopes: ScanScope[] = Array.from({ length: N }, (_, i) => ({ ...SCOPE, repository: `hospital/app-${i}` }));

/** Seconds the real quota needs for `calls` requests at best: a full burst, then the steady rate. */
function quotaFloorSeconds(calls: number, rps: number, burst: number): number {
  return Math.max(0, calls - burst) / rps;
}

function accountedFor(input: AwsSecurityFinding[], result: ImportResult): boolean {
  const ids = new Set([...result.ids.imported, ...result.ids.unchanged, ...result.failed.map((f) => f.id), ...result.notSent]);
  return input.every((f) => ids.has(f.Id!)) && ids.size === input.length;
}

describe('sharedLimits', () => {
  it('divides rates and bursts, keeping at least one token of burst', () => {
    expect(sharedLimits(DEFAULT_RATE_LIMITS, 0.2)).toEqual({ importRps: 1.8, importBurst: 5, getRps: 0.5, getBurst: 1 });
    expect(sharedLimits(DEFAULT_RATE_LIMITS, undefined)).toBe(DEFAULT_RATE_LIMITS);
    expect(() => sharedLimits(DEFAULT_RATE_LIMITS, 0)).toThrow(/rateShare/);
  });
});

describe('five concurrent imports against the real quotas (fake clock)', () => {
  async function runFive(rateShare: number | undefined) {
    jest.useFakeTimers({ now: NOW });
    const client = new SecurityHubClient({ region: 'us-east-1', maxAttempts: 1 });
    const mock = mockClient(client);
    // One account: one server-side bucket per operation for all five invocations.
    const hub = new FakeSecurityHub();
    hub.install(mock);
    hub.enforceQuota('BatchImportFindings', { ratePerSecond: 10, burst: 30 });
    hub.enforceQuota('GetFindings', { ratePerSecond: 3, burst: 6 });
    const inputs = scopes.map((scope) => findings(2_000, scope));
    let settled = false;
    const running = Promise.all(inputs.map((input, i) => importFindings({ client, scope: scopes[i]!, findings: input, random: () => 0.5, ...(rateShare ? { rateShare } : {}) }))).finally(
      () => (settled = true),
    );
    while (!settled) await jest.advanceTimersByTimeAsync(20);
    const results = await running;
    const elapsedSeconds = (Date.now() - NOW.getTime()) / 1000;
    jest.useRealTimers();
    mock.restore();
    return { results, inputs, hub, elapsedSeconds };
  }

  it('with rateShare 1/5 none is throttled, none fails, and together they take ≤ 1.3 × the quota floor', async () => {
    // act
    const { results, inputs, hub, elapsedSeconds } = await runFive(1 / N);
    // assert
    expect(hub.quotaRejections).toBe(0);
    expect(results.map((r) => [r.imported, r.failed.length, r.notSent.length, r.throttled])).toEqual(Array.from({ length: N }, () => [2_000, 0, 0, 0]));
    expect(results.every((r, i) => accountedFor(inputs[i]!, r))).toBe(true);
    expect(hub.store.size).toBe(N * 2_000);
    const calls = results.reduce((sum, r) => sum + (r.callsByOperation.BatchImportFindings ?? 0), 0);
    expect(calls).toBe(N * 20);
    // 5 × (5 at once + 15 at 1.8/s) ≈ 8.3 s of virtual time; the quota alone needs (100 − 30) / 10 = 7 s
    const floor = quotaFloorSeconds(calls, 10, 30);
    expect(elapsedSeconds / floor).toBeLessThanOrEqual(1.3);
  });

  it('without a share the five overrun the account quota and are throttled (what the share prevents)', async () => {
    // act
    const { results, hub } = await runFive(undefined);
    // assert: the server had to refuse requests; each was counted (and retried until the attempts ran out)
    expect(hub.quotaRejections).toBeGreaterThan(0);
    expect(results.reduce((sum, r) => sum + r.throttled, 0)).toBe(hub.quotaRejections);
    expect(results.every((r, i) => accountedFor(findings(2_000, scopes[i]!), r))).toBe(true);
  });
});

describe('five concurrent imports into securityhub-local at the real quotas', () => {
  let local: SecurityHubLocal;
  beforeAll(async () => {
    local = await startSecurityHubLocal({ port: 0, throttling: true });
  });
  afterAll(async () => local.close());

  it('none fails and nothing is lost (timing is in npm run bench)', async () => {
    // arrange
    const client = new SecurityHubClient({ endpoint: local.endpoint, region: SCOPE.region, maxAttempts: 1, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const inputs = scopes.map((scope) => findings(1_000, scope));
    // act
    const results = await Promise.all(inputs.map((input, i) => importFindings({ client, scope: scopes[i]!, findings: input, rateShare: 1 / N })));
    // assert
    expect(results.map((r) => [r.imported, r.failed, r.notSent])).toEqual(Array.from({ length: N }, () => [1_000, [], []]));
    expect(results.every((r, i) => accountedFor(inputs[i]!, r))).toBe(true);
    expect(new Set(local.findings().map((f) => f.Id)).size).toBe(N * 1_000);
  }, 120_000);
});
