import { writeFile } from 'node:fs/promises';
import { readZapApiKey, runZapScan, ZapScanError } from '@devsecops/zap-client';
import type { CliIo } from './cli';

export interface ZapScanValues {
  target?: string;
  zap?: string;
  out?: string;
  baseline?: boolean;
  'api-key-parameter'?: string;
  'new-session'?: boolean;
}

export interface ZapScanDeps {
  writeFile: (path: string, text: string) => Promise<void>;
  runZapScan: typeof runZapScan;
  readZapApiKey: typeof readZapApiKey;
}

const defaultDeps: ZapScanDeps = { writeFile: (path, text) => writeFile(path, text), runZapScan, readZapApiKey };

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
    const apiKey = await deps.readZapApiKey({ parameterName: values['api-key-parameter'], env: io.env });
    const result = await deps.runZapScan({
      zapUrl: values.zap!,
      target: values.target!,
      apiKey,
      mode: values.baseline ? 'baseline' : 'full',
      newSession: values['new-session'] ?? false,
      log: (message) => io.stderr(`zap: ${message}\n`),
    });
    await deps.writeFile(values.out!, result.reportJson);
    io.stderr(`zap: ${result.alerts} alert(s) for ${values.target} in ${(result.durationMs / 1000).toFixed(0)} s; report written to ${values.out}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ZapScanError) {
      io.stderr(`findings: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
