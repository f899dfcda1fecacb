import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DEFAULT_SUPPRESSIONS_FILE,
  ExploitDataError,
  formatGateText,
  gateJson,
  loadGateData,
  parseEpssThreshold,
  parseFailOn,
  parseGateMode,
  parseSlaDays,
  SuppressionFileError,
  type GateData,
  type GateSettings,
  type GateVerdict,
} from '@devsecops/gate';
import { ReportError } from '@devsecops/report-input';
import type { CliIo, Values } from './cli';

/** A bad option value: exit 2 with one line. */
class GateOptionError extends Error {}

export function isGateInputError(error: unknown): error is Error {
  return error instanceof GateOptionError || error instanceof SuppressionFileError || error instanceof ExploitDataError;
}

function valueOf<T>(option: string, parsed: T | { error: string }): T {
  if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) throw new GateOptionError(`${option} ${(parsed as { error: string }).error}`);
  return parsed as T;
}

/** The gate's settings and data files from the command line; the logic is in @devsecops/gate. */
export async function gateOptionsFrom(values: Values, io: CliIo, commit?: string): Promise<{ settings: GateSettings; data: GateData }> {
  const decisionError = values['on-decision-read-error']?.trim().toLowerCase() ?? 'fail';
  if (decisionError !== 'fail' && decisionError !== 'ignore') throw new GateOptionError(`--on-decision-read-error must be fail or ignore, got "${values['on-decision-read-error']}"`);
  const settings: GateSettings = {
    failOn: valueOf('--fail-on', parseFailOn(values['fail-on'] ?? 'HIGH')),
    mode: values.gate ? valueOf('--gate', parseGateMode(values.gate)) : 'all',
    ...(values['base-branch'] ? { baseBranch: values['base-branch'] } : {}),
    ...(values.sla ? { slaDays: valueOf('--sla', parseSlaDays(values.sla)) } : {}),
    ...(values['fail-on-epss'] ? { failOnEpss: valueOf('--fail-on-epss', parseEpssThreshold(values['fail-on-epss'])) } : {}),
    failOnKev: !values['ignore-kev'],
    onDecisionReadError: decisionError,
  };
  if (settings.failOnEpss !== undefined && !values.epss) throw new GateOptionError('--fail-on-epss needs --epss FILE');
  const root = io.env.CODEBUILD_SRC_DIR ?? process.cwd();
  const defaultFile = join(root, DEFAULT_SUPPRESSIONS_FILE);
  const suppressions = values.suppressions ?? (existsSync(defaultFile) ? [defaultFile] : []);
  let s3: S3Client | undefined;
  const read = async (ref: string): Promise<Uint8Array> => {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(ref);
    if (m) {
      s3 ??= new S3Client({ ...(io.env.S3_ENDPOINT ? { endpoint: io.env.S3_ENDPOINT, forcePathStyle: true } : {}) });
      const object = await s3.send(new GetObjectCommand({ Bucket: m[1], Key: m[2] }));
      if (!object.Body) throw new ReportError(ref, 'the S3 object has no body');
      return object.Body.transformToByteArray();
    }
    try {
      return await io.readFile(ref);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ReportError(ref, `cannot be read: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
  };
  const data = await loadGateData(
    { suppressions, vex: values.vex ?? [], ...(values.kev ? { kev: values.kev } : {}), ...(values.epss ? { epss: values.epss } : {}) },
    read,
    commit ? { commit } : {},
  );
  return { settings, data };
}

/** Text (the list, then the summary line) or, with --json, `{...head, gate: {...}}`. */
export function gateOutput(io: CliIo, values: Values, head: Record<string, unknown>, verdict: GateVerdict, scanSummary: string): void {
  if (values.json) {
    io.stdout(`${JSON.stringify({ ...head, gate: gateJson(verdict) }, null, 2)}\n`);
    io.stderr(`${scanSummary}\n`);
    return;
  }
  io.stdout(formatGateText(verdict));
  io.stderr(`${scanSummary}\n`);
}
