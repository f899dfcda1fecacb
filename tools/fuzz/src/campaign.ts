/**
 * A fuzzing campaign: generates inputs (mutated seeds and arbitrary inputs), runs each through the import
 * pipeline (readReport → convertDocuments → validateFinding), and classifies what happened. No I/O of its own:
 * the pipeline, the fetch guard, the clock and the memory gauge are injected; the CLI does the printing and saving.
 */
import { validateFinding, type AwsSecurityFinding, type ScanScope } from '@devsecops/asff';
import { dependencyCheckParser } from '@devsecops/parser-dependency-check';
import { phpstanParser } from '@devsecops/parser-phpstan';
import { sarifParser } from '@devsecops/parser-sarif';
import { sonarqubeParser } from '@devsecops/parser-sonarqube';
import { zapParser } from '@devsecops/parser-zap';
import { isReportError, readReport, type ReportParser } from '@devsecops/report-input';
import { convertDocuments } from '@devsecops/scan-ingest';
import type { FetchAttempt, FetchGuard } from './guards';
import { ENTITY_PAYLOAD, PASSWD_MARKER, generateInput, type FuzzInput, type GenerateOptions, type Seed } from './mutators';

export const ALL_PARSERS: readonly ReportParser[] = [dependencyCheckParser, sonarqubeParser, phpstanParser, sarifParser, zapParser];

export const FUZZ_SCOPE: Omit<ScanScope, 'tool'> = {
  repository: 'fuzz/patient-portal',
  branch: 'main',
  commit: '0123456789abcdef0123456789abcdef01234567',
  buildId: 'fuzz-build:00000000-0000-0000-0000-000000000000',
  reportUri: 's3://fuzz-reports/reports/fuzz.json',
  awsAccountId: '123456789012',
  region: 'us-east-1',
  partition: 'aws',
};

export const FUZZ_NOW = '2026-11-22T12:00:00.000Z';
export const DEFAULT_CAMPAIGN_SEED = 20261122;

export interface PipelineResult {
  /** The parser that read the input. */
  tool: string;
  /** How readReport read it: an XML document is the only kind in which entity declarations mean anything. */
  format: 'json' | 'xml';
  findings: AwsSecurityFinding[];
}

/** Bytes → findings, throwing ReportError for input it refuses. */
export type Pipeline = (bytes: Buffer, source: string) => PipelineResult;

/** The import path of the scan function and the CLI: readReport, then every parser with tool detection. */
export const realPipeline: Pipeline = (bytes, source) => {
  const doc = readReport(bytes, source);
  const conversion = convertDocuments([doc], { parsers: ALL_PARSERS, tool: 'auto', scope: FUZZ_SCOPE, now: FUZZ_NOW });
  return { tool: conversion.parser.id, format: doc.format, findings: conversion.findings };
};

export type IssueKind = 'crash' | 'invalid' | 'duplicate' | 'fetch' | 'expansion' | 'slow' | 'memory';

export const ISSUE_KINDS: readonly IssueKind[] = ['crash', 'invalid', 'duplicate', 'fetch', 'expansion', 'slow', 'memory'];

/** Kinds that fail the campaign. Slow and memory-hungry inputs are reported, not failed: big inputs may need both. */
export const FAILING_KINDS: readonly IssueKind[] = ['crash', 'invalid', 'duplicate', 'fetch', 'expansion'];

export const ISSUE_LABELS: Record<IssueKind, string> = {
  crash: 'crashes',
  invalid: 'invalid findings',
  duplicate: 'duplicate Ids',
  fetch: 'external fetch',
  expansion: 'entity expansion',
  slow: 'slow',
  memory: 'memory',
};

export interface Issue {
  kind: IssueKind;
  /** What went wrong, with the stack for a crash. */
  detail: string;
  /** Groups issues with the same cause (error message and first project frame, or the finding field). */
  signature: string;
}

export interface RunRecord {
  run: number;
  /** The parser that reads the seed unmutated ("arbitrary" for seedless inputs). */
  family: string;
  seedName?: string;
  mutators: string[];
  description: string;
  bytes: number;
  status: 'ok' | 'rejected' | 'crash';
  findings: number;
  /** The ReportError's problem, for a rejected input. */
  rejection?: string;
  issues: Issue[];
  ms: number;
  memoryGrowth: number;
}

export interface MemoryGauge {
  heapUsed: number;
  maxRss: number;
}

export interface CampaignOptions {
  seeds: readonly Seed[];
  /** Number of runs (run numbers 0 … runs-1). */
  runs: number;
  seed?: number;
  /** Only these run numbers (to reproduce a failure). */
  only?: readonly number[];
  /** Stop starting new runs after this long. */
  timeLimitMs?: number;
  /** An input slower than this is reported as slow (default 10 s). */
  slowMs?: number;
  /** Allowed memory growth for one input of the given size (default 256 MB + 40 × its size). */
  memoryLimit?: (inputBytes: number) => number;
  generate?: GenerateOptions;
  pipeline?: Pipeline;
  guard?: FetchGuard;
  clock?: () => number;
  memory?: () => MemoryGauge;
  /** Called before each run (to note which input a hang is stuck on). */
  onStart?: (input: FuzzInput) => void;
  /** Called after each run with the input (to save failures, print progress). */
  onRun?: (record: RunRecord, input: FuzzInput) => void;
}

export interface CampaignResult {
  seed: number;
  runsPlanned: number;
  records: RunRecord[];
  /** The time limit stopped the campaign before every run was done. */
  stoppedEarly: boolean;
  elapsedMs: number;
  /** Seed name → family (the parser that reads it), for the seeds that were mutated. */
  families: Map<string, string>;
  /** Files that no parser reads as they are (not reports: events, configs), left out of the campaign. */
  skippedSeeds: string[];
}

const MB = 1024 * 1024;

export const defaultMemoryLimit = (inputBytes: number): number => 256 * MB + 40 * inputBytes;

const defaultMemory = (): MemoryGauge => ({ heapUsed: process.memoryUsage().heapUsed, maxRss: process.resourceUsage().maxRSS * 1024 });

/** Makes stacks and messages machine-independent: workspace paths relative, no absolute prefixes. */
function relativise(text: string): string {
  return text.replace(/(?:file:\/\/)?\/[^\s():]*?\/((?:libs|tools|apps|node_modules)\/)/g, '$1');
}

/**
 * Where an error comes from: the first stack frame in our own code (libs/, tools/, apps/), else the file of the
 * first frame (a deep recursion in a dependency fills the stack trace with one function's frames).
 */
function firstFrame(stack: string): string {
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  const own = frames.find((line) => /(libs|tools|apps)\//.test(line) && !/tools\/fuzz\//.test(line));
  if (own) return relativise(own.trim().replace(/^at /, ''));
  const located = frames.find((line) => /:\d+:\d+\)?$/.test(line)) ?? frames[0] ?? '';
  const first = relativise(located.trim());
  return /\(([^()]+?)(?::\d+:\d+)?\)$/.exec(first)?.[1] ?? first.replace(/^at /, '');
}

const OWN_FRAME = /(libs|tools|apps)\//;
const STACK_FRAME = /^\s+at /;

/** The stack shown for a crash: its first frames, then (after a deep recursion) the first frames in our own code. */
function condensedStack(stack: string): string {
  const lines = relativise(stack).split('\n');
  const headEnd = lines.findIndex((line) => STACK_FRAME.test(line));
  const head = headEnd < 0 ? lines : lines.slice(0, headEnd);
  const frames = headEnd < 0 ? [] : lines.slice(headEnd);
  if (frames.length <= 12) return [...head, ...frames].join('\n');
  const firstOwn = frames.findIndex((line) => OWN_FRAME.test(line));
  if (firstOwn < 0 || firstOwn < 10) return [...head, ...frames.slice(0, 12)].join('\n');
  return [...head, ...frames.slice(0, 4), `    … ${firstOwn - 4} more frames …`, ...frames.slice(firstOwn, firstOwn + 8)].join('\n');
}

export function crashIssue(error: unknown): Issue {
  const err = error instanceof Error ? error : new Error(`non-Error thrown: ${String(error)}`);
  const message = `${err.name}: ${err.message}`.slice(0, 300);
  const frame = firstFrame(err.stack ?? '');
  return {
    kind: 'crash',
    detail: condensedStack(err.stack ?? message),
    signature: `${message.replace(/\d+/g, 'N').slice(0, 120)} @ ${frame.replace(/:\d+:\d+\)?$/, '')}`,
  };
}

/**
 * Runs a crashing input again with an unlimited stack trace when the first trace holds no frame of our own code
 * (a deep recursion in a dependency fills the default 10 frames), so the report names the caller.
 */
function fullTrace(pipeline: Pipeline, input: FuzzInput, error: unknown, guard: FetchGuard | undefined): unknown {
  if (!(error instanceof Error) || OWN_FRAME.test((error.stack ?? '').split('\n').filter((l) => STACK_FRAME.test(l) && !/tools\/fuzz\//.test(l)).join('\n'))) return error;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  guard?.arm();
  try {
    pipeline(input.bytes, sourceName(input));
    return error;
  } catch (again) {
    return again instanceof Error && again.name === error.name ? again : error;
  } finally {
    guard?.disarm();
    guard?.take();
    Error.stackTraceLimit = limit;
  }
}

// Lone surrogates cannot be encoded as UTF-8: Security Hub's API would receive U+FFFD or reject the batch.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function loneSurrogatePaths(value: unknown, path: string, out: string[]): void {
  if (out.length >= 3) return;
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) out.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => loneSurrogatePaths(item, `${path}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) out.push(`${path}.${key} (key)`);
      loneSurrogatePaths(item, path ? `${path}.${key}` : key, out);
    }
  }
}

/** The longest string in a finding, to point at the field behind "finding is N bytes". */
function longestString(value: unknown, path = ''): { path: string; length: number } {
  if (typeof value === 'string') return { path, length: value.length };
  let best = { path, length: 0 };
  const children: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((item, i) => [`${path}[${i}]`, item])
    : value && typeof value === 'object'
      ? Object.entries(value).map(([key, item]) => [path ? `${path}.${key}` : key, item])
      : [];
  for (const [childPath, child] of children) {
    const found = longestString(child, childPath);
    if (found.length > best.length) best = found;
  }
  return best;
}

/** The findings' problems: validateFinding's, strings that are not valid Unicode, and Ids used twice. */
export function inspectFindings(findings: readonly AwsSecurityFinding[]): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const finding of findings) {
    const problems = validateFinding(finding).map((p) => `${p.path} ${p.message}`);
    const lone: string[] = [];
    loneSurrogatePaths(finding, '', lone);
    problems.push(...lone.map((path) => `${path} contains a lone surrogate (not valid Unicode, cannot be sent as UTF-8)`));
    if (problems.length > 0 && issues.filter((i) => i.kind === 'invalid').length < 3) {
      const longest = problems.some((p) => /limit/.test(p)) ? longestString(finding) : undefined;
      issues.push({
        kind: 'invalid',
        detail: `${String(finding.Id ?? '(no Id)').slice(0, 300)}: ${problems.slice(0, 5).join('; ')}${longest ? ` (longest field: ${longest.path}, ${longest.length} chars)` : ''}`,
        signature: problems[0]!.replace(/\[\d+\]/g, '[N]').replace(/\d{2,}/g, 'N').replace(/ got .*$/, '').slice(0, 120),
      });
    }
    const id = String(finding.Id);
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  if (duplicates.size > 0) {
    const [first] = duplicates;
    issues.push({
      kind: 'duplicate',
      detail: `${duplicates.size} Id(s) used by more than one finding, e.g. ${first}`,
      signature: `duplicate Id ${String(first).replace(/[0-9a-f]{16,}/g, 'HASH').slice(0, 100)}`,
    });
  }
  return issues;
}

const DOCTYPE_OR_ENTITY = ['<!ENTITY', '<!DOCTYPE', '<!doctype'];
/** An entity declared in a DOCTYPE's internal subset (a "<!ENTITY" in a comment or text declares nothing). */
const INTERNAL_SUBSET_ENTITY = /<!DOCTYPE[^>[]*\[[^\]]*?<!ENTITY/;

/** The three encodings readReport decodes text in: a marker may hide in UTF-16 too. */
function encodings(text: string): Buffer[] {
  const little = Buffer.from(text, 'utf16le');
  const big = Buffer.from(little);
  big.swap16();
  return [Buffer.from(text, 'latin1'), little, big];
}

function containsAny(bytes: Buffer, texts: readonly string[]): boolean {
  return texts.some((text) => encodings(text).some((needle) => bytes.includes(needle)));
}

function countOccurrences(haystack: Buffer | string, needle: Buffer | string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle as never); at >= 0; at = haystack.indexOf(needle as never, at + needle.length)) count += 1;
  return count;
}

/** True when the input declares XML entities in a DOCTYPE (in any encoding readReport decodes). */
export function declaresEntities(bytes: Buffer): boolean {
  if (!containsAny(bytes, ['<!ENTITY'])) return false;
  const swapped = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  swapped.swap16();
  return [bytes.toString('latin1'), bytes.toString('utf16le'), swapped.toString('utf16le')].some((text) => INTERNAL_SUBSET_ENTITY.test(text));
}

/**
 * Entity safety of one run: a document declaring entities must be refused; and no output may carry an entity
 * payload (or /etc/passwd) more often than the input itself does.
 */
export function entityIssues(bytes: Buffer, outcome: { status: RunRecord['status']; format?: 'json' | 'xml'; output?: string }): Issue[] {
  if (!containsAny(bytes, DOCTYPE_OR_ENTITY)) return [];
  const issues: Issue[] = [];
  // In JSON, "<!ENTITY" is only text inside a string.
  if (outcome.status === 'ok' && outcome.format === 'xml' && declaresEntities(bytes)) {
    issues.push({ kind: 'expansion', detail: 'a document declaring XML entities was accepted (it must be refused)', signature: 'entity declaration accepted' });
  }
  if (outcome.output !== undefined) {
    for (const marker of [ENTITY_PAYLOAD, PASSWD_MARKER]) {
      const inInput = Math.max(...encodings(marker).map((needle) => countOccurrences(bytes, needle)));
      const inOutput = countOccurrences(outcome.output, marker);
      if (inOutput > inInput) {
        issues.push({ kind: 'expansion', detail: `output holds "${marker}" ${inOutput} time(s), the input ${inInput}: an entity was expanded or fetched`, signature: `payload ${marker} in output` });
      }
    }
  }
  return issues;
}

function fetchIssues(attempts: readonly FetchAttempt[]): Issue[] {
  return attempts.slice(0, 3).map((attempt) => ({
    kind: 'fetch' as const,
    detail: `${attempt.api}(${attempt.target})\n${relativise(attempt.stack)}`,
    signature: `${attempt.api} @ ${firstFrame(attempt.stack)}`,
  }));
}

function sourceName(input: FuzzInput): string {
  return `fuzz-run-${input.run}${input.seed ? `:${input.seed.name}` : ''}`;
}

interface Execution {
  status: RunRecord['status'];
  result?: PipelineResult;
  rejection?: string;
  error?: unknown;
  attempts: FetchAttempt[];
  ms: number;
  memoryGrowth: number;
}

function execute(pipeline: Pipeline, input: FuzzInput, guard: FetchGuard | undefined, clock: () => number, memory: () => MemoryGauge): Execution {
  const before = memory();
  const started = clock();
  let execution: Omit<Execution, 'attempts' | 'ms' | 'memoryGrowth'>;
  guard?.arm();
  try {
    execution = { status: 'ok', result: pipeline(input.bytes, sourceName(input)) };
  } catch (error) {
    execution = isReportError(error) ? { status: 'rejected', rejection: error.problem } : { status: 'crash', error };
  } finally {
    guard?.disarm();
  }
  const ms = clock() - started;
  const after = memory();
  const memoryGrowth = Math.max(after.heapUsed - before.heapUsed, after.maxRss - before.maxRss);
  const attempts = guard?.take() ?? [];
  if (execution.status === 'crash') execution = { ...execution, error: fullTrace(pipeline, input, execution.error, guard) };
  return { ...execution, attempts, ms, memoryGrowth };
}

/** Classifies one executed input. */
function classify(input: FuzzInput, family: string, run: Execution, options: Required<Pick<CampaignOptions, 'slowMs' | 'memoryLimit'>>): RunRecord {
  const issues: Issue[] = [];
  if (run.status === 'crash') issues.push(crashIssue(run.error));
  const findings = run.result?.findings ?? [];
  issues.push(...inspectFindings(findings));
  issues.push(...fetchIssues(run.attempts));
  const output = run.status === 'ok' && containsAny(input.bytes, DOCTYPE_OR_ENTITY) ? JSON.stringify(findings) : undefined;
  issues.push(...entityIssues(input.bytes, { status: run.status, format: run.result?.format, output }));
  if (run.memoryGrowth > options.memoryLimit(input.bytes.length)) {
    const kind = declaresEntities(input.bytes) ? 'expansion' : 'memory';
    issues.push({ kind, detail: `memory grew by ${(run.memoryGrowth / MB).toFixed(0)} MB for a ${(input.bytes.length / MB).toFixed(2)} MB input`, signature: `${kind} growth` });
  }
  if (run.ms > options.slowMs) {
    issues.push({ kind: 'slow', detail: `took ${(run.ms / 1000).toFixed(1)} s for ${(input.bytes.length / MB).toFixed(2)} MB`, signature: `slow ${input.mutators.join('+')}` });
  }
  return {
    run: input.run,
    family,
    seedName: input.seed?.name,
    mutators: input.mutators,
    description: input.description,
    bytes: input.bytes.length,
    status: run.status,
    findings: findings.length,
    rejection: run.rejection,
    issues,
    ms: run.ms,
    memoryGrowth: run.memoryGrowth,
  };
}

export const CRASHING_SEED = 'crashing seed';

/**
 * The parser that reads each seed as it is; seeds every parser refuses (not reports) are left out, a seed that
 * crashes is kept (the baseline run reports the crash). Also a warm-up: lazily loaded code is loaded here,
 * before the fetch guard is armed.
 */
export function seedFamilies(seeds: readonly Seed[], pipeline: Pipeline): { families: Map<string, string>; skipped: string[] } {
  const families = new Map<string, string>();
  const skipped: string[] = [];
  for (const seed of seeds) {
    try {
      families.set(seed.name, pipeline(seed.bytes, seed.name).tool);
    } catch (error) {
      if (isReportError(error)) skipped.push(seed.name);
      else families.set(seed.name, CRASHING_SEED);
    }
  }
  return { families, skipped };
}

export function runCampaign(options: CampaignOptions): CampaignResult {
  const seed = options.seed ?? DEFAULT_CAMPAIGN_SEED;
  const pipeline = options.pipeline ?? realPipeline;
  const clock = options.clock ?? (() => performance.now());
  const memory = options.memory ?? defaultMemory;
  const limits = { slowMs: options.slowMs ?? 10_000, memoryLimit: options.memoryLimit ?? defaultMemoryLimit };
  const { families, skipped } = seedFamilies(options.seeds, pipeline);
  const seeds = options.seeds.filter((s) => families.has(s.name));
  const runs = options.only ?? Array.from({ length: options.runs }, (_, i) => i);
  const started = clock();
  const records: RunRecord[] = [];
  let stoppedEarly = false;
  for (const run of runs) {
    if (options.timeLimitMs !== undefined && clock() - started > options.timeLimitMs) {
      stoppedEarly = true;
      break;
    }
    const input = generateInput(seeds, seed, run, options.generate);
    const family = input.seed ? families.get(input.seed.name)! : 'arbitrary';
    options.onStart?.(input);
    const record = classify(input, family, execute(pipeline, input, options.guard, clock, memory), limits);
    records.push(record);
    options.onRun?.(record, input);
  }
  return { seed, runsPlanned: runs.length, records, stoppedEarly, elapsedMs: clock() - started, families, skippedSeeds: skipped };
}

export function isFailing(record: RunRecord): boolean {
  return record.issues.some((issue) => FAILING_KINDS.includes(issue.kind));
}

export function failingRuns(result: CampaignResult): RunRecord[] {
  return result.records.filter(isFailing);
}
