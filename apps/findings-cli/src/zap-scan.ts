import { appendFile, writeFile } from 'node:fs/promises';
import { readZapApiKey, runZapScan, ZapScanError, type ZapTimeouts } from '@devsecops/zap-client';
import type { CliIo } from './cli';

export interface ZapScanValues {
  target?: string;
  zap?: string;
  out?: string;
  baseline?: boolean;
  'api-key-parameter'?: string;
  'new-session'?: boolean;
  /** Minutes for the whole scan (the build's timeoutMinutes). */
  timeout?: string;
}

export interface ZapScanDeps {
  writeFile: (path: string, text: string) => Promise<void>;
  runZapScan: typeof runZapScan;
  readZapApiKey: typeof readZapApiKey;
  /** Appends build warnings to $SCAN_WARNINGS_FILE (publish-and-gate sends them with the event). */
  appendFile?: (path: string, text: string) => Promise<void>;
}

const defaultDeps: ZapScanDeps = { writeFile: (path, text) => writeFile(path, text), runZapScan, readZapApiKey, appendFile: (path, text) => appendFile(path, text) };

/**
 * The scan's time limits from --timeout minutes: spider a quarter, passive queue 15 %, active scan what is left of
 * the whole (each phase also ends by the total). Without --timeout the client's defaults apply.
 */
export function zapTimeouts(minutes: string | undefined): Partial<ZapTimeouts> | undefined {
  if (minutes === undefined) return undefined;
  const value = Number(minutes);
  if (!Number.isInteger(value) || value < 1 || value > 1440) throw new ZapScanError('config', `--timeout must be whole minutes between 1 and 1440, got "${minutes}"`);
  const totalMs = value * 60_000;
  return { totalMs, spiderMs: Math.round(totalMs * 0.25), passiveMs: Math.round(totalMs * 0.15), activeMs: totalMs };
}

/**
 * `findings zap-scan --target URL --zap URL --out report.json [--baseline] [--api-key-parameter NAME]`:
 * one ZAP scan through its API; the key comes from Parameter Store (or ZAP_API_KEY) and travels only in a header.
 * Exit 0 with the report written, 2 for usage, 1 when the scan fails (the build must fail too).
 */
export async function runZapScanCommand(values: ZapScanValues, io: CliIo, deps: ZapScanDeps = defaultDeps): Promise<number> {
  const missing = (['target', 'zap', 'out'] as const).filter((name) => !values[name]);
  if (missing.length > 0) {
    io.stderr(`findings: zap-scan needs ${missing.map((m) => `--${m}`).join(', ')}\n`);
    return 2;
  }
  try {
    const timeouts = zapTimeouts(values.timeout);
    const apiKey = await deps.readZapApiKey({ parameterName: values['api-key-parameter'], env: io.env });
    const result = await deps.runZapScan({
      zapUrl: values.zap!,
      target: values.target!,
      apiKey,
      mode: values.baseline ? 'baseline' : 'full',
      newSession: values['new-session'] ?? false,
      ...(timeouts ? { timeouts } : {}),
      // A scan cut by its time limit is stopped on the daemon; what it found is still written, marked partial.
      partialOnTimeout: true,
      log: (message) => io.stderr(`zap: ${message}\n`),
    });
    await deps.writeFile(values.out!, result.reportJson);
    io.stderr(`zap: ${result.alerts} alert(s) for ${values.target} in ${(result.durationMs / 1000).toFixed(0)} s${result.partial ? ' (partial: time limit reached)' : ''}; report written to ${values.out}\n`);
    const warnings = result.warnings ?? [];
    for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
    const warningsFile = io.env.SCAN_WARNINGS_FILE;
    if (warningsFile && warnings.length > 0) await (deps.appendFile ?? defaultDeps.appendFile!)(warningsFile, warnings.map((w) => `${w}\n`).join(''));
    // The marker publish-and-gate turns into partialScan: true, so the import archives nothing this scan did not reach.
    if (result.partial && io.env.SCAN_PARTIAL_FILE) await deps.writeFile(io.env.SCAN_PARTIAL_FILE, `${values.target}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ZapScanError) {
      io.stderr(`findings: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
