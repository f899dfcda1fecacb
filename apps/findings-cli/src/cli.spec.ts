import { readFile } from 'node:fs/promises';
import { BatchUpdateFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { join } from 'node:path';
import { validateFinding, type AwsSecurityFinding } from '@devsecops/asff';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { workspaceRoot } from '@devsecops/test-support';
import { runCli, type CliIo } from './cli';

const SAMPLE = join(workspaceRoot, 'samples/patient-portal/dependency-check-report.json');
const FIXED = join(workspaceRoot, 'samples/patient-portal-fixed/dependency-check-report.json');
const SEMGREP = join(workspaceRoot, 'samples/patient-portal/semgrep.sarif');

async function run(argv: string[], files: Record<string, string | Uint8Array> = {}, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env,
    readFile: async (path) => {
      const inline = files[path];
      if (inline !== undefined) return typeof inline === 'string' ? Buffer.from(inline) : inline;
      return readFile(path);
    },
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('findings convert', () => {
  it('prints only the JSON array of valid findings on stdout, and a summary on stderr', async () => {
    // Act
    const { code, stdout, stderr } = await run(['convert', SAMPLE, '--repository', 'hospital/portal', '--branch', 'main', '--commit', 'abc']);
    // Assert
    expect(code).toBe(0);
    const findings = JSON.parse(stdout) as AwsSecurityFinding[];
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.flatMap(validateFinding)).toEqual([]);
    expect(stderr).toMatch(/^dependency-check: \d+ finding\(s\), \d+ active/);
  });

  it('builds ProductArns for the partition, account and Region given', async () => {
    // Act
    const { stdout } = await run(['convert', SAMPLE, '--account', '111122223333', '--region', 'us-gov-west-1']);
    // Assert
    const [first] = JSON.parse(stdout) as AwsSecurityFinding[];
    expect(first?.ProductArn).toBe('arn:aws-us-gov:securityhub:us-gov-west-1:111122223333:product/111122223333/default');
  });

  it.each([
    [['convert', 'missing.json'], /^findings: missing\.json: cannot be read: no such file\n$/],
    [['convert', 'bad.json'], /^findings: bad\.json: is not valid JSON: .* at line 1/],
    [['convert', 'other.json'], /^findings: other\.json: is not a report format this function reads/],
    [['convert', 'empty.json'], /^findings: empty\.json: is empty\n$/],
    [['convert', SAMPLE, '--tool', 'trivy'], /--tool must be auto or one of/],
    [['convert', SAMPLE, '--account', '12'], /--account must be a 12-digit AWS account id/],
    [['convert', SAMPLE, '--bogus'], /Unknown option '--bogus'/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['gate', SAMPLE], /gate needs --fail-on/],
  ])('exits 2 with one clear line for %j', async (argv, pattern) => {
    // Act
    const { code, stdout, stderr } = await run(argv, { 'bad.json': '{"a": }', 'other.json': '{"hello": "world"}', 'empty.json': '' });
    // Assert
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(pattern);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('findings gate', () => {
  it('exits 1 when an active finding is at or above the threshold', async () => {
    // Act
    const { code, stdout } = await run(['gate', SAMPLE, '--fail-on', 'CRITICAL']);
    // Assert
    expect(code).toBe(1);
    expect(stdout).toMatch(/^Blocking \(2\):\n  CRITICAL dependency-check CVE-2021-44228 · org\.apache\.logging\.log4j:log4j-core@2\.14\.1 → 2\.15\.0/);
    expect(stdout).toContain('blocks: threshold (CRITICAL ≥ CRITICAL), KEV (in CISA KEV)');
    expect(stdout).toContain('https://console.aws.amazon.com/securityhub/home?region=us-east-1#/findings?search=Id%3D');
    expect(stdout.trim().split('\n').at(-1)).toBe('gate FAILED: 2 blocking (1 KEV, 1 CRITICAL) · 0 suppressed');
  });

  it('--json prints {tool, total, active, gate: {passed, blocking, findings}}; NONE turns the threshold off', async () => {
    const json = await run(['gate', SAMPLE, '--fail-on', 'HIGH', '--ignore-kev', '--json']);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ tool: 'dependency-check', gate: { passed: false, blocking: 5, failOn: 'HIGH', mode: 'all' } });
    expect(out.gate.findings.map((f: { severity: string }) => f.severity)).toEqual(['CRITICAL', 'CRITICAL', 'HIGH', 'HIGH', 'HIGH']);
    expect((await run(['gate', SAMPLE, '--fail-on', 'NONE', '--ignore-kev'])).code).toBe(0);
  });

  it('applies a suppressions file and an OpenVEX document given on the command line', async () => {
    const suppressions = 'suppressions:\n  - cve: CVE-2021-23337\n    package: pkg:npm/lodash\n    reason: not reachable\n    owner: jane@example.org\n    expires: 2099-01-01\n  - cve: CVE-2020-8203\n    package: pkg:npm/lodash@4.17.15\n    reason: not reachable\n    owner: jane@example.org\n';
    const vex = join(workspaceRoot, 'libs/gate/src/__fixtures__/openvex.json');
    const { code, stdout } = await run(['gate', SAMPLE, '--fail-on', 'HIGH', '--ignore-kev', '--suppressions', 's.yaml', '--vex', vex], { 's.yaml': suppressions });
    expect(code).toBe(1);
    expect(stdout).toContain('invalid suppression s.yaml:7: entry without expires');
    expect(stdout.trim().split('\n').at(-1)).toBe('gate FAILED: 3 blocking (2 CRITICAL, 1 HIGH) · 2 suppressed · 2 invalid suppression entries');
  });

  it('bad gate options and files exit 2 with one line naming the problem', async () => {
    expect(await run(['gate', SAMPLE, '--fail-on', 'HIGH', '--sla', 'HIGH=soon'])).toMatchObject({ code: 2, stderr: 'findings: --sla HIGH needs a whole number of days, e.g. HIGH=30\n' });
    expect(await run(['gate', SAMPLE, '--fail-on', 'HIGH', '--suppressions', 'bad.yaml'], { 'bad.yaml': 'suppressions: [\n' })).toMatchObject({ code: 2, stderr: expect.stringMatching(/^findings: bad\.yaml: line \d+: /) });
    expect(await run(['gate', SAMPLE, '--fail-on', 'HIGH', '--kev', 'missing.json'])).toMatchObject({ code: 2, stderr: 'findings: missing.json: cannot be read: no such file\n' });
  });

  it('exits 0 when nothing active reaches it, ignoring suppressed findings', async () => {
    // Arrange: the only finding is CRITICAL but suppressed
    const report = JSON.stringify({
      reportSchema: '1.1',
      scanInfo: { engineVersion: '12.1.1' },
      projectInfo: { name: 'p' },
      dependencies: [
        {
          fileName: 'commons-text-1.9.jar',
          filePath: '/src/lib/commons-text-1.9.jar',
          packages: [{ id: 'pkg:maven/org.apache.commons/commons-text@1.9' }],
          suppressedVulnerabilities: [{ source: 'NVD', name: 'CVE-2022-42889', severity: 'CRITICAL', cvssv3: { baseScore: 9.8, baseSeverity: 'CRITICAL' }, notes: 'accepted' }],
        },
      ],
    });
    // Act
    const { code, stdout } = await run(['gate', 'suppressed.json', '--fail-on', 'low'], { 'suppressed.json': report });
    // Assert
    expect(code).toBe(0);
    expect(stdout).toBe('gate passed: 0 blocking · 0 suppressed\n');
  });
});

describe('findings import', () => {
  let hub: SecurityHubLocal;
  beforeAll(async () => {
    hub = await startSecurityHubLocal({ port: 0, throttling: false });
  });
  afterAll(async () => hub.close());

  it('imports through the importer, dedupes a re-run, and archives what the next build fixed', async () => {
    // Arrange
    const env = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' };
    const args = ['--endpoint', hub.endpoint, '--repository', 'hospital/portal', '--branch', 'main'];
    // Act
    const first = await run(['import', SAMPLE, ...args], {}, env);
    const again = await run(['import', SAMPLE, ...args], {}, env);
    const fixed = await run(['import', FIXED, ...args], {}, env);
    // Assert
    expect(first.code).toBe(0);
    const firstResult = JSON.parse(first.stdout);
    expect(firstResult).toMatchObject({ archived: 0, failed: [] });
    expect(firstResult.imported).toBeGreaterThan(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, unchanged: firstResult.imported, archived: 0 });
    expect(JSON.parse(fixed.stdout)).toMatchObject({ archived: 2, failed: [] });
    const lodash = hub.findings().filter((f) => f.Title?.includes('lodash'));
    expect(lodash).toHaveLength(2);
    expect(lodash.every((f) => f.RecordState === 'ARCHIVED')).toBe(true);
  });

  it('import --fail-on gates on Security Hub\'s decisions: suppressing the only blocker there makes the next import exit 0', async () => {
    const env = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' };
    const args = ['--endpoint', hub.endpoint, '--repository', 'hospital/triage', '--branch', 'main', '--fail-on', 'HIGH', '--json'];
    const first = await run(['import', SEMGREP, ...args], {}, env);
    expect(first.code).toBe(1);
    const blocker = JSON.parse(first.stdout).gate.findings;
    expect(blocker).toHaveLength(1);
    const client = new SecurityHubClient({ endpoint: hub.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    const stored = hub.findings().find((f) => f.Id === blocker[0].id)!;
    await client.send(
      new BatchUpdateFindingsCommand({ FindingIdentifiers: [{ Id: stored.Id, ProductArn: stored.ProductArn }], Workflow: { Status: 'SUPPRESSED' }, Note: { Text: 'Accepted risk until the DAO rewrite', UpdatedBy: 'alice' } }),
    );
    const next = await run(['import', SEMGREP, ...args], {}, env);
    expect(next.code).toBe(0);
    expect(JSON.parse(next.stdout).gate).toMatchObject({ passed: true, blocking: 0, suppressed: [expect.objectContaining({ id: stored.Id, by: 'alice', note: 'Accepted risk until the DAO rewrite' })] });
    const text = await run(['import', SEMGREP, ...args.slice(0, -1)], {}, env);
    expect(text.stdout.trim().split('\n').at(-1)).toBe('gate passed: 0 blocking · 1 suppressed');
  });
});
