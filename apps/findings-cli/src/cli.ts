import { open, readFile } from 'node:fs/promises';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { parseSeverityLabel, type AwsSecurityFinding, type SeverityLabel } from '@devsecops/asff';
import { dependencyCheckParser } from '@devsecops/parser-dependency-check';
import { phpstanParser } from '@devsecops/parser-phpstan';
import { sarifParser } from '@devsecops/parser-sarif';
import { sonarqubeParser } from '@devsecops/parser-sonarqube';
import { zapParser } from '@devsecops/parser-zap';
import { compareWithBase, FORMAT_IDS, FORMATS, type FormatId, type ReportChanges, type ReportGate } from '@devsecops/report-formats';
import { isReportError, readReportStream, ReportError, TOOL_IDS, type ParseOptions, type ReportParser, type StreamReadResult, type ToolId } from '@devsecops/report-input';
import { branchFromSourceVersion, buildConversion, changesFromImport, gateWithoutImport, importAndGate, parseReads, reportGateOf, repositoryFromUrl, type Conversion } from '@devsecops/scan-ingest';
import { importCounts, importFindings, ledgerStoreFor, type ImportResult } from '@devsecops/securityhub';
import { S3Client } from '@aws-sdk/client-s3';
import { version as packageVersion } from '../../../package.json';
import { credentialsError, isCredentialsProblem, resolveTarget, type AwsCredentialIdentityProvider } from './account';
import { checkChoice, commandHelp, generalHelp, parseCommandLine, UsageError, type CommandName, type OptionValues } from './args';
import { gateOptionsFrom, gateReport, isGateInputError } from './gate-options';
import { evidenceTargetOf, storeEvidence } from './evidence';
import { fileSink, functionSink, OutputError, outputError, streamSink, writeAll, type OutputSink } from './output';
import { ImportProgress, watchClient } from './progress';
import { runSonarQubeExportCommand } from './sonarqube-export';
import { runZapScanCommand } from './zap-scan';

export const ALL_PARSERS: readonly ReportParser[] = [dependencyCheckParser, sonarqubeParser, phpstanParser, sarifParser, zapParser];

export const VERSION = packageVersion;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  readFile: (path: string) => Promise<Uint8Array>;
  /** Bytes of stdin, for the report `-`. Default: process.stdin. */
  readStdin?: () => Promise<Uint8Array>;
  /** Opens a report file as a stream (a big Dependency-Check JSON is converted while it is read); else `readFile`. */
  openFile?: (path: string) => Promise<OpenedFile>;
  /** When given (main.ts), reports go to this stream with backpressure, and a closed pipe ends the run quietly. */
  stdoutStream?: NodeJS.WritableStream;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  /** AWS credentials; default the SDK's chain. */
  credentials?: AwsCredentialIdentityProvider;
  /** The SDK's Region chain; default the real one (AWS_REGION, the profile). */
  sdkRegion?: () => Promise<string | undefined>;
  /** Milliseconds, for the progress line. Default Date.now. */
  clock?: () => number;
}

/** A usage or input problem: exit 2 with one line on stderr. Kept as a name for code written against it. */
export class CliError extends UsageError {}

/** Exit codes, documented in the README and in every --help. */
export const EXIT = { ok: 0, gateFailed: 1, badInput: 2, partialImport: 3 } as const;

type Values = OptionValues;
const str = (values: Values, name: string): string | undefined => values[name] as string | undefined;

function colourOn(io: CliIo, tty: boolean | undefined): boolean {
  return Boolean(tty) && !io.env.NO_COLOR;
}

function paint(text: string, colour: 'red' | 'green' | 'yellow', on: boolean): string {
  const code = { red: 31, green: 32, yellow: 33 }[colour];
  return on ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function toolOption(value: string | undefined): ToolId | 'auto' {
  return (value === undefined ? 'auto' : checkChoice('tool', value, ['auto', ...TOOL_IDS])) as ToolId | 'auto';
}

async function readStdinDefault(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A report file as chunks and its size: reports of known size under 64 MiB are read in memory, bigger ones streamed. */
export interface OpenedFile {
  size: number;
  chunks: AsyncIterable<Uint8Array>;
}

function fileError(path: string, error: unknown): ReportError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
  return new ReportError(path, `cannot be read: ${why}`);
}

async function openReport(path: string, io: CliIo): Promise<OpenedFile> {
  if (path !== '-' && io.openFile) {
    try {
      return await io.openFile(path);
    } catch (error) {
      throw fileError(path, error);
    }
  }
  const bytes = await readBytes(path, io);
  return { size: bytes.byteLength, chunks: (async function* () { yield bytes; })() };
}

async function readBytes(path: string, io: CliIo): Promise<Uint8Array> {
  if (path === '-') return (io.readStdin ?? readStdinDefault)();
  try {
    return await io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new ReportError(path, `cannot be read: ${why}`);
  }
}

function parseOptionsOf(values: Values, env: NodeJS.ProcessEnv): ParseOptions {
  return {
    includeCodeSmells: values['include-code-smells'] === true,
    serverUrl: str(values, 'server-url'),
    qualityRulesAsSecurity: env.SARIF_QUALITY_RULES_AS_SECURITY === 'true',
    sourceRoots: [...((values['source-root'] as string[] | undefined) ?? []), ...(env.CODEBUILD_SRC_DIR ? [env.CODEBUILD_SRC_DIR] : []), process.cwd()],
  };
}

/** Reads each report as a stream (readReportStream): streamed and parsed, or read in memory as before. */
async function readReports(paths: readonly string[], values: Values, io: CliIo): Promise<StreamReadResult[]> {
  if (paths.length === 0) throw new UsageError('no report file given (a file, or - for stdin)');
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('stdin (-) can be read only once');
  const reads: StreamReadResult[] = [];
  for (const path of paths) {
    const file = await openReport(path, io);
    reads.push(await readReportStream(file.chunks, path === '-' ? 'stdin' : path, { parsers: ALL_PARSERS, tool: toolOption(str(values, 'tool')), parseOptions: parseOptionsOf(values, io.env), size: file.size }));
  }
  return reads;
}

/** --base: ASFF findings of an earlier scan, as `convert` prints them or as GetFindings returns them. */
async function readBase(path: string, io: CliIo): Promise<AwsSecurityFinding[]> {
  const name = path === '-' ? 'stdin' : path;
  const text = Buffer.from(await readBytes(path, io)).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReportError(name, `is not valid JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(value) ? value : (value as { Findings?: unknown })?.Findings;
  if (!Array.isArray(list) || !list.every((f) => typeof f === 'object' && f !== null && typeof (f as { Id?: unknown }).Id === 'string')) {
    throw new ReportError(name, 'is not ASFF findings (the JSON array of findings convert, or a GetFindings response)');
  }
  return list as AwsSecurityFinding[];
}

function summaryLine(conversion: Conversion): string {
  const { summary, scope } = conversion;
  const counts = Object.entries(summary.bySeverity)
    .reverse()
    .map(([label, n]) => `${label} ${n}`)
    .join(', ');
  return `${scope.tool}: ${summary.total} finding(s), ${summary.active} active (${counts})`;
}

function failOnOption(value: string | undefined): SeverityLabel | 'NONE' {
  if (!value) throw new UsageError('gate needs --fail-on NONE|LOW|MEDIUM|HIGH|CRITICAL');
  if (value.trim().toUpperCase() === 'NONE') return 'NONE';
  const label = parseSeverityLabel(value);
  if (!label) throw new UsageError(`--fail-on must be NONE, INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL, got "${value}"`);
  return label;
}

function outputSink(values: Values, io: CliIo): OutputSink {
  const path = str(values, 'output');
  if (path !== undefined && path !== '-') {
    try {
      return fileSink(path);
    } catch (error) {
      throw outputError(path, error);
    }
  }
  return io.stdoutStream ? streamSink(io.stdoutStream, 'stdout') : functionSink(io.stdout);
}

/**
 * Writes the report; returns the run's exit code. A reader that closed the pipe (`| head`) is not an error: the
 * run ends with the code it already had, and nothing more is printed. Any other write failure (ENOSPC) is one line
 * and exit 2, and a partly written output file is removed.
 */
async function emit(sink: OutputSink, chunks: Iterable<string>, code: number, io: CliIo): Promise<number> {
  try {
    await writeAll(sink, chunks);
    return code;
  } catch (error) {
    const failure = error instanceof OutputError ? error : outputError(sink.name, error);
    sink.abort();
    if (failure.readerGone) return code;
    io.stderr(`findings: ${failure.message}\n`);
    return EXIT.badInput;
  }
}

interface Scan {
  conversion: Conversion;
  changes?: ReportChanges;
  repositoryUrlTemplate?: string;
  /** With `--evidence s3://…`, the import stores the evidence of what it sends. */
  beforeSend?: (findings: readonly AwsSecurityFinding[]) => Promise<void>;
}

/** Why the scan is not whole: --incomplete reasons and the tool's own (ParsedReport.incomplete); undefined = whole. */
function incompleteOf(values: Values, scan: Scan): string | undefined {
  const given = ((values.incomplete as string[] | undefined) ?? []).map((r) => r.trim()).filter(Boolean);
  const reasons = [...given, ...(scan.conversion.parsed.incomplete ? [scan.conversion.parsed.incomplete] : [])];
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

async function convertScan(command: CommandName, files: readonly string[], values: Values, io: CliIo, target: Awaited<ReturnType<typeof resolveTarget>>, reads: StreamReadResult[]): Promise<Scan> {
  const env = io.env;
  const { parser, parsed } = parseReads(reads, { parsers: ALL_PARSERS, tool: toolOption(str(values, 'tool')), parseOptions: parseOptionsOf(values, env) });
  const evidence = evidenceTargetOf(str(values, 'evidence'));
  const conversion = buildConversion(parser, parsed, {
    scope: {
      ...target,
      repository: str(values, 'repository') ?? repositoryFromUrl(env.CODEBUILD_SOURCE_REPO_URL) ?? 'local-repository',
      branch: str(values, 'branch') ?? branchFromSourceVersion(env.CODEBUILD_SOURCE_VERSION) ?? 'main',
      commit: str(values, 'commit') ?? env.CODEBUILD_RESOLVED_SOURCE_VERSION,
      buildId: str(values, 'build-id') ?? env.CODEBUILD_BUILD_ID,
      target: str(values, 'target'),
      ...(str(values, 'category') ? { category: str(values, 'category') } : {}),
      reportUri: files.length === 1 && files[0] !== '-' ? files[0] : undefined,
      ...(evidence ? { evidenceLocation: evidence.location } : {}),
    },
  });
  // Import writes to S3 only what it sends (beforeSend); every other case stores the evidence now.
  const s3 = () => new S3Client({ region: target.region, ...(io.credentials ? { credentials: io.credentials } : {}) });
  const beforeSend = evidence ? await storeEvidence(evidence, parsed.drafts, s3) : undefined;
  if (beforeSend && command !== 'import') await beforeSend(conversion.findings);
  const basePath = str(values, 'base');
  const changes = basePath ? compareWithBase(conversion.findings, await readBase(basePath, io), basePath === '-' ? 'stdin' : basePath) : undefined;
  void command;
  return { conversion, changes, repositoryUrlTemplate: str(values, 'repository-url-template'), ...(beforeSend && command === 'import' ? { beforeSend } : {}) };
}

function formatOption(command: CommandName, values: Values): FormatId | undefined {
  const given = str(values, 'format');
  const id = given !== undefined ? (checkChoice('format', given, FORMAT_IDS) as FormatId) : command === 'convert' ? 'asff' : undefined;
  if (id && !FORMATS[id].render) throw new UsageError(`--format ${id}: ${FORMATS[id].unavailable}`);
  if (!id && str(values, 'output') !== undefined) throw new UsageError(`--output writes a report: give --format too (${FORMAT_IDS.filter((f) => FORMATS[f].render).join(', ')})`);
  return id;
}

function renderChunks(id: FormatId, scan: Scan, gate: ReportGate | undefined): Iterable<string> {
  return FORMATS[id].render!({
    findings: scan.conversion.findings,
    gate,
    changes: scan.changes,
    producerVersion: VERSION,
    title: `Security findings: ${scan.conversion.scope.repository}@${scan.conversion.scope.branch}`,
    repositoryUrlTemplate: scan.repositoryUrlTemplate,
  });
}

/** One line for an incomplete import: the failures grouped by code, so 21 identical errors are one entry. */
export function failureLine(result: Pick<ImportResult, 'failed' | 'notSent'>): string {
  const byCode = new Map<string, { n: number; message: string }>();
  for (const f of result.failed) {
    const entry = byCode.get(f.code) ?? { n: 0, message: f.message };
    entry.n += 1;
    byCode.set(f.code, entry);
  }
  const groups = [...byCode.entries()].map(([code, { n, message }]) => `${code} ×${n}: ${message.split('\n')[0]!.slice(0, 200)}`);
  return `import incomplete: ${result.failed.length} failed${groups.length ? ` (${groups.join('; ')})` : ''}, ${result.notSent.length} not sent; run it again to finish`;
}

async function runReportCommand(command: 'convert' | 'gate' | 'import', files: readonly string[], values: Values, io: CliIo): Promise<number> {
  const quiet = values.quiet === true;
  const formatId = formatOption(command, values);
  // Checked before any report is read: a usage error costs nothing.
  if (command === 'gate' || values['fail-on'] !== undefined) failOnOption(str(values, 'fail-on'));
  toolOption(str(values, 'tool'));
  const reads = await readReports(files, values, io);
  const errColour = colourOn(io, io.stderrIsTTY);
  const info = (text: string): void => {
    if (!quiet) io.stderr(`${text}\n`);
  };

  if (command !== 'import') {
    const target = await resolveTarget({ account: str(values, 'account'), region: str(values, 'region'), partition: str(values, 'partition'), env: io.env, forImport: false, sdkRegion: io.sdkRegion });
    const scan = await convertScan(command, files, values, io, target, reads);
    if (command === 'convert') {
      const code = await emit(outputSink(values, io), renderChunks(formatId!, scan, undefined), EXIT.ok, io);
      if (code !== EXIT.ok) return code;
      info(summaryLine(scan.conversion));
      for (const warning of scan.conversion.parsed.warnings) info(`warning: ${warning}`);
      return code;
    }
    for (const warning of scan.conversion.parsed.warnings) info(`warning: ${warning}`);
    const { settings, data } = await gateOptionsFrom(values, io, scan.conversion.scope.commit);
    const endpoint = str(values, 'endpoint') ?? io.env.SECURITYHUB_ENDPOINT;
    // `new` mode reads the base branch's open findings; everything else is decided offline.
    const baseClient = settings.mode === 'new' ? new SecurityHubClient({ region: scan.conversion.scope.region, ...(endpoint ? { endpoint } : {}), ...(io.credentials ? { credentials: io.credentials } : {}) }) : undefined;
    const verdict = await gateWithoutImport(
      { scope: scan.conversion.scope, findings: scan.conversion.findings, settings, data, ...(incompleteOf(values, scan) ? { incomplete: incompleteOf(values, scan) } : {}), now: new Date() },
      baseClient,
    );
    baseClient?.destroy();
    const code = verdict.passed ? EXIT.ok : EXIT.gateFailed;
    const head = { tool: scan.conversion.scope.tool, total: scan.conversion.summary.total, active: scan.conversion.summary.active };
    if (!formatId) {
      const text = gateReport(values, head, verdict);
      // The summary line's verdict word in colour, on a terminal only (NO_COLOR respected).
      const shown = values.json === true ? text : text.replace(/^gate (FAILED|passed)/m, (_, word: string) => `gate ${paint(word, word === 'passed' ? 'green' : 'red', colourOn(io, io.stdoutIsTTY))}`);
      const written = await emit(outputSink(values, io), [shown], code, io);
      if (written === code) info(summaryLine(scan.conversion));
      return written;
    }
    const written = await emit(outputSink(values, io), renderChunks(formatId, scan, reportGateOf(verdict)), code, io);
    if (written === code) info(`${verdict.summary.replace(/^gate (FAILED|passed)/, (_, word: string) => `gate ${paint(word, word === 'passed' ? 'green' : 'red', errColour)}`)}; ${summaryLine(scan.conversion)}`);
    return written;
  }

  // import
  const endpoint = str(values, 'endpoint') ?? io.env.SECURITYHUB_ENDPOINT;
  let client: SecurityHubClient | undefined;
  const target = await resolveTarget({
    account: str(values, 'account'),
    region: str(values, 'region'),
    partition: str(values, 'partition'),
    env: io.env,
    forImport: true,
    credentials: io.credentials,
    sdkRegion: io.sdkRegion,
    verifyCredentials: async (region) => {
      // maxAttempts 1: the importer does its own retrying, and the progress line sees every throttle.
      client = new SecurityHubClient({ region, maxAttempts: 1, ...(endpoint ? { endpoint } : {}), ...(io.credentials ? { credentials: io.credentials } : {}) });
      try {
        await client.config.credentials();
      } catch (error) {
        if (isCredentialsProblem(error)) throw credentialsError(error);
        throw error;
      }
    },
  });
  const scan = await convertScan(command, files, values, io, target, reads);
  const progress = !quiet && io.stderrIsTTY ? new ImportProgress((t) => io.stderr(t), io.clock ?? Date.now) : undefined;
  if (progress) watchClient(client!, progress);
  // The importer sends while it plans (the ledger's stream); until its plan is logged, every finding counts.
  progress?.planned(scan.conversion.findings.length);
  const gating = values['fail-on'] !== undefined;
  const gateInput = gating ? await gateOptionsFrom(values, io, scan.conversion.scope.commit) : undefined;
  const logger = {
    debug: () => undefined,
    warn: () => undefined,
    info: (message: string, details?: unknown) => {
      // The plan is logged once the scan is planned (batches may already be out): the archives join the total.
      const d = details as { toArchive?: number } | undefined;
      if (message === 'Import plan' && d?.toArchive) progress?.planned(scan.conversion.findings.length + d.toArchive);
    },
  };
  const incomplete = incompleteOf(values, scan);
  const statePath = str(values, 'state');
  const importOptions = {
    ...(statePath ? { ledger: { store: ledgerStoreFor(statePath, () => new S3Client({ region: scan.conversion.scope.region, ...(io.credentials ? { credentials: io.credentials } : {}) })) } } : {}),
    ...(scan.beforeSend ? { beforeSend: scan.beforeSend } : {}),
  };
  let result: ImportResult;
  let gated: Awaited<ReturnType<typeof importAndGate>> | undefined;
  try {
    if (gateInput) {
      gated = await importAndGate({
        client: client!,
        scope: scan.conversion.scope,
        findings: scan.conversion.findings,
        settings: gateInput.settings,
        data: gateInput.data,
        ...(incomplete ? { incomplete } : {}),
        now: new Date(),
        logger,
        importOptions,
      });
      result = gated.result;
    } else {
      result = await importFindings({ client: client!, scope: scan.conversion.scope, findings: scan.conversion.findings, logger, ...(incomplete ? { incomplete: [incomplete] } : {}), ...importOptions });
    }
  } finally {
    progress?.done();
    client!.destroy();
  }
  if (result.failed.length > 0 && result.imported === 0 && result.failed.every((f) => isCredentialsProblem({ name: f.code, message: f.message }))) {
    throw credentialsError({ message: result.failed[0]!.message });
  }
  const partial = result.failed.length > 0 || result.notSent.length > 0;
  // A partial import is reported as such first; a complete one that the gate fails exits 1.
  const code = partial ? EXIT.partialImport : gated && !gated.verdict.passed ? EXIT.gateFailed : EXIT.ok;
  const resultJson = {
    ...importCounts(result),
    ...(result.ledger ? { ledger: { source: result.ledger.source, written: result.ledger.written, conflicts: result.ledger.conflicts } } : {}),
  };
  const resultText = gated
    ? gateReport(values, { ...resultJson, apiCalls: result.apiCalls + gated.decisions.apiCalls, decisionsWritten: gated.decisions.updated.length }, gated.verdict)
    : `${JSON.stringify(resultJson)}\n`;
  const written = formatId
    ? await emit(outputSink(values, io), renderChunks(formatId, { ...scan, changes: scan.changes ?? changesFromImport(result, scan.conversion.findings) }, gated ? reportGateOf(gated.verdict) : undefined), code, io)
    : await emit(outputSink(values, io), [resultText], code, io);
  if (written !== code) return written;
  info(summaryLine(scan.conversion));
  for (const warning of scan.conversion.parsed.warnings) info(`warning: ${warning}`);
  if (formatId) info(`import: ${result.imported} imported, ${result.unchanged} unchanged, ${result.archived} archived, ${result.failed.length} failed`);
  if (result.archiveSkipped) info(`nothing archived: ${result.archiveSkipped}`);
  if (partial) io.stderr(`findings: ${paint(failureLine(result), 'yellow', errColour)}\n`);
  return written;
}

/** Runs one command; returns the exit code. Never throws; never prints a stack trace. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.version) {
      io.stdout(`findings ${VERSION}\n`);
      return EXIT.ok;
    }
    if (!parsed.command) {
      if (parsed.values.help) io.stdout(generalHelp());
      else io.stderr(generalHelp());
      return parsed.values.help ? EXIT.ok : EXIT.badInput;
    }
    const { command, values, positionals } = parsed;
    if (values.help) {
      io.stdout(commandHelp(command, { tool: `auto|${TOOL_IDS.join('|')}`, format: FORMAT_IDS.filter((f) => FORMATS[f].render).join('|') }));
      return EXIT.ok;
    }
    if (command === 'zap-scan') {
      if (positionals.length > 0) throw new UsageError(`zap-scan takes no report file, got "${positionals[0]}"`);
      // --quiet keeps only the errors (lines starting with "findings:"), not the scan's progress.
      const zapIo = values.quiet === true ? { ...io, stderr: (text: string) => (text.startsWith('findings:') ? io.stderr(text) : undefined) } : io;
      return await runZapScanCommand(values, zapIo);
    }
    if (command === 'sonarqube-export') {
      if (positionals.length > 0) throw new UsageError(`sonarqube-export takes no report file, got "${positionals[0]}"`);
      return await runSonarQubeExportCommand(values, io);
    }
    return await runReportCommand(command, positionals, values, io);
  } catch (error) {
    if (error instanceof UsageError || isReportError(error) || isGateInputError(error)) {
      io.stderr(`findings: ${(error as Error).message}\n`);
      return EXIT.badInput;
    }
    if (error instanceof OutputError) {
      if (!error.readerGone) io.stderr(`findings: ${error.message}\n`);
      return EXIT.badInput;
    }
    if (isCredentialsProblem(error)) {
      io.stderr(`findings: ${credentialsError(error).message}\n`);
      return EXIT.badInput;
    }
    const err = error as Error;
    io.stderr(`findings: unexpected error: ${err?.name && err.name !== 'Error' ? `${err.name}: ` : ''}${(err?.message ?? String(error)).split('\n')[0]}\n`);
    return EXIT.badInput;
  }
}

export async function defaultReadFile(path: string): Promise<Uint8Array> {
  return readFile(path);
}

/** A report file as 1 MiB chunks, with its size. */
export async function defaultOpenFile(path: string): Promise<OpenedFile> {
  const handle = await open(path, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return { size: stat.size, chunks: handle.createReadStream({ highWaterMark: 1 << 20 }) };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
