/** Operations the server implements. */
export const OPERATIONS = ['BatchImportFindings', 'GetFindings', 'BatchUpdateFindings', 'DescribeHub'] as const;
export type Operation = (typeof OPERATIONS)[number];

/**
 * Faults injected on top of real behaviour, to test a client's retry and partial-failure handling.
 * Rates are probabilities 0..1 drawn from a seeded generator, so a run with the same seed and the same
 * sequence of requests fails the same way.
 */
export interface FaultOptions {
  /** Chance that a request gets 429 LimitExceededException although the quota allows it. */
  throttleRate?: number;
  /** Chance that a request gets 500 InternalException. */
  serverErrorRate?: number;
  /**
   * Chance that one finding fails on its own: BatchImportFindings FailedFindings with ErrorCode `InternalException`,
   * BatchUpdateFindings UnprocessedFindings with ErrorCode `InternalFailure`. Such findings are not stored/changed.
   */
  findingFailureRate?: number;
  /** Seed of the generator; without one every server start is random. */
  seed?: number;
  /** Operations the faults apply to; all when omitted. */
  operations?: Operation[];
}

/** mulberry32: small, fast and good enough to spread test faults; deterministic per seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkRate(name: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new Error(`faults.${name} must be a number from 0 to 1, got ${String(value)}`);
  return value;
}

/** The fault decisions of one server. Each decision draws once from the generator, in request order. */
export class FaultInjector {
  private options: Required<Omit<FaultOptions, 'seed' | 'operations'>> & Pick<FaultOptions, 'seed' | 'operations'> = {
    throttleRate: 0,
    serverErrorRate: 0,
    findingFailureRate: 0,
  };
  private random: () => number = Math.random;

  constructor(options?: FaultOptions) {
    this.configure(options);
  }

  /** Replaces every fault setting (an empty object or undefined turns faults off) and restarts the generator. */
  configure(options: FaultOptions | undefined): void {
    const given = options ?? {};
    this.options = {
      throttleRate: checkRate('throttleRate', given.throttleRate),
      serverErrorRate: checkRate('serverErrorRate', given.serverErrorRate),
      findingFailureRate: checkRate('findingFailureRate', given.findingFailureRate),
      seed: given.seed,
      operations: given.operations ? [...given.operations] : undefined,
    };
    this.random = seededRandom(given.seed ?? Math.floor(Math.random() * 2 ** 32));
  }

  get current(): FaultOptions {
    return { ...this.options, operations: this.options.operations && [...this.options.operations] };
  }

  private applies(operation: Operation, rate: number): boolean {
    if (rate <= 0) return false;
    if (this.options.operations && !this.options.operations.includes(operation)) return false;
    return this.random() < rate;
  }

  throttle(operation: Operation): boolean {
    return this.applies(operation, this.options.throttleRate);
  }

  serverError(operation: Operation): boolean {
    return this.applies(operation, this.options.serverErrorRate);
  }

  findingFailure(operation: Operation): boolean {
    return this.applies(operation, this.options.findingFailureRate);
  }
}
