import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { parseSeverityLabel, partitionForRegion, isPartition, type AwsTarget, type SeverityLabel } from '@devsecops/asff';
import { dependencyCheckParser } from '@devsecops/parser-dependency-check';
import { phpstanParser } from '@devsecops/parser-phpstan';
import { sarifParser } from '@devsecops/parser-sarif';
import { sonarqubeParser } from '@devsecops/parser-sonarqube';
import { zapParser } from '@devsecops/parser-zap';
import { isReportError, readReport, ReportError, TOOL_IDS, type ReportDocument, type ReportParser, type ToolId } from '@devsecops/report-input';
import { S3Client } from '@aws-sdk/client-s3';
import { branchFromSourceVersion, convertDocuments, gateFor, repositoryFromUrl, type Conversion } from '@devsecops/scan-ingest';
import { importFindings, ledgerStoreFor } from '@devsecops/securityhub';
import { runZapScanCommand } from './zap-scan';

export const ALL_PARSERS: readonly ReportParser[] = [dependencyCheckParser, sonarqubeParser, phpstanParser, sarifParser, zapParser];

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  readFile: (path: string) => Promise<Uint8Array>;
}

/** A usage or input problem: exit 2 with one line on stderr. */
export class CliError extends Error {}

export const USAGE = `usage: findings <command> [options]

commands:
  convert <report...>                  print the ASFF findings as a JSON array (summary on stderr)
  gate <report...> --fail-on LEVEL     exit 1 when an active finding is at or above LEVEL (LOW|MEDIUM|HIGH|CRITICAL)
  import <report...> [--endpoint URL]  convert and import into Security Hub; prints the import result as JSON
  zap-scan --target URL --zap URL --out FILE [--baseline] [--new-session] [--api-key-parameter NAME]
                                       run one OWASP ZAP scan through its API and write the JSON report
                                       (API key from the SSM parameter, else $ZAP_API_KEY)

options for convert, gate and import:
  --tool auto|${TOOL_IDS.join('|')}   (default auto: detected from the content)
  --repository R --branch B --commit C --build-id ID --target URL
  --category NAME                      scan identity: tells apart several scans of one tool over one branch
                                       (default none; ZAP: the target's origin)
  --account 123456789012 --region R --partition aws|aws-us-gov|aws-cn
  --include-code-smells                SonarQube: also report code smells
  --server-url URL                     SonarQube: link findings to the server
  --source-root DIR                    strip DIR from absolute paths (repeatable)

options for import:
  --state DIR|s3://bucket/prefix       keep the scan identity's state in a ledger there instead of reading the
                                       whole scope back from Security Hub (default: read back)
  --incomplete REASON                  the scan is not whole (scanner failed, report cut): import, archive nothing
                                       (repeatable)

Several SonarQube pages (issues and hotspots) given together form one scan.
Exit codes: 0 ok, 1 gate failed or import incomplete, 2 bad input or usage.`;

const OPTIONS = {
  tool: { type: 'string' },
  repository: { type: 'string' },
  branch: { type: 'string' },
  commit: { type: 'string' },
  'build-id': { type: 'string' },
  target: { type: 'string' },
  category: { type: 'string' },
  state: { type: 'string' },
  incomplete: { type: 'string', multiple: true },
  account: { type: 'string' },
  region: { type: 'string' },
  partition: { type: 'string' },
  'fail-on': { type: 'string' },
  endpoint: { type: 'string' },
  'include-code-smells': { type: 'boolean' },
  'server-url': { type: 'string' },
  'source-root': { type: 'string', multiple: true },
  zap: { type: 'string' },
  out: { type: 'string' },
  baseline: { type: 'boolean' },
  'new-session': { type: 'boolean' },
  'api-key-parameter': { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function awsTarget(values: Values, env: NodeJS.ProcessEnv): AwsTarget {
  const region = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const account = values.account ?? env.AWS_ACCOUNT_ID ?? '123456789012';
  if (!/^\d{12}$/.test(account)) throw new CliError(`--account must be a 12-digit AWS account id, got "${account}"`);
  const partition = values.partition ?? partitionForRegion(region);
  if (!isPartition(partition)) throw new CliError(`--partition must be aws, aws-us-gov or aws-cn, got "${partition}"`);
  return { awsAccountId: account, region, partition };
}

function toolOption(value: string | undefined): ToolId | 'auto' {
  const tool = (value ?? 'auto').toLowerCase();
  if (tool === 'auto' || (TOOL_IDS as readonly string[]).includes(tool)) return tool as ToolId | 'auto';
  throw new CliError(`--tool must be auto or one of ${TOOL_IDS.join(', ')}, got "${value}"`);
}

async function readDocuments(paths: readonly string[], io: CliIo): Promise<ReportDocument[]> {
  if (paths.length === 0) throw new CliError('no report file given');
  const docs: ReportDocument[] = [];
  for (const path of paths) {
    let bytes: Uint8Array;
    try {
      bytes = await io.readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
      throw new ReportError(path, `cannot be read: ${why}`);
    }
    docs.push(readReport(bytes, path));
  }
  return docs;
}

async function convert(paths: readonly string[], values: Values, io: CliIo): Promise<Conversion> {
  const env = io.env;
  const docs = await readDocuments(paths, io);
  return convertDocuments(docs, {
    parsers: ALL_PARSERS,
    tool: toolOption(values.tool),
    scope: {
      ...awsTarget(values, env),
      repository: values.repository ?? repositoryFromUrl(env.CODEBUILD_SOURCE_REPO_URL) ?? 'local-repository',
      branch: values.branch ?? branchFromSourceVersion(env.CODEBUILD_SOURCE_VERSION) ?? 'main',
      commit: values.commit ?? env.CODEBUILD_RESOLVED_SOURCE_VERSION,
      buildId: values['build-id'] ?? env.CODEBUILD_BUILD_ID,
      target: values.target,
      ...(values.category ? { category: values.category } : {}),
      reportUri: paths.length === 1 ? paths[0] : undefined,
    },
    parseOptions: {
      includeCodeSmells: values['include-code-smells'] ?? false,
      serverUrl: values['server-url'],
      qualityRulesAsSecurity: env.SARIF_QUALITY_RULES_AS_SECURITY === 'true',
      sourceRoots: [...(values['source-root'] ?? []), ...(env.CODEBUILD_SRC_DIR ? [env.CODEBUILD_SRC_DIR] : []), process.cwd()],
    },
  });
}

function summaryLine(conversion: Conversion): string {
  const { summary, scope } = conversion;
  const counts = Object.entries(summary.bySeverity)
    .reverse()
    .map(([label, n]) => `${label} ${n}`)
    .join(', ');
  return `${scope.tool}: ${summary.total} finding(s), ${summary.active} active (${counts})`;
}

function failOnOption(value: string | undefined): SeverityLabel {
  if (!value) throw new CliError('gate needs --fail-on LOW|MEDIUM|HIGH|CRITICAL');
  const label = parseSeverityLabel(value);
  if (!label) throw new CliError(`--fail-on must be INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL, got "${value}"`);
  return label;
}

/** Runs one command; returns the exit code. Never throws for bad input. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    const [command, ...files] = positionals;
    if (values.help || !command) {
      io.stdout(`${USAGE}\n`);
      return command || values.help ? 0 : 2;
    }
    switch (command) {
      case 'convert': {
        const conversion = await convert(files, values, io);
        io.stdout(`${JSON.stringify(conversion.findings, null, 2)}\n`);
        io.stderr(`${summaryLine(conversion)}\n`);
        for (const warning of conversion.parsed.warnings) io.stderr(`warning: ${warning}\n`);
        return 0;
      }
      case 'gate': {
        const failOn = failOnOption(values['fail-on']);
        const conversion = await convert(files, values, io);
        const gate = gateFor(conversion.findings, failOn);
        io.stdout(`gate ${gate.passed ? 'passed' : 'FAILED'}: ${gate.blocking} active finding(s) at or above ${failOn}; ${summaryLine(conversion)}\n`);
        return gate.passed ? 0 : 1;
      }
      case 'import': {
        const conversion = await convert(files, values, io);
        const endpoint = values.endpoint ?? io.env.SECURITYHUB_ENDPOINT;
        const client = new SecurityHubClient({ region: conversion.scope.region, ...(endpoint ? { endpoint } : {}) });
        const state = values.state ? ledgerStoreFor(values.state, () => new S3Client({ region: conversion.scope.region })) : undefined;
        const incomplete = [...(values.incomplete ?? []), ...(conversion.parsed.incomplete ?? [])];
        const result = await importFindings({ client, scope: conversion.scope, findings: conversion.findings, incomplete, ...(state ? { ledger: { store: state } } : {}) });
        io.stdout(
          `${JSON.stringify({
            imported: result.imported,
            unchanged: result.unchanged,
            archived: result.archived,
            failed: result.failed,
            apiCalls: result.apiCalls,
            ...(result.archiveSkipped ? { archiveSkipped: result.archiveSkipped } : {}),
            ...(result.ledger ? { ledger: { source: result.ledger.source, written: result.ledger.written, conflicts: result.ledger.conflicts } } : {}),
          })}\n`,
        );
        io.stderr(`${summaryLine(conversion)}\n`);
        return result.failed.length > 0 || result.notSent.length > 0 ? 1 : 0;
      }
      case 'zap-scan':
        return await runZapScanCommand(values, io);
      default:
        throw new CliError(`unknown command "${command}" (convert, gate, import, zap-scan)`);
    }
  } catch (error) {
    if (error instanceof CliError || isReportError(error)) {
      io.stderr(`findings: ${error.message}\n`);
      return 2;
    }
    const err = error as Error & { code?: string };
    if (err?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || err?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || err?.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      io.stderr(`findings: ${err.message}\n`);
      return 2;
    }
    io.stderr(`findings: ${err?.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err?.message ?? String(error)}\n`);
    return 1;
  }
}

export async function defaultReadFile(path: string): Promise<Uint8Array> {
  return readFile(path);
}
