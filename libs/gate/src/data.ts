import { readEpssCsv, readKevCatalog, type EpssScores, type KevCatalog } from './exploits';
import { readOpenVex } from './openvex';
import type { SuppressionEntry, SuppressionProblem } from './suppressions';
import { readSuppressionsFile } from './suppressions-file';

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
