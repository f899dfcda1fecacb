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
import type { OptionValues } from './args';
import type { CliIo } from './cli';

type Values = OptionValues;
const str = (values: Values, name: string): string | undefined => values[name] as string | undefined;
const list = (values: Values, name: string): string[] | undefined => values[name] as string[] | undefined;

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
  const decisionError = str(values, 'on-decision-read-error')?.trim().toLowerCase() ?? 'fail';
  if (decisionError !== 'fail' && decisionError !== 'ignore') throw new GateOptionError(`--on-decision-read-error must be fail or ignore, got "${str(values, 'on-decision-read-error')}"`);
  const settings: GateSettings = {
    failOn: valueOf('--fail-on', parseFailOn(str(values, 'fail-on') ?? 'HIGH')),
    mode: str(values, 'gate') ? valueOf('--gate', parseGateMode(str(values, 'gate')!)) : 'all',
    ...(str(values, 'base-branch') ? { baseBranch: str(values, 'base-branch')! } : {}),
    ...(str(values, 'sla') ? { slaDays: valueOf('--sla', parseSlaDays(str(values, 'sla')!)) } : {}),
    ...(str(values, 'fail-on-epss') ? { failOnEpss: valueOf('--fail-on-epss', parseEpssThreshold(str(values, 'fail-on-epss')!)) } : {}),
    failOnKev: values['ignore-kev'] !== true,
    onDecisionReadError: decisionError,
  };
  if (settings.failOnEpss !== undefined && !str(values, 'epss')) throw new GateOptionError('--fail-on-epss needs --epss FILE');
  const root = io.env.CODEBUILD_SRC_DIR ?? process.cwd();
  const defaultFile = join(root, DEFAULT_SUPPRESSIONS_FILE);
  const suppressions = list(values, 'suppressions') ?? (existsSync(defaultFile) ? [defaultFile] : []);
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
    { suppressions, vex: list(values, 'vex') ?? [], ...(str(values, 'kev') ? { kev: str(values, 'kev')! } : {}), ...(str(values, 'epss') ? { epss: str(values, 'epss')! } : {}) },
    read,
    commit ? { commit } : {},
  );
  return { settings, data };
}

/** Text (the list, then the summary line) or, with --json, `{...head, gate: {...}}`. */
export function gateReport(values: Values, head: Record<string, unknown>, verdict: GateVerdict): string {
  return values.json === true ? `${JSON.stringify({ ...head, gate: gateJson(verdict) }, null, 2)}\n` : formatGateText(verdict);
}

