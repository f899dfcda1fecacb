import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AddressInfo } from 'node:net';
import type { FaultOptions } from './faults';
import { closeServer, listen } from './http';
import { loadStore, saveStore } from './persist';
import { SecurityHubService, type ImportSummary, type SecurityHubLocalStats } from './service';
import type { Clock, ThrottlingQuotas } from './throttle';

export type { FaultOptions, Operation } from './faults';
export { OPERATIONS } from './faults';
export type { ImportSummary, SecurityHubLocalStats } from './service';
export { MAX_FINDINGS_PER_IMPORT, MAX_PAGE_SIZE, MAX_REQUEST_BYTES } from './service';
export type { ThrottlingQuotas } from './throttle';
export { DEFAULT_QUOTAS } from './throttle';

export interface SecurityHubLocalOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** The server only ever binds to the loopback interface. */
  host?: '127.0.0.1';
  /** true (default) = the real quotas; false = off; an object overrides some quotas. */
  throttling?: boolean | Partial<ThrottlingQuotas>;
  /** Injected faults; change them later with setFaults(). */
  faults?: FaultOptions;
  /**
   * The calling account. When set, default-product findings of any other account fail with InvalidAccess,
   * as a real import from this account would. When unset, any account may import into its own default product.
   */
  accountId?: string;
  /** Region used when a request is not SigV4-signed (default us-east-1); signed requests use their own Region. */
  region?: string;
  /** Keep the store in this JSON file: loaded at start, saved shortly after each change and on close(). */
  persistPath?: string;
  /** Quiet time before a change is saved (default 500 ms). */
  persistDelayMs?: number;
  /** Wall clock (ProcessedAt, Note.UpdatedAt, DateRange filters); for tests. */
  now?: () => Date;
  /** Monotonic milliseconds for the token buckets; for tests. */
  clock?: Clock;
}

export interface SecurityHubLocal {
  /** `http://127.0.0.1:<port>`: pass as `endpoint` to SecurityHubClient or `--endpoint-url` to the AWS CLI. */
  endpoint: string;
  port: number;
  /** Stops the server and writes the store to persistPath (if set). */
  close(): Promise<void>;
  /** Copies of every stored finding, in creation order. */
  findings(): AwsSecurityFinding[];
  stats(): SecurityHubLocalStats;
  /** Empties the store and the counters and refills the quotas; fault settings stay. */
  reset(): void;
  /** Replaces the fault settings (undefined or {} = none) and restarts the seeded generator. */
  setFaults(faults?: FaultOptions): void;
  /** Replaces the quotas (buckets start full) or switches throttling off/on. */
  setThrottling(throttling: boolean | Partial<ThrottlingQuotas>): void;
  /**
   * Imports findings in-process with BatchImportFindings' per-finding rules but without HTTP, quotas, faults or the
   * 100-per-call limit: for seeding large stores in tests. The given objects are copied, not kept.
   */
  importFindings(findings: readonly AwsSecurityFinding[]): ImportSummary;
  /** Writes the store to persistPath now. */
  save(): Promise<void>;
}

const DEFAULT_REGION = 'us-east-1';
const LOOPBACK = '127.0.0.1';

/** Starts a local Security Hub endpoint. See README.md for what it implements. */
export async function startSecurityHubLocal(options: SecurityHubLocalOptions = {}): Promise<SecurityHubLocal> {
  if (options.host !== undefined && options.host !== LOOPBACK) {
    throw new Error(`securityhub-local binds only to ${LOOPBACK}, not ${String(options.host)}`);
  }
  if (options.accountId !== undefined && !/^\d{12}$/.test(options.accountId)) throw new Error('accountId must be 12 digits');
  const service = new SecurityHubService({
    region: options.region ?? DEFAULT_REGION,
    ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
    ...(options.throttling !== undefined ? { throttling: options.throttling } : {}),
    ...(options.faults !== undefined ? { faults: options.faults } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const persistPath = options.persistPath;
  if (persistPath) service.restore(await loadStore(persistPath));

  let saveTimer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!persistPath) return Promise.resolve();
    // Saves run one after another, each writing the store as it is when it starts.
    saving = saving.catch(() => undefined).then(() => saveStore(persistPath, service.store.all(), new Date().toISOString()));
    return saving;
  };
  if (persistPath) {
    service.onChange = () => {
      if (saveTimer) clearTimeout(saveTimer);
      saveTimer = setTimeout(() => {
        save().catch((error: unknown) => console.error(`securityhub-local: saving ${persistPath} failed`, error));
      }, options.persistDelayMs ?? 500);
      saveTimer.unref();
    };
  }

  const server = await listen(service, LOOPBACK, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;

  return {
    endpoint: `http://${LOOPBACK}:${port}`,
    port,
    close: () => (closed ??= closeServer(server).then(save)),
    findings: () => service.store.all().map((s) => structuredClone(s.finding)),
    stats: () => service.stats(),
    reset: () => service.reset(),
    setFaults: (faults) => service.setFaults(faults),
    setThrottling: (throttling) => service.setThrottling(throttling),
    importFindings: (findings) => service.importAll(structuredClone(findings), service.contextFor(service.region), false),
    save,
  };
}
