/** Request rate quotas (asff.md §1): BatchImportFindings and BatchUpdateFindings share one bucket. */
export interface ThrottlingQuotas {
  importRps: number;
  importBurst: number;
  getRps: number;
  getBurst: number;
}

export const DEFAULT_QUOTAS: Readonly<ThrottlingQuotas> = { importRps: 10, importBurst: 30, getRps: 3, getBurst: 6 };
/** "Every other operation: 10 rps, burst 30". */
const OTHER_QUOTA = { rps: 10, burst: 30 };

export type BucketName = 'import' | 'get' | 'other';

/** Milliseconds from a monotonic clock. */
export type Clock = () => number;

export const monotonicClock: Clock = () => performance.now();

/** A token bucket: starts full with `burst` tokens and refills at `rps` tokens per second. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rps: number,
    private readonly burst: number,
    private readonly clock: Clock,
  ) {
    if (!(rps > 0) || !(burst >= 1)) throw new Error(`A token bucket needs rps > 0 and burst >= 1 (got ${rps}, ${burst})`);
    this.tokens = burst;
    this.last = clock();
  }

  /** Takes one token; false when the bucket is empty (the request is throttled). */
  tryTake(): boolean {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rps);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** The buckets of one server; `undefined` quotas switch throttling off. */
export class Throttle {
  private buckets: Map<BucketName, TokenBucket> | undefined;
  private quotas: ThrottlingQuotas | undefined;

  constructor(
    quotas: ThrottlingQuotas | undefined,
    private readonly clock: Clock = monotonicClock,
  ) {
    this.configure(quotas);
  }

  /** Replaces the quotas; buckets start full again. */
  configure(quotas: ThrottlingQuotas | undefined): void {
    this.quotas = quotas;
    this.buckets = quotas
      ? new Map<BucketName, TokenBucket>([
          ['import', new TokenBucket(quotas.importRps, quotas.importBurst, this.clock)],
          ['get', new TokenBucket(quotas.getRps, quotas.getBurst, this.clock)],
          ['other', new TokenBucket(OTHER_QUOTA.rps, OTHER_QUOTA.burst, this.clock)],
        ])
      : undefined;
  }

  /** Fills every bucket again. */
  refill(): void {
    this.configure(this.quotas);
  }

  get current(): ThrottlingQuotas | undefined {
    return this.quotas && { ...this.quotas };
  }

  get enabled(): boolean {
    return this.buckets !== undefined;
  }

  /** True when the request may proceed. */
  admit(bucket: BucketName): boolean {
    return this.buckets?.get(bucket)?.tryTake() ?? true;
  }
}

/** `throttling` option → quotas: true/undefined = the real quotas, false = off, an object overrides some of them. */
export function resolveQuotas(option: boolean | Partial<ThrottlingQuotas> | undefined): ThrottlingQuotas | undefined {
  if (option === false) return undefined;
  if (option === true || option === undefined) return { ...DEFAULT_QUOTAS };
  return { ...DEFAULT_QUOTAS, ...option };
}
