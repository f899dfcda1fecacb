/**
 * `npm start`: one local run of the scan → Security Hub path, with the same bundles CDK deploys.
 * Builds the Lambda bundles, starts securityhub-local (persisted under tmp/, so a second run sees the first),
 * invokes the bundled SCA parser with the event CodeBuild sends, and prints what Security Hub now shows.
 *   npm start               the sample application as it is
 *   npm start -- --fixed    the next build, where lodash was upgraded: its findings are archived
 *   npm start -- --reset    forget what earlier runs imported
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { FIELD, SEVERITY_LABELS, type SeverityLabel } from '@devsecops/asff';
import { startSecurityHubLocal } from '@devsecops/securityhub-local';

const root = resolve(__dirname, '../..');
const args = new Set(process.argv.slice(2));
const fixed = args.has('--fixed');
const stateDir = join(root, 'tmp/local-pipeline');
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

const say = (text = '') => process.stdout.write(`${text}\n`);
const step = (text: string) => say(`\n▶ ${text}`);

function build(): void {
  step('Building the Lambda bundles (nx, cached)');
  const result = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'sca-parser', '--outputStyle=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
  });
  if (result.status !== 0) throw new Error('the build failed (run `npx nx run sca-parser:build` to see why)');
  say('  dist/apps/sca-parser/main.mjs');
}

async function invokeBundledLambda(app: string, event: unknown): Promise<Record<string, unknown>> {
  const bundle = join(root, 'dist/apps', app, 'main.mjs');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing`);
  const module = (await import(pathToFileURL(bundle).href)) as { handler: (e: unknown, c: unknown) => Promise<Record<string, unknown>> };
  const context = {
    functionName: app,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${app}`,
    memoryLimitInMB: '1024',
    awsRequestId: `local-${Date.now()}`,
    logGroupName: `/aws/lambda/${app}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 300_000,
  };
  return module.handler(event, context);
}

async function activeFindings(client: SecurityHubClient): Promise<AwsSecurityFinding[]> {
  const all: AwsSecurityFinding[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new GetFindingsCommand({
        Filters: { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }], ProductFields: [{ Key: FIELD.repository, Value: 'hospital/patient-portal', Comparison: 'EQUALS' }] },
        MaxResults: 100,
        NextToken,
      }),
    );
    all.push(...(page.Findings ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

function labelOf(f: AwsSecurityFinding): SeverityLabel {
  return (f.FindingProviderFields?.Severity?.Label ?? f.Severity?.Label ?? 'INFORMATIONAL') as SeverityLabel;
}

function printSecurityHub(findings: AwsSecurityFinding[]): void {
  step('What Security Hub shows (ACTIVE findings)');
  const byTool = new Map<string, Record<SeverityLabel, number>>();
  for (const f of findings) {
    const tool = f.ProductFields?.[FIELD.tool] ?? 'unknown';
    const counts = byTool.get(tool) ?? { INFORMATIONAL: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };
    counts[labelOf(f)] += 1;
    byTool.set(tool, counts);
  }
  const labels = [...SEVERITY_LABELS].reverse();
  say(`  ${'tool'.padEnd(18)}${labels.map((l) => l.padStart(14)).join('')}${'total'.padStart(8)}`);
  for (const [tool, counts] of byTool) {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    say(`  ${tool.padEnd(18)}${labels.map((l) => String(counts[l]).padStart(14)).join('')}${String(total).padStart(8)}`);
  }
  say('\n  Top findings');
  const rank = (f: AwsSecurityFinding) => SEVERITY_LABELS.indexOf(labelOf(f));
  const top = [...findings].sort((a, b) => rank(b) - rank(a) || (a.Title ?? '').localeCompare(b.Title ?? '')).slice(0, 10);
  for (const f of top) {
    const vuln = f.Vulnerabilities?.[0];
    const pkg = vuln?.VulnerablePackages?.[0];
    const fixedIn = pkg?.FixedInVersion ? `fixed in ${pkg.FixedInVersion}` : 'no fixed version known';
    say(`  ${labelOf(f).padEnd(9)} ${(vuln?.Id ?? f.GeneratorId ?? '').padEnd(16)} ${(pkg ? `${pkg.Name}@${pkg.Version}` : (f.Title ?? '')).padEnd(48)} ${fixedIn}`);
  }
}

async function main(): Promise<void> {
  if (args.has('--reset')) rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  build();

  step('Starting securityhub-local (real quotas: import 10 rps burst 30, GetFindings 3 rps burst 6)');
  const hub = await startSecurityHubLocal({ port: 0, persistPath: join(stateDir, 'securityhub.json'), accountId: ACCOUNT });
  say(`  ${hub.endpoint}  (store: tmp/local-pipeline/securityhub.json)`);
  Object.assign(process.env, {
    SECURITYHUB_ENDPOINT: hub.endpoint,
    AWS_ACCOUNT_ID: ACCOUNT,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    GATE_FAIL_ON: 'CRITICAL',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  try {
    const sample = fixed ? 'patient-portal-fixed' : 'patient-portal';
    const reportPath = join(root, 'samples', sample, 'dependency-check-report.json');
    step(`SCA: invoking the bundled sca-parser Lambda with samples/${sample}/dependency-check-report.json`);
    const response = await invokeBundledLambda('sca-parser', {
      tool: 'dependency-check',
      repository: 'hospital/patient-portal',
      branch: 'main',
      commit: fixed ? 'b7e1c0de00000000000000000000000000000002' : 'a11ce0de00000000000000000000000000000001',
      buildId: `patient-portal-sca:${fixed ? 'run-2' : 'run-1'}`,
      report: JSON.parse(readFileSync(reportPath, 'utf8')),
    });
    const r = response as Record<string, unknown> & { gate: { failOn: string; passed: boolean; blocking: number }; failed: unknown[]; warnings: string[] };
    say(`  ${r.total} findings (${r.active} active): imported ${r.imported}, unchanged ${r.unchanged}, archived ${r.archived}, failed ${r.failed.length}, API calls ${r.apiCalls}`);
    for (const warning of r.warnings) say(`  note: ${warning}`);
    say(`  gate (fail on ${r.gate.failOn}): ${r.gate.passed ? 'passed' : `FAILED, ${r.gate.blocking} blocking finding(s)`} — in CodeBuild this stops the pipeline`);

    const client = new SecurityHubClient({ endpoint: hub.endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    printSecurityHub(await activeFindings(client));
    say(`\nRun it again: the counts stay the same (unchanged findings are not re-imported).`);
    say(fixed ? 'This was the fixed build: the lodash findings were archived.' : 'Then `npm start -- --fixed`: lodash was upgraded, and its findings are archived.');
  } finally {
    await hub.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`npm start failed: ${error.message}\n`);
  process.exitCode = 1;
});
