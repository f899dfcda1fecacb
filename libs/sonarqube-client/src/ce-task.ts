import { SonarQubeError } from './errors';
import type { Transport } from './http';
import type { CeTask } from './types';

/** What the scanner writes to `.scannerwork/report-task.txt` after uploading an analysis. */
export interface ReportTask {
  ceTaskId: string;
  projectKey?: string;
  serverUrl?: string;
  serverVersion?: string;
  branch?: string;
  pullRequest?: string;
  dashboardUrl?: string;
  ceTaskUrl?: string;
}

/** Java-properties style `key=value` lines (`\:` and `\=` escapes undone); `#` comments ignored. */
export function parseReportTask(text: string): ReportTask {
  const values = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const eq = line.search(/(?<!\\)[=:]/);
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line
      .slice(eq + 1)
      .trim()
      .replace(/\\(.)/g, '$1');
    values.set(key, value);
  }
  const ceTaskId = values.get('ceTaskId');
  if (!ceTaskId) throw new SonarQubeError('report-task.txt has no ceTaskId line: did the scanner upload the analysis?', 'CONFIG');
  const optional = (key: string) => values.get(key) || undefined;
  return {
    ceTaskId,
    projectKey: optional('projectKey'),
    serverUrl: optional('serverUrl'),
    serverVersion: optional('serverVersion'),
    branch: optional('branch'),
    pullRequest: optional('pullRequest'),
    dashboardUrl: optional('dashboardUrl'),
    ceTaskUrl: optional('ceTaskUrl'),
  };
}

export interface WaitOptions {
  /** Give up after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Time between polls (default 3 s). */
  pollIntervalMs?: number;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Polls /api/ce/task until the background task that processes an analysis succeeds. Findings read before that
 * are the previous analysis's. FAILED and CANCELED tasks and the timeout are clear errors.
 */
export async function waitForTask(transport: Transport, ceTaskId: string, clock: Clock, options: WaitOptions = {}): Promise<CeTask> {
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const pollIntervalMs = options.pollIntervalMs ?? 3_000;
  const deadline = clock.now() + timeoutMs;
  let status = 'unknown';
  for (;;) {
    const body = await transport.getJson('/api/ce/task', { id: ceTaskId });
    const task = (typeof body === 'object' && body !== null ? (body as { task?: unknown }).task : undefined) as CeTask | undefined;
    if (!task || typeof task.status !== 'string') {
      throw new SonarQubeError(`SonarQube answered /api/ce/task for ${ceTaskId} without a task status`, 'BAD_RESPONSE');
    }
    status = task.status;
    if (status === 'SUCCESS') return task;
    if (status === 'FAILED') {
      throw new SonarQubeError(`the analysis task ${ceTaskId} failed in SonarQube: ${task.errorMessage ?? 'no reason given'}`, 'ANALYSIS_FAILED');
    }
    if (status === 'CANCELED') throw new SonarQubeError(`the analysis task ${ceTaskId} was canceled in SonarQube`, 'ANALYSIS_FAILED');
    if (clock.now() + pollIntervalMs > deadline) {
      throw new SonarQubeError(
        `the analysis task ${ceTaskId} did not finish within ${Math.round(timeoutMs / 1000)} s (last status ${status}); is the SonarQube compute engine busy or stopped?`,
        'TIMEOUT',
      );
    }
    await clock.sleep(pollIntervalMs);
  }
}
