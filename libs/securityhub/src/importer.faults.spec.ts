/**
 * Issue #7's fault budget at scale: 10,000 findings into securityhub-local at the real quotas while 30 % of
 * requests are throttled, 5 % fail with a 500 and 10 % of findings fail on their own.
 *
 * Time is virtual (one clock for the importer and the server's token buckets, moved only by the importer's sleeps),
 * so the deadline is reached after the same requests on any machine, however busy.
 */
import { SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { virtualClock } from '@devsecops/test-support';
import { SCOPE, findings } from './__fixtures__/findings';
import { importFindings, type ImportResult } from './importer';

jest.setTimeout(120_000);

const FAULTS = { throttleRate: 0.3, serverErrorRate: 0.05, findingFailureRate: 0.1, seed: 2026 };
const COUNT = 10_000;

function outcomeOf(id: string, result: ImportResult): string[] {
  const places: string[] = [];
  if (result.ids.imported.includes(id)) places.push('imported');
  if (result.ids.unchanged.includes(id)) places.push('unchanged');
  if (result.failed.some((f) => f.id === id)) places.push('failed');
  if (result.notSent.includes(id)) places.push('notSent');
  return places;
}

describe('importFindings under injected faults at 10,000 findings', () => {
  let local: SecurityHubLocal;
  let client: SecurityHubClient;
  const input: AwsSecurityFinding[] = findings(COUNT);
  const time = virtualClock();

  beforeAll(async () => {
    local = await startSecurityHubLocal({ port: 0, throttling: true, faults: FAULTS, clock: time.clock });
    client = new SecurityHubClient({ endpoint: local.endpoint, region: SCOPE.region, maxAttempts: 1, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => local.close());

  it('stops before its deadline, accounts for every finding, and a retry finishes the job without duplicates', async () => {
    // Arrange: a deadline shorter than the quota needs for 10,000 findings (≈ 7 s without faults)
    const deadline = time.clock() + 4_000;
    const clockAndSleep = { clock: time.clock, sleep: time.sleep };

    // Act
    const first = await importFindings({ client, scope: SCOPE, findings: input, deadline, deadlineMarginMs: 500, ...clockAndSleep });
    const stoppedAt = time.clock();
    const second = await importFindings({ client, scope: SCOPE, findings: input, ...clockAndSleep });

    // Assert: the first run kept its time budget and said what it did not send
    expect(stoppedAt).toBeLessThanOrEqual(deadline);
    expect(first.notSent.length).toBeGreaterThan(0);
    // every finding is in exactly one place, in both runs
    const misplaced = input.map((f) => f.Id!).filter((id) => outcomeOf(id, first).length !== 1 || outcomeOf(id, second).length !== 1);
    expect(misplaced).toEqual([]);
    // nothing lost: what the second run did not import was already there, or is reported with its Id and code
    expect(second.notSent).toEqual([]);
    for (const failure of second.failed) expect(failure).toEqual({ id: expect.any(String), code: expect.any(String), message: expect.any(String) });
    const stored = new Map(local.findings().map((f) => [f.Id!, f]));
    const missing = input.map((f) => f.Id!).filter((id) => !stored.has(id));
    expect(missing.sort()).toEqual(second.failed.map((f) => f.id).sort());
    // nothing duplicated: the store holds each Id once and nothing else
    expect(local.findings()).toHaveLength(stored.size);
    expect(stored.size).toBe(COUNT - missing.length);
    // the faults really happened
    const stats = local.stats();
    expect(stats.injected.throttles).toBeGreaterThan(20);
    expect(stats.injected.serverErrors).toBeGreaterThan(2);
    expect(stats.injected.findingFailures).toBeGreaterThan(500);
  });
});
