import { SEVERITY_LABELS, parseSeverityLabel, type SeverityLabel } from '@devsecops/asff';
import { readEpssCsv, readKevCatalog, type EpssScores, type KevCatalog } from './exploits';
import type { FailOn, GateMode } from './gate';
import { readOpenVex } from './openvex';
import { readSuppressionsFile, type SuppressionEntry, type SuppressionProblem } from './suppressions';

/** The gate's settings, the same for the CLI, the parser Lambdas (event and environment) and the CDK config. */
export interface GateSettings {
  failOn: FailOn;
  mode: GateMode;
  /** `new` mode: the branch to compare with. */
  baseBranch?: string;
  slaDays?: Partial<Record<SeverityLabel, number>>;
  failOnEpss?: number;
  failOnKev: boolean;
  onDecisionReadError: 'fail' | 'ignore';
}

export const DEFAULT_BASE_BRANCH = 'main';

/** `NONE` or a severity label, any case. An error message otherwise. */
export function parseFailOn(value: string): FailOn | { error: string } {
  if (value.trim().toUpperCase() === 'NONE') return 'NONE';
  const label = parseSeverityLabel(value);
  return label ?? { error: `must be NONE, INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL, got "${value}"` };
}

export function parseGateMode(value: string): GateMode | { error: string } {
  const mode = value.trim().toLowerCase();
  return mode === 'all' || mode === 'new' ? mode : { error: `must be all or new, got "${value}"` };
}

/** `CRITICAL=7,HIGH=30` (or a JSON object of the same). */
export function parseSlaDays(value: string | Record<string, unknown>): Partial<Record<SeverityLabel, number>> | { error: string } {
  const pairs: [string, unknown][] =
    typeof value === 'string'
      ? value
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)
          .map((p) => {
            const [k, v] = p.split('=');
            return [k ?? '', v === undefined ? undefined : Number(v)];
          })
      : Object.entries(value);
  const out: Partial<Record<SeverityLabel, number>> = {};
  for (const [key, days] of pairs) {
    const label = parseSeverityLabel(key);
    if (!label) return { error: `"${key}" is not a severity (${SEVERITY_LABELS.join(', ')})` };
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0) return { error: `${label} needs a whole number of days, e.g. ${label}=30` };
    out[label] = days;
  }
  return out;
}

export function parseEpssThreshold(value: string | number): number | { error: string } {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : { error: `must be an EPSS score from 0 to 1, e.g. 0.5, got "${value}"` };
}

/** Where the gate's data files are: paths, s3:// URIs, or inline content (Lambda events). */
export interface GateDataSources {
  suppressions?: readonly string[];
  vex?: readonly string[];
  kev?: string;
  epss?: string;
}

export interface GateData {
  /** Undefined when no suppressions or VEX source was given. */
  suppressions?: SuppressionEntry[];
  suppressionProblems: SuppressionProblem[];
  kev?: KevCatalog;
  epss?: EpssScores;
}

/**
 * Reads the gate's data files through `read` (the caller's I/O: files, S3). Bad files throw one error naming the
 * file (SuppressionFileError, ExploitDataError, or what `read` throws); bad entries are problems.
 */
export async function loadGateData(sources: GateDataSources, read: (ref: string) => Promise<Uint8Array>, options: { commit?: string } = {}): Promise<GateData> {
  const text = async (ref: string) => Buffer.from(await read(ref)).toString('utf8');
  const entries: SuppressionEntry[] = [];
  const problems: SuppressionProblem[] = [];
  for (const ref of sources.suppressions ?? []) {
    const set = readSuppressionsFile(await text(ref), ref, options);
    entries.push(...set.entries);
    problems.push(...set.problems);
  }
  for (const ref of sources.vex ?? []) {
    const set = readOpenVex(await text(ref), ref, options);
    entries.push(...set.entries);
    problems.push(...set.problems);
  }
  const given = (sources.suppressions?.length ?? 0) + (sources.vex?.length ?? 0) > 0;
  return {
    ...(given ? { suppressions: entries } : {}),
    suppressionProblems: problems,
    ...(sources.kev ? { kev: readKevCatalog(await text(sources.kev), sources.kev) } : {}),
    ...(sources.epss ? { epss: readEpssCsv(await read(sources.epss), sources.epss) } : {}),
  };
}
