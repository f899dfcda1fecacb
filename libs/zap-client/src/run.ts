import { ZapApi, type FetchLike } from './api';
import { ZapScanError, displayUrl, redact, type ZapPhase } from './errors';
import { planZapScan, totalTimeoutMs, type ZapPlanOptions, type ZapStep } from './plan';
import { waitUntilDone, type Clock } from './poll';
import { reportForOrigin } from './report';

export interface ZapScanOptions extends ZapPlanOptions {
  /** ZAP daemon base URL, e.g. `http://zap.internal:8080`. */
  zapUrl: string;
  /** See readZapApiKey. Empty only for a daemon with the API key disabled. */
  apiKey: string;
  /** Between status polls. Default 5 s. */
  pollIntervalMs?: number;
  /** Polls in a row without progress before the run fails as stalled. Default 120 (10 min at 5 s). */
  stallPolls?: number;
  /** Per API request. Default 60 s. */
  requestTimeoutMs?: number;
  fetch?: FetchLike;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Progress lines for the build log. Never given the API key. */
  log?: (message: string, details?: Record<string, unknown>) => void;
  /**
   * When a spider, passive-scan or active-scan wait reaches its time limit: stop that scan on the daemon, skip the
   * remaining scan phases and return the report of what was found, with `partial: true`. Default false: a time-out
   * fails the run. A stalled scan (no progress) always fails.
   */
  partialOnTimeout?: boolean;
}

export interface ZapScanResult {
  /** ZAP's traditional JSON report, sites reduced to the target's origin. */
  report: unknown;
  reportJson: string;
  /** Alerts in the kept sites. */
  alerts: number;
  durationMs: number;
  /** A time limit cut the scan short (partialOnTimeout): the report holds only what was found until then. */
  partial: boolean;
  /** Why the report is partial, in words for the build log and the findings import. */
  warnings: string[];
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A ZAP number: the API answers numbers as strings ("45"). Anything else is an API error. */
function numberFrom(body: Record<string, unknown>, key: string, phase: ZapPhase, what: string): number {
  const value = body[key];
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d+$/.test(text.trim())) {
    throw new ZapScanError(phase, `${what} answered ${JSON.stringify(key)}: ${JSON.stringify(value) ?? 'nothing'}, not a number`);
  }
  return Number(text);
}

interface RunContext {
  api: ZapApi;
  clock: Clock;
  runDeadline: number;
  intervalMs: number;
  stallPolls: number;
  log: NonNullable<ZapScanOptions['log']>;
}

/** Waits for a spider or active scan to reach 100%; on any failure asks ZAP to stop it (best effort). */
async function runToCompletion(
  ctx: RunContext,
  phase: 'spider' | 'active',
  component: 'spider' | 'ascan',
  scanId: number,
  timeoutMs: number,
): Promise<void> {
  const what = `${phase === 'spider' ? 'spider' : 'active scan'} ${scanId}`;
  let last = -1;
  try {
    await waitUntilDone({
      phase,
      what,
      read: async () => numberFrom(await ctx.api.json(phase, `/JSON/${component}/view/status/`, { scanId }), 'status', phase, `${what} status`),
      isDone: (percent) => percent >= 100,
      improves: (percent, best) => percent > best,
      show: (percent) => `${percent}%`,
      intervalMs: ctx.intervalMs,
      deadline: Math.min(ctx.clock.now() + timeoutMs, ctx.runDeadline),
      stallPolls: ctx.stallPolls,
      clock: ctx.clock,
      onProgress: (percent) => {
        if (percent !== last) ctx.log(`ZAP ${what}: ${percent}%`);
        last = percent;
      },
    });
  } catch (error) {
    await ctx.api.action(phase, `/JSON/${component}/action/stop/`, { scanId }).catch(() => undefined);
    throw error;
  }
}

async function startScan(ctx: RunContext, phase: 'spider' | 'active', path: string, params: Record<string, string | number | boolean | undefined>): Promise<number> {
  const body = await ctx.api.json(phase, path, params);
  return numberFrom(body, 'scan', phase, `${path}`);
}

async function runStep(ctx: RunContext, step: ZapStep): Promise<string | undefined> {
  switch (step.kind) {
    case 'newSession':
      ctx.log('ZAP: new session');
      await ctx.api.action('session', '/JSON/core/action/newSession/', { name: '', overwrite: true });
      return undefined;
    case 'accessUrl':
      ctx.log(`ZAP: accessing ${displayUrl(step.url)}`);
      await ctx.api.json('access', '/JSON/core/action/accessUrl/', { url: step.url, followRedirects: true });
      return undefined;
    case 'spider': {
      const scanId = await startScan(ctx, 'spider', '/JSON/spider/action/scan/', {
        url: step.url,
        maxChildren: step.maxChildren,
        recurse: true,
        contextName: step.contextName,
        subtreeOnly: step.subtreeOnly,
      });
      ctx.log(`ZAP spider ${scanId} started on ${displayUrl(step.url)}`);
      await runToCompletion(ctx, 'spider', 'spider', scanId, step.timeoutMs);
      return undefined;
    }
    case 'passiveWait': {
      let last = -1;
      await waitUntilDone({
        phase: 'passive',
        what: 'passive scan',
        read: async () =>
          numberFrom(await ctx.api.json('passive', '/JSON/pscan/view/recordsToScan/'), 'recordsToScan', 'passive', 'passive scan queue'),
        isDone: (records) => records === 0,
        improves: (records, best) => records < best,
        show: (records) => `${records} record(s) left`,
        intervalMs: ctx.intervalMs,
        deadline: Math.min(ctx.clock.now() + step.timeoutMs, ctx.runDeadline),
        stallPolls: ctx.stallPolls,
        clock: ctx.clock,
        onProgress: (records) => {
          if (records !== last) ctx.log(`ZAP passive scan: ${records} record(s) left`);
          last = records;
        },
      });
      return undefined;
    }
    case 'activeScan': {
      const scanId = await startScan(ctx, 'active', '/JSON/ascan/action/scan/', {
        url: step.url,
        recurse: true,
        inScopeOnly: false,
        scanPolicyName: step.scanPolicyName,
        contextId: step.contextId,
      });
      ctx.log(`ZAP active scan ${scanId} started on ${displayUrl(step.url)}`);
      await runToCompletion(ctx, 'active', 'ascan', scanId, step.timeoutMs);
      return undefined;
    }
    case 'report':
      return ctx.api.other('report', '/OTHER/core/other/jsonreport/');
  }
}

/**
 * Runs one ZAP scan of `target` through the daemon's JSON API and returns the traditional JSON report of the
 * target's origin. Steps: (new session) → access URL → spider → passive queue drained → active scan (full mode)
 * → report. Every wait is bounded; every failure is a ZapScanError naming the phase; the API key goes only in
 * the X-ZAP-API-Key header.
 */
export async function runZapScan(options: ZapScanOptions): Promise<ZapScanResult> {
  const steps = planZapScan(options);
  const clock: Clock = { now: options.now ?? Date.now, sleep: options.sleep ?? defaultSleep };
  const fetchImpl = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const api = new ZapApi({ zapUrl: options.zapUrl, apiKey: options.apiKey, fetch: fetchImpl, requestTimeoutMs: options.requestTimeoutMs ?? 60_000 });
  const log = options.log ?? (() => undefined);
  const started = clock.now();
  const ctx: RunContext = {
    api,
    clock,
    runDeadline: started + totalTimeoutMs(options),
    intervalMs: options.pollIntervalMs ?? 5_000,
    stallPolls: options.stallPolls ?? 120,
    log: (message, details) => log(redact(message, [options.apiKey]), details),
  };
  let reportText: string | undefined;
  const warnings: string[] = [];
  for (const step of steps) {
    // After a time-out only the report is still fetched: the other phases have no time left.
    if (warnings.length > 0 && step.kind !== 'report') continue;
    try {
      const out = await runStep(ctx, step);
      if (step.kind === 'report') reportText = out;
    } catch (error) {
      if (!(options.partialOnTimeout && error instanceof ZapScanError && error.reason === 'timeout')) throw error;
      const warning = `${error.message}; the scan was stopped and the report holds only what was found so far (partial)`;
      ctx.log(warning);
      warnings.push(warning);
    }
  }
  const origin = (steps[steps.length - 1] as Extract<ZapStep, { kind: 'report' }>).origin;
  const { report, alerts, droppedSites } = reportForOrigin(reportText ?? '', origin);
  if (droppedSites.length > 0) ctx.log(`ZAP report: kept ${origin}, dropped ${droppedSites.length} other site(s)`, { droppedSites });
  const durationMs = clock.now() - started;
  ctx.log(`ZAP scan of ${displayUrl(options.target)} finished: ${alerts} alert(s) in ${Math.round(durationMs / 1000)} s`);
  return { report, reportJson: JSON.stringify(report, null, 2), alerts, durationMs, partial: warnings.length > 0, warnings };
}
