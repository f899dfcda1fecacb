import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateFinding, type AwsSecurityFinding } from '@devsecops/asff';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { workspaceRoot } from '@devsecops/test-support';
import { runCli, type CliIo } from './cli';

const SAMPLE = join(workspaceRoot, 'samples/patient-portal/dependency-check-report.json');
const FIXED = join(workspaceRoot, 'samples/patient-portal-fixed/dependency-check-report.json');

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
    expect(stdout).toMatch(/^gate FAILED: [1-9]\d* active finding\(s\) at or above CRITICAL; dependency-check: /);
    expect(stdout.trim().split('\n')).toHaveLength(1);
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
    expect(stdout).toMatch(/^gate passed: 0 active finding\(s\) at or above LOW/);
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

  it('keeps a ledger with --state DIR: an unchanged re-run reads only it and the decisions, --category separates scans', async () => {
    // Arrange
    const state = await mkdtemp(join(tmpdir(), 'findings-state-'));
    const env = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' };
    const args = ['--endpoint', hub.endpoint, '--repository', 'hospital/ledger-portal', '--branch', 'main', '--state', state];
    try {
      // Act
      const first = await run(['import', SAMPLE, ...args, '--category', 'backend'], {}, env);
      const again = await run(['import', SAMPLE, ...args, '--category', 'backend'], {}, env);
      const other = await run(['import', FIXED, ...args, '--category', 'frontend'], {}, env);
      const partial = await run(['import', FIXED, ...args, '--category', 'backend', '--incomplete', 'dependency-check ran out of memory'], {}, env);
      // Assert
      expect(JSON.parse(first.stdout)).toMatchObject({ failed: [], archived: 0, ledger: { source: 'rebuilt', written: true } });
      expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, archived: 0, apiCalls: 2, ledger: { source: 'used', written: false } });
      expect(JSON.parse(other.stdout)).toMatchObject({ archived: 0, failed: [] });
      expect(JSON.parse(partial.stdout)).toMatchObject({ archived: 0, archiveSkipped: 'incomplete scan: dependency-check ran out of memory' });
      expect(hub.findings().filter((f) => f.ProductFields?.['devsecops/Repository'] === 'hospital/ledger-portal' && f.ProductFields?.['devsecops/State'] === 'FIXED')).toEqual([]);
      expect((await readdir(state, { recursive: true })).filter((f) => String(f).endsWith('.json.gz'))).toHaveLength(2);
    } finally {
      await rm(state, { recursive: true, force: true });
    }
  });
});
