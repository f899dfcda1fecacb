import type { CliIo } from './cli';

/** Placeholder until the ZAP driver lands; replaced by the real command. */
export async function runZapScanCommand(_values: Record<string, unknown>, io: CliIo): Promise<number> {
  io.stderr('findings: zap-scan is not supported yet\n');
  return 2;
}
