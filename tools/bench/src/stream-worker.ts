/**
 * Measures the streaming path on one report in a fresh process, so peak RSS belongs to this work alone:
 *   stream-worker convert <file>            readReportStream → its parser (Dependency-Check, SARIF, ZAP) → ASFF findings
 *   stream-worker memory <file>             the in-memory path (readReport of the whole file), for comparison
 *   stream-worker ingest <file> <endpoint>  the parser Lambda's code (ingestScan): S3 GetObject body as a stream
 *                                           (a mocked S3 client serving the file), import into securityhub-local
 * Prints JSON: { ms, findings, maxRssBytes, imported? }.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { buildFindings, type ScanScope } from '@devsecops/asff';
import { dependencyCheckParser } from '@devsecops/parser-dependency-check';
import { sarifParser } from '@devsecops/parser-sarif';
import { zapParser } from '@devsecops/parser-zap';
import { readReport, readReportStream, selectParser } from '@devsecops/report-input';
import { ingestScan } from '@devsecops/scan-ingest';
import { mockClient } from 'aws-sdk-client-mock';

const scope: ScanScope = { tool: 'bench', repository: 'bench/large', branch: 'main', commit: 'c', awsAccountId: '123456789012', region: 'us-east-1', partition: 'aws' };
const NOW = '2026-11-22T00:00:00.000Z';
const [mode, file, endpoint] = process.argv.slice(2);
/** Detected as the CLI does (`--tool auto`). */
const PARSERS = [dependencyCheckParser, sarifParser, zapParser];
if (!mode || !file) {
  console.error('usage: stream-worker convert|memory|ingest <file> [endpoint]');
  process.exit(2);
}

async function run(): Promise<Record<string, number>> {
  if (mode === 'convert') {
    const read = await readReportStream(createReadStream(file!, { highWaterMark: 1 << 20 }), file!, { parsers: PARSERS, streamFrom: 0 });
    if (read.kind !== 'streamed') throw new Error('the report was not streamed');
    return { findings: buildFindings(read.parsed, { ...scope, tool: read.parsed.tool }, NOW).length };
  }
  if (mode === 'memory') {
    const doc = readReport(readFileSync(file!), file!);
    const parsed = selectParser(doc, PARSERS).parse(doc);
    return { findings: buildFindings(parsed, { ...scope, tool: parsed.tool }, NOW).length };
  }
  const s3 = new S3Client({ region: 'us-east-1' });
  mockClient(s3)
    .on(GetObjectCommand)
    .callsFake(() => ({ Body: createReadStream(file!, { highWaterMark: 1 << 20 }), ContentLength: statSync(file!).size }));
  const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const response = await ingestScan(
    { origin: 'direct', tool: 'dependency-check', repository: scope.repository, branch: 'main', commit: 'c', buildId: 'bench:1', report: { kind: 's3', bucket: 'reports', key: 'large.json' } } as never,
    {
      s3,
      securityHub: new SecurityHubClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } }),
      target: { awsAccountId: scope.awsAccountId, region: scope.region, partition: scope.partition },
      parsers: [dependencyCheckParser],
      logger: silent as never,
      defaultFailOn: 'NONE',
    },
  );
  if (response.status !== 'ok') throw new Error(`import incomplete: ${JSON.stringify(response).slice(0, 500)}`);
  return { findings: response.total, imported: response.imported };
}

const start = performance.now();
run().then(
  (result) => process.stdout.write(JSON.stringify({ ...result, ms: performance.now() - start, maxRssBytes: process.resourceUsage().maxRSS * 1024 })),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
