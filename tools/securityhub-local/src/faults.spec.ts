import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  InternalException,
  LimitExceededException,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { clientFor, findings } from './__fixtures__/findings';
import { seededRandom, type FaultOptions } from './faults';
import { startSecurityHubLocal, type SecurityHubLocal } from './index';

let local: SecurityHubLocal;
let client: SecurityHubClient;

beforeAll(async () => {
  local = await startSecurityHubLocal({ throttling: false });
  client = clientFor(local.endpoint, 1);
});
afterAll(async () => {
  client.destroy();
  await local.close();
});
beforeEach(() => {
  local.reset();
  local.setFaults(undefined);
});

/** Outcome letters of `n` sequential GetFindings calls: . ok, T throttled, E server error. */
async function pattern(n: number): Promise<string> {
  let out = '';
  for (let i = 0; i < n; i++) {
    try {
      await client.send(new GetFindingsCommand({}));
      out += '.';
    } catch (error) {
      if (error instanceof LimitExceededException) out += 'T';
      else if (error instanceof InternalException) out += 'E';
      else throw error;
    }
  }
  return out;
}

describe('seededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    // act
    const a = Array.from({ length: 5 }, seededRandom(7));
    const b = Array.from({ length: 5 }, seededRandom(7));
    const c = Array.from({ length: 5 }, seededRandom(8));

    // assert
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('fault injection', () => {
  const faults: FaultOptions = { throttleRate: 0.3, serverErrorRate: 0.1, seed: 42 };

  it('fails requests the same way for the same seed', async () => {
    // act
    local.setFaults(faults);
    const first = await pattern(40);
    local.setFaults(faults);
    const second = await pattern(40);
    local.setFaults({ ...faults, seed: 43 });
    const otherSeed = await pattern(40);

    // assert
    expect(second).toBe(first);
    expect(otherSeed).not.toBe(first);
    expect(first).toMatch(/T/);
    expect(first).toMatch(/E/);
    expect(first).toMatch(/\./);
    expect(local.stats().injected.throttles).toBe([first, second, otherSeed].join('').split('T').length - 1);
  });

  it('is deterministic from the start option as well as from setFaults', async () => {
    // arrange
    const other = await startSecurityHubLocal({ throttling: false, faults });
    const otherClient = clientFor(other.endpoint, 1);
    local.setFaults(faults);

    // act
    const here = await pattern(20);
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      outcomes.push(
        await otherClient.send(new GetFindingsCommand({})).then(
          () => '.',
          (e: unknown) => (e instanceof LimitExceededException ? 'T' : 'E'),
        ),
      );
    }
    otherClient.destroy();
    await other.close();

    // assert
    expect(outcomes.join('')).toBe(here);
  });

  it('sends injected server errors as 500 InternalException, which the SDK treats as a server fault', async () => {
    // arrange
    local.setFaults({ serverErrorRate: 1 });

    // act
    const error = await client.send(new GetFindingsCommand({})).catch((e: unknown) => e as InternalException);

    // assert
    expect(error).toBeInstanceOf(InternalException);
    expect((error as InternalException).$fault).toBe('server');
    expect((error as InternalException).$metadata.httpStatusCode).toBe(500);
  });

  it('fails single findings with InternalException, stores none of them, and a retry of those imports them', async () => {
    // arrange
    const batch = findings(50);
    local.setFaults({ findingFailureRate: 0.3, seed: 1 });

    // act
    const first = await client.send(new BatchImportFindingsCommand({ Findings: batch }));
    const failedIds = new Set(first.FailedFindings!.map((f) => f.Id));
    const storedAfterFirst = local.findings().map((f) => f.Id);
    local.setFaults(undefined);
    const retry = await client.send(new BatchImportFindingsCommand({ Findings: batch.filter((f) => failedIds.has(f.Id)) }));

    // assert
    expect(first.FailedCount).toBeGreaterThan(0);
    expect(first.FailedFindings!.every((f) => f.ErrorCode === 'InternalException')).toBe(true);
    expect(first.SuccessCount).toBe(50 - first.FailedCount!);
    expect(storedAfterFirst.some((id) => failedIds.has(id))).toBe(false);
    expect(retry.FailedCount).toBe(0);
    expect(local.stats().findings).toBe(50);
    expect(local.stats().injected.findingFailures).toBe(first.FailedCount);
  });

  it('fails single BatchUpdateFindings identifiers with InternalFailure', async () => {
    // arrange
    const batch = findings(20);
    await client.send(new BatchImportFindingsCommand({ Findings: batch }));
    local.setFaults({ findingFailureRate: 0.5, seed: 3 });

    // act
    const result = await client.send(
      new BatchUpdateFindingsCommand({ FindingIdentifiers: batch.map((f) => ({ Id: f.Id!, ProductArn: f.ProductArn! })), VerificationState: 'TRUE_POSITIVE' }),
    );

    // assert
    expect(result.UnprocessedFindings!.length).toBeGreaterThan(0);
    expect(result.UnprocessedFindings!.every((u) => u.ErrorCode === 'InternalFailure')).toBe(true);
    expect(result.ProcessedFindings!.length + result.UnprocessedFindings!.length).toBe(20);
  });

  it('limits faults to the listed operations', async () => {
    // arrange
    local.setFaults({ serverErrorRate: 1, operations: ['BatchImportFindings'] });

    // act
    const get = await pattern(3);
    const imported = await client.send(new BatchImportFindingsCommand({ Findings: findings(1) })).catch((e: unknown) => e);

    // assert
    expect(get).toBe('...');
    expect(imported).toBeInstanceOf(InternalException);
  });

  it('rejects rates outside 0..1', () => {
    // act / assert
    expect(() => local.setFaults({ throttleRate: 1.5 })).toThrow(/throttleRate/);
  });
});
