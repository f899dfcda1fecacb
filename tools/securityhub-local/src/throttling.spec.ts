import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  LimitExceededException,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { clientFor, finding } from './__fixtures__/findings';
import { startSecurityHubLocal, type SecurityHubLocal } from './index';
import { Throttle, TokenBucket } from './throttle';

type Outcome = 'ok' | 'throttled' | 'other';

async function outcome(call: Promise<unknown>): Promise<Outcome> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    const e = error as { $metadata?: { httpStatusCode?: number } };
    return error instanceof LimitExceededException && e.$metadata?.httpStatusCode === 429 ? 'throttled' : 'other';
  }
}

function count(outcomes: Outcome[], kind: Outcome): number {
  return outcomes.filter((o) => o === kind).length;
}

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate', () => {
    // arrange
    let now = 0;
    const bucket = new TokenBucket(10, 30, () => now);

    // act
    const burst = Array.from({ length: 31 }, () => bucket.tryTake());
    now += 100; // 0.1 s at 10 rps = one token
    const afterRefill = [bucket.tryTake(), bucket.tryTake()];
    now += 60_000;
    const afterLongPause = Array.from({ length: 31 }, () => bucket.tryTake());

    // assert
    expect(burst.filter(Boolean)).toHaveLength(30);
    expect(burst[30]).toBe(false);
    expect(afterRefill).toEqual([true, false]);
    expect(afterLongPause.filter(Boolean)).toHaveLength(30); // never more than the burst
  });

  it('shares one bucket between BatchImportFindings and BatchUpdateFindings, apart from GetFindings', () => {
    // arrange
    const throttle = new Throttle({ importRps: 10, importBurst: 30, getRps: 3, getBurst: 6 }, () => 0);

    // act
    const imports = Array.from({ length: 30 }, () => throttle.admit('import'));
    const nextImport = throttle.admit('import');
    const gets = Array.from({ length: 7 }, () => throttle.admit('get'));

    // assert
    expect(imports.every(Boolean)).toBe(true);
    expect(nextImport).toBe(false);
    expect(gets).toEqual([true, true, true, true, true, true, false]);
  });
});

describe('throttling over HTTP at the real quotas', () => {
  let local: SecurityHubLocal;
  let client: SecurityHubClient;

  beforeAll(async () => {
    // The buckets' clock stands still: no token comes back while the calls are in flight, however slow this
    // machine is, so exactly the burst gets through (a real clock refills 10 tokens per second of slowness).
    local = await startSecurityHubLocal({ clock: () => 0 });
    client = clientFor(local.endpoint, 1); // no SDK retries: every 429 reaches the test
  });
  afterAll(async () => {
    client.destroy();
    await local.close();
  });
  beforeEach(() => local.reset());

  it('answers a burst of 40 BatchImportFindings calls with 30 successes (the burst) and 10 429 LimitExceededException', async () => {
    // act
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => outcome(client.send(new BatchImportFindingsCommand({ Findings: [finding(i)] })))),
    );

    // assert
    expect(count(outcomes, 'other')).toBe(0);
    expect(count(outcomes, 'ok')).toBe(30);
    expect(count(outcomes, 'throttled')).toBe(10);
    expect(local.stats().throttled).toBe(count(outcomes, 'throttled'));
    expect(local.stats().findings).toBe(count(outcomes, 'ok'));
  });

  it('answers 10 GetFindings calls (quota 3 rps, burst 6) with 6 successes and 4 429s', async () => {
    // act
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => outcome(client.send(new GetFindingsCommand({})))));

    // assert
    expect(count(outcomes, 'ok')).toBe(6);
    expect(count(outcomes, 'throttled')).toBe(4);
    expect(count(outcomes, 'other')).toBe(0);
  });

  it('throttles BatchUpdateFindings once imports used up the shared bucket', async () => {
    // arrange
    await Promise.all(Array.from({ length: 30 }, (_, i) => client.send(new BatchImportFindingsCommand({ Findings: [finding(i)] }))));
    const f = finding(0);

    // act
    const result = await outcome(
      client.send(new BatchUpdateFindingsCommand({ FindingIdentifiers: [{ Id: f.Id!, ProductArn: f.ProductArn! }], VerificationState: 'TRUE_POSITIVE' })),
    );

    // assert
    expect(result).toBe('throttled');
  });

  it('sends the error type in the x-amzn-errortype header', async () => {
    // arrange
    local.setThrottling({ getBurst: 1, getRps: 0.001 });
    await fetch(`${local.endpoint}/findings`, { method: 'POST', body: '{}' });

    // act
    const response = await fetch(`${local.endpoint}/findings`, { method: 'POST', body: '{}' });

    // assert
    expect(response.status).toBe(429);
    expect(response.headers.get('x-amzn-errortype')).toBe('LimitExceededException');
    expect(await response.json()).toEqual({ Code: 'LimitExceededException', Message: expect.stringContaining('GetFindings') });
    local.setThrottling(true);
  });
});

describe('throttling switched off or configured', () => {
  it('lets every call through with throttling: false', async () => {
    // arrange
    const local = await startSecurityHubLocal({ throttling: false });
    const client = clientFor(local.endpoint, 1);

    // act
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => outcome(client.send(new GetFindingsCommand({})))));
    client.destroy();
    await local.close();

    // assert
    expect(count(outcomes, 'ok')).toBe(40);
  });

  it('uses configured quotas', async () => {
    // arrange
    const local = await startSecurityHubLocal({ throttling: { getRps: 0.001, getBurst: 2 } });
    const client = clientFor(local.endpoint, 1);

    // act
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 3; i++) outcomes.push(await outcome(client.send(new GetFindingsCommand({}))));
    client.destroy();
    await local.close();

    // assert
    expect(outcomes).toEqual(['ok', 'ok', 'throttled']);
  });
});
