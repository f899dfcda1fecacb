/**
 * `npm run bench`: figures as ratios taken in one run, printed as tables.
 *   --size MB         size of each generated report (default 50)
 *   --imports LIST    import sizes, comma-separated (default 1000,10000,50000)
 *   --only convert|import|ledger|store|cold-start|stream|stream-json  (stream: Dependency-Check, then SARIF and ZAP JSON)
 *   --ledger N        findings of the ledger rows (default 10000)
 *   --stream-sizes LIST  streamed Dependency-Check JSON sizes in MB (default 50,250,1024); reports are generated
 *                        once into tmp/bench/ and reused
 *   --xml-sizes LIST     streamed Dependency-Check XML sizes in MB (default 50,250)
 *   --stream-json-sizes LIST  streamed SARIF and ZAP JSON sizes in MB (default 50,250), generated and reused alike
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { FIELD, buildFinding, type AwsSecurityFinding, type ScanScope } from '@devsecops/asff';
import { encodeLedger, importFindings, ledgerKey, newLedger, s3LedgerStore, stateOf, type ImportResult } from '@devsecops/securityhub';
import { startSecurityHubLocal } from '@devsecops/securityhub-local';
import { LOCAL_S3_CREDENTIALS, startLocalS3 } from '@devsecops/test-support';
import { coldStartTable, LAMBDAS } from './cold-start';
import { GENERATORS, PARSER_OF, writeLargeDependencyCheckJson, writeLargeSarif, writeLargeZapJson, type GeneratedTool, type LargeReport } from './generate';

const root = resolve(__dirname, '../../..');
const { values } = parseArgs({
  options: {
    'stream-sizes': { type: 'string', default: '50,250,1024' },
    'xml-sizes': { type: 'string', default: '50,250' },
    'stream-json-sizes': { type: 'string', default: '50,250' },
    size: { type: 'string', default: '50' },
    imports: { type: 'string', default: '1000,10000,50000' },
    ledger: { type: 'string', default: '10000' },
    only: { type: 'string' },
    scale: { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const sizeMb = Number(values.size);
const out = (text = '') => process.stdout.write(`${text}\n`);
const MB = 1024 * 1024;

function worker(tool: string, file: string, mode: 'parse' | 'convert' | 'both') {
  const result = spawnSync(join(root, 'node_modules/.bin/tsx'), ['--tsconfig', join(root, 'tsconfig.base.json'), join(__dirname, 'convert-worker.ts'), tool, file, mode], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 * MB,
    env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192' },
  });
  if (result.status !== 0) throw new Error(`convert-worker ${tool} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { parseMs?: number; convertMs?: number; findings: number; maxRssBytes: number };
}

async function convertBench(): Promise<void> {
  const dir = join(root, 'tmp/bench');
  mkdirSync(dir, { recursive: true });
  out(`\n## Conversion of generated ${sizeMb} MB reports (median of 3, one process per tool)`);
  out('| report | MB | findings | bare parse ms (JSON.parse / XML parser) | convert ms | ratio | peak RSS MB (convert) | ×report | peak RSS MB (bare parse) | ×report |');
  out('|---|---|---|---|---|---|---|---|---|---|');
  for (const tool of Object.keys(GENERATORS) as GeneratedTool[]) {
    const { text } = GENERATORS[tool](sizeMb * MB);
    const file = join(dir, tool.endsWith('-xml') ? `${tool}.xml` : `${tool}.json`);
    writeFileSync(file, text);
    const bytes = Buffer.byteLength(text);
    const parser = PARSER_OF[tool];
    const timing = worker(parser, file, 'both');
    const convertMem = worker(parser, file, 'convert');
    const parseMem = worker(parser, file, 'parse');
    out(
      `| ${tool} | ${(bytes / MB).toFixed(1)} | ${timing.findings} | ${timing.parseMs!.toFixed(0)} | ${timing.convertMs!.toFixed(0)} | ${(timing.convertMs! / timing.parseMs!).toFixed(2)}× | ` +
        `${(convertMem.maxRssBytes / MB).toFixed(0)} | ${(convertMem.maxRssBytes / bytes).toFixed(1)} | ${(parseMem.maxRssBytes / MB).toFixed(0)} | ${(parseMem.maxRssBytes / bytes).toFixed(1)} |`,
    );
    if (tool === 'dependency-check') {
      // The same report through the streaming reader (what a report above streamFrom, 64 MiB, takes), read from the file.
      const streamed = await streamWorker('convert', file);
      out(
        `| ${tool} streamed (readReportStream) | ${(bytes / MB).toFixed(1)} | ${streamed.findings} | ${timing.parseMs!.toFixed(0)} | ${streamed.ms.toFixed(0)} | ${(streamed.ms / timing.parseMs!).toFixed(2)}× | ` +
          `${(streamed.maxRssBytes / MB).toFixed(0)} | ${(streamed.maxRssBytes / bytes).toFixed(1)} | | |`,
      );
    }
  }
}

function scaleBench(): void {
  out(`\n## How cost grows (Dependency-Check JSON; time and peak RSS per size)`);
  out('| size | report MB | findings | convert ms | ms per MB | peak RSS MB | RSS ÷ report |');
  out('|---|---|---|---|---|---|---|');
  const dir = join(root, 'tmp/bench');
  const base = Math.max(1, Math.round(sizeMb / 16));
  for (const factor of [1, 4, 16]) {
    const { text } = GENERATORS['dependency-check'](base * factor * MB);
    const file = join(dir, `scale-${factor}.json`);
    writeFileSync(file, text);
    const bytes = Buffer.byteLength(text);
    const r = worker('dependency-check', file, 'convert');
    out(`| ${factor}× | ${(bytes / MB).toFixed(1)} | ${r.findings} | ${r.convertMs!.toFixed(0)} | ${(r.convertMs! / (bytes / MB)).toFixed(1)} | ${(r.maxRssBytes / MB).toFixed(0)} | ${(r.maxRssBytes / bytes).toFixed(1)} |`);
  }
}

/** Runs stream-worker.ts in a child process; asynchronously, so securityhub-local in this process keeps serving. */
async function streamWorker(mode: 'convert' | 'memory' | 'ingest', file: string, endpoint?: string) {
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['--tsconfig', join(root, 'tsconfig.base.json'), join(__dirname, 'stream-worker.ts'), mode, file, ...(endpoint ? [endpoint] : [])], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolveExit) => child.on('close', resolveExit));
  if (code !== 0) throw new Error(`stream-worker ${mode} failed: ${stderr}`);
  return JSON.parse(stdout) as { ms: number; findings: number; imported?: number; maxRssBytes: number };
}

/** A large generated report of about `mb` MB in tmp/bench, generated once and reused (with its counts). */
function cachedReport<T extends object>(name: string, mb: number, write: (file: string, bytes: number) => T): T & { file: string } {
  const dir = join(root, 'tmp/bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-large-${mb}mb.${name === 'sarif' ? 'sarif' : 'json'}`);
  const meta = `${file}.meta.json`;
  if (existsSync(file) && existsSync(meta)) return { file, ...(JSON.parse(readFileSync(meta, 'utf8')) as T) };
  const counts = write(file, mb * MB);
  writeFileSync(meta, JSON.stringify(counts));
  return { file, ...counts };
}

function largeReport(mb: number): { file: string; bytes: number; dependencies: number; findings: number } {
  return cachedReport('dependency-check', mb, writeLargeDependencyCheckJson);
}

const LARGE_JSON: ReadonlyArray<{ name: string; write: (file: string, bytes: number) => LargeReport; items: string }> = [
  { name: 'sarif', write: writeLargeSarif, items: 'results (each with a 40-step codeFlow)' },
  { name: 'zap', write: writeLargeZapJson, items: 'alerts (60 instances each)' },
];

/**
 * SARIF (CodeQL-like: rules first, a data flow on every result) and ZAP JSON (alerts of 60 instances) of each
 * size, converted as a stream, peak RSS per size; at 50 MB also in memory, and the ratio of the two.
 */
async function streamJsonBench(): Promise<void> {
  const sizes = values['stream-json-sizes']!.split(',').map(Number).filter((n) => n > 0);
  out('\n## Reports of any size: SARIF and ZAP JSON (streamed: readReportStream, one process each)');
  out('| report | MB | entries | findings | path | ms | peak RSS MB | RSS ÷ report | in memory ÷ streamed (ms, RSS) |');
  out('|---|---|---|---|---|---|---|---|---|');
  for (const { name, write, items } of LARGE_JSON) {
    for (const mb of sizes) {
      const report = cachedReport(name, mb, write);
      const streamed = await streamWorker('convert', report.file);
      const row = (path: string, r: { ms: number; maxRssBytes: number; findings: number }, ratio = '') => {
        if (r.findings !== report.findings) throw new Error(`${name} ${mb} MB: ${r.findings} findings, expected ${report.findings}`);
        out(`| ${name} | ${(report.bytes / MB).toFixed(0)} | ${report.items} ${items} | ${r.findings} | ${path} | ${r.ms.toFixed(0)} | ${(r.maxRssBytes / MB).toFixed(0)} | ${(r.maxRssBytes / report.bytes).toFixed(2)} | ${ratio} |`);
      };
      row('streamed convert', streamed);
      if (report.bytes <= 64 * MB) {
        const memory = await streamWorker('memory', report.file);
        row('in memory (readReport)', memory, `${(memory.ms / streamed.ms).toFixed(2)}×, ${(memory.maxRssBytes / streamed.maxRssBytes).toFixed(2)}×`);
      }
    }
  }
}

/**
 * Reports of any size: large Dependency-Check JSON (evidence on every dependency, a vulnerability on one in 30)
 * converted as a stream, peak RSS per size; the 50 MB one also in memory (readReport) for comparison; the largest
 * imported through the parser Lambda's code (ingestScan) into securityhub-local at the real quotas.
 */
async function streamBench(): Promise<void> {
  const sizes = values['stream-sizes']!.split(',').map(Number).filter((n) => n > 0);
  out('\n## Reports of any size (Dependency-Check JSON with evidence; streamed: readReportStream, one process each)');
  out('| report MB | dependencies | findings | path | ms | MB per s | peak RSS MB | RSS ÷ report |');
  out('|---|---|---|---|---|---|---|---|');
  for (const mb of sizes) {
    const report = largeReport(mb);
    const row = (path: string, r: { ms: number; maxRssBytes: number }) =>
      out(`| ${(report.bytes / MB).toFixed(0)} | ${report.dependencies} | ${report.findings} | ${path} | ${r.ms.toFixed(0)} | ${(report.bytes / MB / (r.ms / 1000)).toFixed(1)} | ${(r.maxRssBytes / MB).toFixed(0)} | ${(r.maxRssBytes / report.bytes).toFixed(2)} |`);
    row('streamed convert', await streamWorker('convert', report.file));
    if (report.bytes <= 64 * MB) row('in memory (readReport)', await streamWorker('memory', report.file));
  }
  for (const mb of values['xml-sizes']!.split(',').map(Number).filter((n) => n > 0)) {
    const report = largeXmlReport(mb);
    const row = (path: string, r: { ms: number; maxRssBytes: number; findings: number }) =>
      out(`| ${(report.bytes / MB).toFixed(0)} (DC XML) | | ${r.findings} | ${path} | ${r.ms.toFixed(0)} | ${(report.bytes / MB / (r.ms / 1000)).toFixed(1)} | ${(r.maxRssBytes / MB).toFixed(0)} | ${(r.maxRssBytes / report.bytes).toFixed(2)} |`);
    row('streamed convert (saxes boundaries, fast-xml-parser per dependency)', await streamWorker('convert', report.file));
    if (report.bytes <= 64 * MB) row('in memory (readReport, fast-xml-parser)', await streamWorker('memory', report.file));
  }
  const largest = largeReport(Math.max(...sizes));
  const hub = await startSecurityHubLocal({ port: 0, throttling: true });
  try {
    const r = await streamWorker('ingest', largest.file, hub.endpoint);
    out(`| ${(largest.bytes / MB).toFixed(0)} | ${largest.dependencies} | ${r.findings} | parser Lambda code (ingestScan, S3 body stream → securityhub-local, ${r.imported} imported) | ${r.ms.toFixed(0)} | ${(largest.bytes / MB / (r.ms / 1000)).toFixed(1)} | ${(r.maxRssBytes / MB).toFixed(0)} | ${(r.maxRssBytes / largest.bytes).toFixed(2)} |`);
  } finally {
    await hub.close();
  }
}

/** A Dependency-Check XML of about `mb` MB in tmp/bench (the convert bench's generator), generated once and reused. */
function largeXmlReport(mb: number): { file: string; bytes: number } {
  const dir = join(root, 'tmp/bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `dependency-check-large-${mb}mb.xml`);
  if (!existsSync(file)) writeFileSync(file, GENERATORS['dependency-check-xml'](mb * MB).text);
  return { file, bytes: statSync(file).size };
}

/** Seconds the quota itself needs for n calls: a full burst, then the steady rate. */
function quotaSeconds(calls: number, rps: number, burst: number): number {
  return Math.max(0, calls - burst) / rps;
}

function syntheticFindings(n: number, scope: ScanScope): AwsSecurityFinding[] {
  const now = new Date().toISOString();
  return Array.from({ length: n }, (_, i) =>
    buildFinding(
      {
        ruleId: `CVE-2026-${10000 + i}`,
        location: `pkg:npm/package-${i}@1.0.${i % 10}`,
        title: `package-${i}@1.0.${i % 10}: CVE-2026-${10000 + i}`,
        description: `A vulnerability in package-${i} lets a remote attacker cause a denial of service. `.repeat(4),
        severity: { label: (['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const)[i % 4]!, original: String((i % 10) + 0.5) },
        resources: [{ Type: 'Other', Id: `pkg:npm/package-${i}@1.0.${i % 10}` }],
        vulnerabilities: [{ Id: `CVE-2026-${10000 + i}`, VulnerablePackages: [{ Name: `package-${i}`, Version: `1.0.${i % 10}`, PackageManager: 'npm' }] }],
      },
      scope,
      now,
    ),
  );
}

async function importBench(): Promise<void> {
  const sizes = values.imports!.split(',').map(Number).filter((n) => n > 0);
  out('\n## Import into securityhub-local at the real quotas (import 10 rps burst 30, GetFindings 3 rps burst 6)');
  out('| findings | import calls | GetFindings calls | calls per finding | wall s | quota minimum s | wall ÷ quota | imported | failed |');
  out('|---|---|---|---|---|---|---|---|---|');
  for (const n of sizes) {
    const hub = await startSecurityHubLocal({ port: 0, throttling: true });
    try {
      const client = new SecurityHubClient({ endpoint: hub.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
      const scope: ScanScope = { tool: 'bench', repository: `bench/repo-${n}`, branch: 'main', awsAccountId: '123456789012', region: 'us-east-1', partition: 'aws' };
      const findings = syntheticFindings(n, scope);
      const start = performance.now();
      const result = await importFindings({ client, scope, findings });
      const wall = (performance.now() - start) / 1000;
      const importCalls = result.callsByOperation.BatchImportFindings ?? 0;
      const getCalls = result.callsByOperation.GetFindings ?? 0;
      const quota = quotaSeconds(importCalls, 10, 30) + quotaSeconds(getCalls, 3, 6);
      const stored = hub.findings().length;
      out(
        `| ${n} | ${importCalls} | ${getCalls} | ${(result.apiCalls / n).toFixed(4)} | ${wall.toFixed(2)} | ${quota.toFixed(2)} | ${quota > 0 ? (wall / quota).toFixed(2) : 'n/a'}× | ${result.imported} (stored ${stored}) | ${result.failed.length} |`,
      );
    } finally {
      await hub.close();
    }
  }
}

function callsText(result: ImportResult): string {
  return Object.entries(result.callsByOperation)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
}

/**
 * The ledger against today's read-back, in one run: an unchanged re-scan and a 1 %-changed re-scan of the same
 * scope, into securityhub-local at the real quotas with the ledger in s3rver (conditional writes). Then quota
 * sharing: five concurrent imports with rateShare 1/5 against the quota floor.
 */
async function ledgerBench(): Promise<void> {
  const n = Number(values.ledger);
  const hub = await startSecurityHubLocal({ port: 0, throttling: true });
  const s3server = await startLocalS3(['bench-reports']);
  try {
    const client = new SecurityHubClient({ endpoint: hub.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    const s3 = new S3Client({ endpoint: s3server.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: LOCAL_S3_CREDENTIALS });
    const store = s3LedgerStore({ s3, bucket: 'bench-reports', prefix: 'state/' });
    const scope: ScanScope = { tool: 'bench', repository: `bench/ledger-${n}`, branch: 'main', awsAccountId: '123456789012', region: 'us-east-1', partition: 'aws' };
    const buildStart = performance.now();
    const findings = syntheticFindings(n, scope);
    const buildSeconds = (performance.now() - buildStart) / 1000;
    hub.importFindings(findings); // in-process seed: the scope as an earlier build left it
    out(`\n## Re-scan of ${n.toLocaleString('en-US')} findings: today's read-back vs the ledger (securityhub-local at the real quotas, ledger in s3rver)`);
    out(`Building the ${n.toLocaleString('en-US')} findings (the conversion's share) took ${buildSeconds.toFixed(2)} s, not included below.`);
    out('| re-scan | how | AWS calls | calls by operation | wall s | imported | unchanged | failed |');
    out('|---|---|---|---|---|---|---|---|');
    const row = (what: string, how: string, result: ImportResult, seconds: number) =>
      out(`| ${what} | ${how} | ${result.apiCalls} | ${callsText(result)} | ${seconds.toFixed(2)} | ${result.imported} | ${result.unchanged} | ${result.failed.length} |`);
    const timed = async (run: () => Promise<ImportResult>) => {
      const start = performance.now();
      const result = await run();
      return { result, seconds: (performance.now() - start) / 1000 };
    };

    const readBack = await timed(() => importFindings({ client, scope, findings }));
    row('unchanged', "today's read-back (no ledger)", readBack.result, readBack.seconds);
    // The ledger as a first ledger run would have rebuilt it (that rebuild is one read-back pass, as above).
    await store.write(ledgerKey(scope), encodeLedger(newLedger(scope, hub.findings().map(stateOf), new Date(), new Date().toISOString())), undefined);
    const unchanged = await timed(() => importFindings({ client, scope, findings, ledger: { store } }));
    row('unchanged', 'ledger + decisions read-back (default)', unchanged.result, unchanged.seconds);
    const trusting = await timed(() => importFindings({ client, scope, findings, ledger: { store, decisions: 'ledger' } }));
    row('unchanged', 'ledger, decisions from the ledger', trusting.result, trusting.seconds);
    const changed = findings.map((f, i) => (i % 100 === 0 ? { ...f, ProductFields: { ...f.ProductFields, [FIELD.contentHash]: `changed-${Date.now()}-${i}` } } : f));
    const onePercent = await timed(() => importFindings({ client, scope, findings: changed, ledger: { store, decisions: 'ledger' } }));
    row('1 % changed', 'ledger, decisions from the ledger', onePercent.result, onePercent.seconds);
    const changedAgain = changed.map((f, i) => (i % 100 === 1 ? { ...f, ProductFields: { ...f.ProductFields, [FIELD.contentHash]: `changed-again-${i}` } } : f));
    const onePercentDefault = await timed(() => importFindings({ client, scope, findings: changedAgain, ledger: { store } }));
    row('1 % changed', 'ledger + decisions read-back (default)', onePercentDefault.result, onePercentDefault.seconds);
    out(`Unchanged re-scan: ledger ÷ read-back wall time = ${(unchanged.seconds / readBack.seconds).toFixed(3)}, calls ${unchanged.result.apiCalls} vs ${readBack.result.apiCalls}.`);

    // Quota sharing: five parser invocations at once in one account.
    hub.reset();
    const shareN = 5;
    const perImport = 5_000;
    const scopes = Array.from({ length: shareN }, (_, i) => ({ ...scope, repository: `bench/share-${i}` }));
    const inputs = scopes.map((s) => syntheticFindings(perImport, s));
    const start = performance.now();
    const results = await Promise.all(inputs.map((input, i) => importFindings({ client, scope: scopes[i]!, findings: input, rateShare: 1 / shareN })));
    const wall = (performance.now() - start) / 1000;
    const importCalls = results.reduce((sum, r) => sum + (r.callsByOperation.BatchImportFindings ?? 0), 0);
    const floor = quotaSeconds(importCalls, 10, 30);
    out(`\n## Quota sharing: ${shareN} concurrent imports of ${perImport.toLocaleString('en-US')} findings, rateShare 1/${shareN}, into one securityhub-local at the real quotas`);
    out('| imports | import calls | wall s | quota floor s | wall ÷ floor | throttled | failed | stored |');
    out('|---|---|---|---|---|---|---|---|');
    out(
      `| ${shareN} | ${importCalls} | ${wall.toFixed(2)} | ${floor.toFixed(2)} | ${(wall / floor).toFixed(2)}× | ${results.reduce((s, r) => s + r.throttled, 0)} | ${results.reduce((s, r) => s + r.failed.length, 0)} | ${hub.findings().length} |`,
    );
  } finally {
    await hub.close();
    await s3server.close();
  }
}

/**
 * securityhub-local's store at 50,000 findings over 10 scopes: the first GetFindings page of one scope (a query by
 * index) and a Title PREFIX filter that scans every finding, each against the time of one page of an empty store
 * (HTTP and SDK overhead), so the ratio says what the store itself costs. These were timed assertions in its tests.
 */
async function storeBench(): Promise<void> {
  const count = 50_000;
  out(`\n## securityhub-local store at ${count} findings (median of 5)`);
  out('| query | ms | ÷ empty-store page |');
  out('|---|---|---|');
  const hub = await startSecurityHubLocal({ port: 0, throttling: false });
  try {
    const client = new SecurityHubClient({ endpoint: hub.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    const median = async (run: () => Promise<unknown>): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const start = performance.now();
        await run();
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b)[2]!;
    };
    const scopeFilter = (repository: string) => ({
      ProductFields: [
        { Key: FIELD.tool, Value: 'bench', Comparison: 'EQUALS' as const },
        { Key: FIELD.repository, Value: repository, Comparison: 'EQUALS' as const },
      ],
    });
    const empty = await median(() => client.send(new GetFindingsCommand({ Filters: scopeFilter('bench/none') })));
    for (let r = 0; r < 10; r += 1) {
      const scope: ScanScope = { tool: 'bench', repository: `bench/store-${r}`, branch: 'main', awsAccountId: '123456789012', region: 'us-east-1', partition: 'aws' };
      hub.importFindings(syntheticFindings(count / 10, scope));
    }
    const firstPage = await median(() => client.send(new GetFindingsCommand({ Filters: scopeFilter('bench/store-3') })));
    const scan = await median(() => client.send(new GetFindingsCommand({ Filters: { Title: [{ Value: 'package-4999@', Comparison: 'PREFIX' }] } })));
    out(`| first page of one scope (index) | ${firstPage.toFixed(1)} | ${(firstPage / empty).toFixed(1)}× |`);
    out(`| Title PREFIX (full scan) | ${scan.toFixed(1)} | ${(scan / empty).toFixed(1)}× |`);
    client.destroy();
  } finally {
    await hub.close();
  }
}

async function main(): Promise<void> {
  out(`# devsecops-pipeline benchmarks (${new Date().toISOString()}, node ${process.version}, ${process.platform}/${process.arch})`);
  if (!values.only || values.only === 'convert') {
    await convertBench();
    if (values.scale) scaleBench();
  }
  if (!values.only || values.only === 'stream') await streamBench();
  if (!values.only || values.only === 'stream' || values.only === 'stream-json') await streamJsonBench();
  if (!values.only || values.only === 'import') await importBench();
  if (!values.only || values.only === 'ledger') await ledgerBench();
  if (!values.only || values.only === 'store') await storeBench();
  if (!values.only || values.only === 'cold-start') {
    const build = spawnSync(join(root, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '-p', LAMBDAS.join(','), '--outputStyle=static'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    if (build.status !== 0) throw new Error('building the Lambda bundles failed');
    for (const line of coldStartTable(root)) out(line);
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
