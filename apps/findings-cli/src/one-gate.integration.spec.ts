/**
 * The CLI, the parser Lambdas and the approval notifier give the same verdict on the same findings and decisions:
 * one Security Hub (securityhub-local), one decision taken there, one suppressions file.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BatchUpdateFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ApprovalPolicySchema, evaluatePolicy, readRevisionFindings, revisionGate, summarizeRevision } from '@devsecops/approval';
import { dependencyCheckParser } from '@devsecops/parser-dependency-check';
import { scanEventSchema } from '@devsecops/scan-ingest';
import { createScanFunction } from '@devsecops/scan-ingest/lambda';
import { createRateLimiter } from '@devsecops/securityhub';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { lambdaContext, workspaceRoot } from '@devsecops/test-support';
import { runCli, type CliIo } from './cli';

jest.setTimeout(60_000);

const REPORT = join(workspaceRoot, 'samples/patient-portal/dependency-check-report.json');
const COMMIT = '5f2c8e1d9a7b3c4e6f8091a2b3c4d5e6f7a8b9c0';
const SUPPRESSIONS = 'suppressions:\n  - cve: CVE-2021-23337\n    package: pkg:npm/lodash\n    reason: template() never sees user input\n    owner: jane@example.org\n    expires: 2099-01-01\n';
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1', AWS_ACCOUNT_ID: '111122223333' };

let hub: SecurityHubLocal;
beforeAll(async () => {
  hub = await startSecurityHubLocal({ port: 0, accountId: '111122223333' });
});
afterAll(() => hub.close());

async function cli(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: () => undefined, env: CREDENTIALS, readFile: async (p) => (p === 'suppressions.yaml' ? Buffer.from(SUPPRESSIONS) : readFile(p)) };
  return { code: await runCli(argv, io), stdout };
}

const verdictOf = (gate: { passed: boolean; blocking: number; findings: { id: string }[]; suppressed: { id: string }[] }) => ({
  passed: gate.passed,
  blocking: gate.blocking,
  blockingIds: gate.findings.map((f) => f.id).sort(),
  suppressedIds: gate.suppressed.map((f) => f.id).sort(),
});

it('CLI import --fail-on, the sca-parser worker and the approval policy agree', async () => {
  const scope = ['--endpoint', hub.endpoint, '--repository', 'hospital/portal', '--branch', 'main', '--commit', COMMIT];
  // A first scan, then a security engineer suppresses jackson-databind's finding in the console.
  const first = await cli(['import', REPORT, ...scope, '--fail-on', 'HIGH', '--suppressions', 'suppressions.yaml', '--json']);
  const jackson = JSON.parse(first.stdout).gate.findings.find((f: { rule: string }) => f.rule === 'CVE-2020-36518');
  const client = new SecurityHubClient({ endpoint: hub.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  const held = hub.findings().find((f) => f.Id === jackson.id)!;
  await client.send(
    new BatchUpdateFindingsCommand({ FindingIdentifiers: [{ Id: held.Id, ProductArn: held.ProductArn }], Workflow: { Status: 'SUPPRESSED' }, Note: { Text: 'Not reachable', UpdatedBy: 'alice' } }),
  );

  // 1. The CLI.
  const fromCli = JSON.parse((await cli(['import', REPORT, ...scope, '--fail-on', 'HIGH', '--suppressions', 'suppressions.yaml', '--json'])).stdout).gate;

  // 2. The parser Lambda's worker, with the same suppressions inline in the event.
  const fn = createScanFunction({ serviceName: 'sca-parser', parsers: [dependencyCheckParser], env: { ...CREDENTIALS, SECURITYHUB_ENDPOINT: hub.endpoint, POWERTOOLS_LOG_LEVEL: 'SILENT' } });
  const event = {
    tool: 'dependency-check',
    repository: 'hospital/portal',
    branch: 'main',
    commit: COMMIT,
    report: JSON.parse(await readFile(REPORT, 'utf8')),
    failOn: 'HIGH',
    gate: { suppressions: [{ name: 'suppressions.yaml', content: SUPPRESSIONS }] },
  };
  const response = await fn.processScan(scanEventSchema().parse(event), lambdaContext('sca-parser'));
  if (!('gate' in response)) throw new Error('ignored');
  const fromLambda = response.gate;

  // 3. The approval notifier's policy over what Security Hub now holds for the commit.
  const target = { awsAccountId: '111122223333', region: 'us-east-1', partition: 'aws' as const };
  const read = await readRevisionFindings(client, { repository: 'hospital/portal', branch: 'main', commit: COMMIT }, target, {
    limiter: createRateLimiter({ ratePerSecond: 100, burst: 100 }, Date.now, (ms) => new Promise((r) => setTimeout(r, ms))),
    maxPages: 10,
  });
  const policy = ApprovalPolicySchema.parse({ maxActive: {}, gate: { failOn: 'HIGH' } });
  const fromApproval = revisionGate([...read.findings, ...read.decided], policy, target, new Date());
  const decision = evaluatePolicy(policy, summarizeRevision(read.findings, target, 10), undefined, fromApproval);

  const expected = verdictOf(fromCli);
  expect(expected).toMatchObject({ passed: false, blocking: 3 });
  expect(expected.suppressedIds).toHaveLength(2);
  expect(verdictOf(fromLambda)).toEqual(expected);
  expect(verdictOf(fromApproval)).toEqual(expected);
  expect(decision.outcome).toBe('reject');
});
