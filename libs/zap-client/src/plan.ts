import { ZapScanError, displayUrl } from './errors';

export type ZapScanMode = 'full' | 'baseline';

/** What a run does, as data: decided from the options alone, before any request. */
export type ZapStep =
  | { kind: 'newSession' }
  | { kind: 'accessUrl'; url: string }
  | { kind: 'spider'; url: string; maxChildren?: number; subtreeOnly: boolean; contextName?: string; timeoutMs: number }
  | { kind: 'passiveWait'; timeoutMs: number }
  | { kind: 'activeScan'; url: string; scanPolicyName?: string; contextId?: string; timeoutMs: number }
  | { kind: 'report'; origin: string };

export interface ZapTimeouts {
  /** Spider. Default 15 min. */
  spiderMs: number;
  /** Passive scan queue draining to 0. Default 10 min. */
  passiveMs: number;
  /** Active scan. Default 60 min. */
  activeMs: number;
  /** The whole run; every phase also ends by this. Default 90 min (CodeBuild's default build timeout is 60). */
  totalMs: number;
}

export const DEFAULT_TIMEOUTS: ZapTimeouts = {
  spiderMs: 15 * 60_000,
  passiveMs: 10 * 60_000,
  activeMs: 60 * 60_000,
  totalMs: 90 * 60_000,
};

export interface ZapPlanOptions {
  target: string;
  /** `full` (default): spider, passive scan, active scan. `baseline`: spider and passive scan only, nothing attacked. */
  mode?: ZapScanMode;
  /** Start a new ZAP session first, so alerts from earlier scans are gone. Default false. */
  newSession?: boolean;
  /** Request the target once before spidering, so it is in the site tree. Default true. */
  accessUrl?: boolean;
  /** Spider the target. Default true; without it, the active scan covers only what is already in the site tree. */
  spider?: boolean;
  spiderMaxChildren?: number;
  /** Spider only under the target's path. Default true. */
  spiderSubtreeOnly?: boolean;
  contextName?: string;
  contextId?: string;
  scanPolicyName?: string;
  timeouts?: Partial<ZapTimeouts>;
}

/** The scheme://host[:port] a ZAP report names a site by; default ports dropped, lower case. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0) throw new ZapScanError('config', `${name} must be a positive number, got ${value}`);
  return value;
}

/** The steps of one scan. Throws ZapScanError('config') for options that cannot work. */
export function planZapScan(options: ZapPlanOptions): ZapStep[] {
  const origin = originOf(options.target);
  if (!origin) throw new ZapScanError('config', `target must be an http(s) URL, got ${JSON.stringify(displayUrl(options.target))}`);
  const mode = options.mode ?? 'full';
  if (mode !== 'full' && mode !== 'baseline') throw new ZapScanError('config', `mode must be "full" or "baseline", got ${JSON.stringify(mode)}`);
  const given = options.timeouts ?? {};
  const timeouts: ZapTimeouts = {
    spiderMs: positive(given.spiderMs, 'timeouts.spiderMs') ?? DEFAULT_TIMEOUTS.spiderMs,
    passiveMs: positive(given.passiveMs, 'timeouts.passiveMs') ?? DEFAULT_TIMEOUTS.passiveMs,
    activeMs: positive(given.activeMs, 'timeouts.activeMs') ?? DEFAULT_TIMEOUTS.activeMs,
    totalMs: positive(given.totalMs, 'timeouts.totalMs') ?? DEFAULT_TIMEOUTS.totalMs,
  };
  const steps: ZapStep[] = [];
  if (options.newSession) steps.push({ kind: 'newSession' });
  if (options.accessUrl ?? true) steps.push({ kind: 'accessUrl', url: options.target });
  if (options.spider ?? true) {
    steps.push({
      kind: 'spider',
      url: options.target,
      maxChildren: positive(options.spiderMaxChildren, 'spiderMaxChildren'),
      subtreeOnly: options.spiderSubtreeOnly ?? true,
      contextName: options.contextName,
      timeoutMs: timeouts.spiderMs,
    });
  }
  steps.push({ kind: 'passiveWait', timeoutMs: timeouts.passiveMs });
  if (mode === 'full') {
    steps.push({ kind: 'activeScan', url: options.target, scanPolicyName: options.scanPolicyName, contextId: options.contextId, timeoutMs: timeouts.activeMs });
  }
  steps.push({ kind: 'report', origin });
  return steps;
}

/** The total time limit of a plan's options (for the run's overall deadline). */
export function totalTimeoutMs(options: ZapPlanOptions): number {
  return positive(options.timeouts?.totalMs, 'timeouts.totalMs') ?? DEFAULT_TIMEOUTS.totalMs;
}
