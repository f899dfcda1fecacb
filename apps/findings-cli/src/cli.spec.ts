import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchImportFindingsCommand, BatchUpdateFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { validateFinding, type AwsSecurityFinding } from '@devsecops/asff';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { workspaceRoot } from '@devsecops/test-support';
import { defaultOpenFile, runCli, type CliIo } from './cli';

const SAMPLE = join(workspaceRoot, 'samples/patient-portal/dependency-check-report.json');
const FIXED = join(workspaceRoot, 'samples/patient-portal-fixed/dependency-check-report.json');
const SEMGREP = join(workspaceRoot, 'samples/patient-portal/semgrep.sarif');
const LOCAL_KEYS = async () => ({ accessKeyId: 'local', secretAccessKey: 'local' });

interface RunOptions {
  files?: Record<string, string | Uint8Array>;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  io?: Partial<CliIo>;
}

async function run(argv: string[], options: RunOptions = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: options.env ?? {},
    readFile: async (path) => {
      const inline = options.files?.[path];
      if (inline !== undefined) return typeof inline === 'string' ? Buffer.from(inline) : inline;
      return readFile(path);
    },
    readStdin: async () => Buffer.from(options.stdin ?? ''),
    credentials: LOCAL_KEYS,
    sdkRegion: async () => undefined,
    ...options.io,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'findings-cli-'));

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

  it('reads the report from stdin when it is -', async () => {
    // Act
    const { code, stdout, stderr } = await run(['convert', '-'], { stdin: readFileSync(SEMGREP, 'utf8') });
    // Assert
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as unknown[]).length).toBeGreaterThan(0);
    expect(stderr).toMatch(/^semgrep: /);
  });

  it('names stdin in a bad-input error', async () => {
    // Act
    const { code, stderr } = await run(['convert', '-'], { stdin: '{"a": ' });
    // Assert
    expect(code).toBe(2);
    expect(stderr).toMatch(/^findings: stdin: is not valid JSON/);
  });

  it('--quiet leaves stderr empty', async () => {
    // Act
    const { code, stderr } = await run(['convert', SAMPLE, '--quiet']);
    // Assert
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it.each([
    [['convert', 'missing.json'], /^findings: missing\.json: cannot be read: no such file\n$/],
    [['convert', 'bad.json'], /^findings: bad\.json: is not valid JSON: .* at line 1/],
    [['convert', 'other.json'], /^findings: other\.json: is not a report format this function reads/],
    [['convert', 'empty.json'], /^findings: empty\.json: is empty\n$/],
    [['convert', SAMPLE, '--tool', 'trivy'], /--tool must be auto, dependency-check, .*, got "trivy"/],
    [['convert', SAMPLE, '--account', '12'], /--account must be a 12-digit AWS account id/],
    [['convert', SAMPLE, '--bogus'], /^findings: unknown option --bogus\n$/],
    [['convert', SAMPLE, '--tol', 'sarif'], /^findings: unknown option --tol \(did you mean --tool\?\)\n$/],
    [['convert', SAMPLE, '--fromat', 'sarif'], /unknown option --fromat \(did you mean --format\?\)/],
    [['convert', SAMPLE, '--format', 'sarf'], /--format must be asff, sarif, .*, got "sarf" \(did you mean sarif\?\)/],
    [['convert', SAMPLE, '--fail-on', 'HIGH'], /^findings: --fail-on does not apply to convert \(only to gate, import\)\n$/],
    [['convert', SAMPLE, '--endpoint', 'http://x'], /--endpoint does not apply to convert \(only to import\)/],
    [['gate', SAMPLE, '--fail-on', 'HIGH', '--zap', 'http://zap'], /--zap does not apply to gate/],
    [['gate', SAMPLE, '--fail-on', 'HIGH', '--output', 'x.md'], /--output writes a report: give --format too/],
    [['gate', SAMPLE, '--fail-on', 'HIHG'], /--fail-on must be .*got "HIHG" \(did you mean HIGH\?\)/],
    [['convert', SAMPLE, '--tool', 'sarif', '--tool', 'zap'], /--tool is given twice/],
    [['convert', SAMPLE, '--tool'], /--tool needs a value/],
    [['convert', SAMPLE, '--quiet=yes'], /--quiet takes no value/],
    [['convert', SAMPLE, '--region', 'eu-wst'], /--region must be an AWS Region such as eu-west-1, got "eu-wst"/],
    [['convert', '-', '-'], /stdin \(-\) can be read only once/],
    [['convert'], /no report file given/],
    [['conver', SAMPLE], /unknown command "conver" \(did you mean convert\?\)/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['--tool', 'zap', 'convert'], /--tool comes after the command/],
    [['gate', SAMPLE], /gate needs --fail-on/],
    [['zap-scan', 'report.json'], /zap-scan takes no report file/],
    [['zap-scan', '--quiet'], /^findings: zap-scan needs --target, --zap, --out\n$/],
  ])('exits 2 with one clear line for %j', async (argv, pattern) => {
    // Act
    const { code, stdout, stderr } = await run(argv as string[], { files: { 'bad.json': '{"a": }', 'other.json': '{"hello": "world"}', 'empty.json': '' } });
    // Assert
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(pattern);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses an invalid AWS_REGION from the environment', async () => {
    // Act
    const { code, stderr } = await run(['convert', SAMPLE], { env: { AWS_REGION: 'Frankfurt' } });
    // Assert
    expect(code).toBe(2);
    expect(stderr).toBe('findings: AWS_REGION must be an AWS Region such as eu-west-1, got "Frankfurt"\n');
  });
});

describe('findings help and version', () => {
  it('prints the general help on stdout for --help and help, and on stderr with exit 2 for nothing', async () => {
    // Act
    const help = await run(['--help']);
    const word = await run(['help']);
    const nothing = await run([]);
    // Assert
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: findings <command>/);
    expect(help.stdout).toContain('exit codes: 0 ok, 1 gate failed, 2 bad input, usage or output that cannot be written, 3 import incomplete');
    expect(word.stdout).toBe(help.stdout);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toBe(help.stdout);
  });

  it('gives every command its own help with only the options that apply to it', async () => {
    // Act
    const convert = await run(['convert', '--help']);
    const gate = await run(['help', 'gate']);
    const zap = await run(['zap-scan', '-h']);
    // Assert
    expect(convert.code).toBe(0);
    expect(convert.stdout).toMatch(/^usage: findings convert <report\.\.\.\|->/);
    expect(convert.stdout).toMatch(/--format FORMAT .*\(asff\|sarif\|junit\|markdown\|csv\|ocsf\|html\)/);
    expect(convert.stdout).not.toContain('--fail-on');
    expect(gate.stdout).toContain('--fail-on LEVEL');
    expect(zap.stdout).toContain('--api-key-parameter NAME');
    expect(zap.stdout).not.toContain('--format');
  });

  it('prints the version', async () => {
    // Act
    const { code, stdout } = await run(['--version']);
    // Assert
    expect(code).toBe(0);
    expect(stdout).toMatch(/^findings \d+\.\d+\.\d+\n$/);
  });
});

describe('findings --format and --output', () => {
  it('writes SARIF to a file, with the summary on stderr', async () => {
    // Arrange
    const out = join(tmp(), 'findings.sarif');
    // Act
    const { code, stdout, stderr } = await run(['convert', SEMGREP, '--format', 'sarif', '--output', out]);
    // Assert
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^semgrep: /);
    expect(JSON.parse(readFileSync(out, 'utf8')).runs[0].tool.driver.name).toBe('semgrep');
  });

  it('convert --format html writes the self-contained triage page', async () => {
    // Arrange
    const out = join(tmp(), 'report.html');
    // Act
    const { code } = await run(['convert', SAMPLE, '--format', 'html', '--output', out, '--repository', 'hospital/portal']);
    // Assert
    expect(code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('Security findings: hospital/portal@main');
  });

  it('gate --format junit writes the report and still exits 1, the verdict on stderr', async () => {
    // Act
    const { code, stdout, stderr } = await run(['gate', SAMPLE, '--fail-on', 'CRITICAL', '--format', 'junit']);
    // Assert
    expect(code).toBe(1);
    expect(stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(stdout).toMatch(/failures="[1-9]\d*"/);
    expect(stderr).toMatch(/^gate FAILED: /);
  });

  it('markdown with --base says what the next build fixed', async () => {
    // Arrange
    const dir = tmp();
    const base = join(dir, 'base.json');
    await run(['convert', SAMPLE, '--output', base, '--quiet']);
    // Act
    const { code, stdout } = await run(['gate', FIXED, '--fail-on', 'CRITICAL', '--format', 'markdown', '--base', base]);
    // Assert
    expect(code).toBe(1);
    expect(stdout).toMatch(/^## ❌ Security gate failed/);
    expect(stdout).toMatch(/### Since .*base\.json: 0 new, 2 fixed/);
  });

  it('a full disk (ENOSPC) is one line and exit 2, with no stack trace', async () => {
    // Act
    const { code, stdout, stderr } = await run(['convert', SAMPLE, '--output', '/dev/full']);
    // Assert
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('findings: cannot write /dev/full: no space left on device\n');
  });

  it('an output directory that does not exist is one line and exit 2, and leaves no file', async () => {
    // Arrange
    const out = join(tmp(), 'no/such/dir/report.csv');
    // Act
    const { code, stderr } = await run(['convert', SAMPLE, '--format', 'csv', '--output', out]);
    // Assert
    expect(code).toBe(2);
    expect(stderr).toBe(`findings: cannot write ${out}: no such directory\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('colours the gate verdict only on a terminal and never with NO_COLOR', async () => {
    // Act
    const tty = await run(['gate', SAMPLE, '--fail-on', 'CRITICAL'], { io: { stdoutIsTTY: true } });
    const noColor = await run(['gate', SAMPLE, '--fail-on', 'CRITICAL'], { io: { stdoutIsTTY: true }, env: { NO_COLOR: '1' } });
    const pipe = await run(['gate', SAMPLE, '--fail-on', 'CRITICAL']);
    // Assert
    expect(tty.stdout).toContain('\u001b[31mFAILED\u001b[0m');
    expect(noColor.stdout).not.toContain('\u001b[');
    expect(pipe.stdout).not.toContain('\u001b[');
  });
});

describe('findings gate', () => {
  it('exits 1 when an active finding is at or above the threshold, listing each blocking finding and why', async () => {
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
    // Act
    const json = await run(['gate', SAMPLE, '--fail-on', 'HIGH', '--ignore-kev', '--json']);
    const none = await run(['gate', SAMPLE, '--fail-on', 'NONE', '--ignore-kev']);
    // Assert
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ tool: 'dependency-check', gate: { passed: false, blocking: 5, failOn: 'HIGH', mode: 'all' } });
    expect(out.gate.findings.map((f: { severity: string }) => f.severity)).toEqual(['CRITICAL', 'CRITICAL', 'HIGH', 'HIGH', 'HIGH']);
    expect(none.code).toBe(0);
  });

  it('applies a suppressions file and an OpenVEX document given on the command line', async () => {
    // Arrange
    const suppressions =
      'suppressions:\n  - cve: CVE-2021-23337\n    package: pkg:npm/lodash\n    reason: not reachable\n    owner: jane@example.org\n    expires: 2099-01-01\n  - cve: CVE-2020-8203\n    package: pkg:npm/lodash@4.17.15\n    reason: not reachable\n    owner: jane@example.org\n';
    const vex = join(workspaceRoot, 'libs/gate/src/__fixtures__/openvex.json');
    // Act
    const { code, stdout } = await run(['gate', SAMPLE, '--fail-on', 'HIGH', '--ignore-kev', '--suppressions', 's.yaml', '--vex', vex], { files: { 's.yaml': suppressions } });
    // Assert
    expect(code).toBe(1);
    expect(stdout).toContain('invalid suppression s.yaml:7: entry without expires');
    expect(stdout.trim().split('\n').at(-1)).toBe('gate FAILED: 3 blocking (2 CRITICAL, 1 HIGH) · 2 suppressed · 2 invalid suppression entries');
  });

  it('bad gate options and files exit 2 with one line naming the problem', async () => {
    // Act
    const sla = await run(['gate', SAMPLE, '--fail-on', 'HIGH', '--sla', 'HIGH=soon']);
    const yaml = await run(['gate', SAMPLE, '--fail-on', 'HIGH', '--suppressions', 'bad.yaml'], { files: { 'bad.yaml': 'suppressions: [\n' } });
    const kev = await run(['gate', SAMPLE, '--fail-on', 'HIGH', '--kev', 'missing.json']);
    // Assert
    expect(sla).toMatchObject({ code: 2, stderr: 'findings: --sla HIGH needs a whole number of days, e.g. HIGH=30\n' });
    expect(yaml).toMatchObject({ code: 2, stderr: expect.stringMatching(/^findings: bad\.yaml: line \d+: /) });
    expect(kev).toMatchObject({ code: 2, stderr: 'findings: missing.json: cannot be read: no such file\n' });
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
    const { code, stdout } = await run(['gate', 'suppressed.json', '--fail-on', 'low'], { files: { 'suppressed.json': report } });
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

  const accountsIn = (repository: string) => new Set(hub.findings().filter((f) => f.ProductFields?.['devsecops/Repository'] === repository).map((f) => f.AwsAccountId));

  it("import --fail-on gates on Security Hub's decisions: suppressing the only blocker there makes the next import exit 0", async () => {
    // Arrange
    const semgrep = join(workspaceRoot, 'samples/patient-portal/semgrep.sarif');
    const env = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1', AWS_ACCOUNT_ID: '111122223333' };
    const args = ['--endpoint', hub.endpoint, '--repository', 'hospital/triage', '--branch', 'main', '--fail-on', 'HIGH', '--json'];
    const first = await run(['import', semgrep, ...args], { env });
    const blocker = JSON.parse(first.stdout).gate.findings as { id: string }[];
    const stored = hub.findings().find((f) => f.Id === blocker[0]!.id)!;
    const client = new SecurityHubClient({ endpoint: hub.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    // Act: a security engineer suppresses it, as the console does
    await client.send(
      new BatchUpdateFindingsCommand({ FindingIdentifiers: [{ Id: stored.Id, ProductArn: stored.ProductArn }], Workflow: { Status: 'SUPPRESSED' }, Note: { Text: 'Accepted risk until the DAO rewrite', UpdatedBy: 'alice' } }),
    );
    const next = await run(['import', semgrep, ...args], { env });
    const text = await run(['import', semgrep, ...args.slice(0, -1)], { env });
    client.destroy();
    // Assert
    expect(first.code).toBe(1);
    expect(blocker).toHaveLength(1);
    expect(next.code).toBe(0);
    expect(JSON.parse(next.stdout).gate).toMatchObject({ passed: true, blocking: 0, suppressed: [expect.objectContaining({ id: stored.Id, by: 'alice', note: 'Accepted risk until the DAO rewrite' })] });
    expect(text.stdout.trim().split('\n').at(-1)).toBe('gate passed: 0 blocking · 1 suppressed');
  });

  it('imports through the importer, dedupes a re-run, and archives what the next build fixed', async () => {
    // Arrange
    const env = { AWS_REGION: 'us-east-1', AWS_ACCOUNT_ID: '111122223333' };
    const args = ['--endpoint', hub.endpoint, '--repository', 'hospital/portal', '--branch', 'main'];
    // Act
    const first = await run(['import', SAMPLE, ...args], { env });
    const again = await run(['import', SAMPLE, ...args], { env });
    const fixed = await run(['import', FIXED, ...args], { env });
    // Assert
    expect(first.code).toBe(0);
    const firstResult = JSON.parse(first.stdout);
    expect(firstResult).toMatchObject({ archived: 0, failed: [], notSent: 0 });
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
    const env = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1', AWS_ACCOUNT_ID: '111122223333' };
    const args = ['--endpoint', hub.endpoint, '--repository', 'hospital/ledger-portal', '--branch', 'main', '--state', state];
    try {
      // Act
      const first = await run(['import', SAMPLE, ...args, '--category', 'backend'], { env });
      const again = await run(['import', SAMPLE, ...args, '--category', 'backend'], { env });
      const other = await run(['import', FIXED, ...args, '--category', 'frontend'], { env });
      const partial = await run(['import', FIXED, ...args, '--category', 'backend', '--incomplete', 'dependency-check ran out of memory'], { env });
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

  describe('the account', () => {
    let sts: AwsClientStub<STSClient>;
    beforeAll(() => {
      sts = mockClient(STSClient);
    });
    beforeEach(() => sts.reset());
    afterAll(() => sts.restore());

    it.each([
      ['AWS_ACCOUNT_ID', { AWS_ACCOUNT_ID: '222233334444' }, [], '222233334444'],
      ['CODEBUILD_BUILD_ARN', { CODEBUILD_BUILD_ARN: 'arn:aws:codebuild:us-east-1:333344445555:build/sca-scan:0a1b2c3d-1111-2222-3333-444455556666' }, [], '333344445555'],
      ['--account over both', { AWS_ACCOUNT_ID: '222233334444', CODEBUILD_BUILD_ARN: 'arn:aws:codebuild:us-east-1:333344445555:build/p:1' }, ['--account', '444455556666'], '444455556666'],
    ])('comes from %s without asking STS', async (name, env, extra, account) => {
      // Arrange
      const repository = `hospital/account-${account}`;
      // Act
      const { code, stderr } = await run(['import', SAMPLE, '--endpoint', hub.endpoint, '--repository', repository, ...extra], { env: { AWS_REGION: 'us-east-1', ...env } });
      // Assert
      expect(stderr).not.toMatch(/^findings:/m);
      expect(code).toBe(0);
      expect(accountsIn(repository)).toEqual(new Set([account]));
      expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
    });

    it('comes from one STS GetCallerIdentity call when nothing names it', async () => {
      // Arrange
      sts.on(GetCallerIdentityCommand).resolves({ Account: '555566667777', Arn: 'arn:aws:iam::555566667777:user/ci', UserId: 'AIDA' });
      // Act
      const { code } = await run(['import', SAMPLE, '--endpoint', hub.endpoint, '--repository', 'hospital/sts'], { env: { AWS_REGION: 'us-east-1' } });
      // Assert
      expect(code).toBe(0);
      expect(accountsIn('hospital/sts')).toEqual(new Set(['555566667777']));
      expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
    });

    it('is never the documentation placeholder', async () => {
      // Act
      const { code, stderr } = await run(['import', SAMPLE, '--endpoint', hub.endpoint, '--repository', 'hospital/placeholder'], { env: { AWS_REGION: 'us-east-1', AWS_ACCOUNT_ID: '123456789012' } });
      // Assert
      expect(code).toBe(2);
      expect(stderr).toMatch(/^findings: 123456789012 is the documentation placeholder/);
      expect(accountsIn('hospital/placeholder').size).toBe(0);
    });

    it('exits 2 with one line when STS cannot tell it', async () => {
      // Arrange
      sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('The security token included in the request is invalid.'), { name: 'InvalidClientTokenId' }));
      // Act
      const { code, stderr } = await run(['import', SAMPLE, '--endpoint', hub.endpoint], { env: { AWS_REGION: 'us-east-1' } });
      // Assert
      expect(code).toBe(2);
      expect(stderr).toBe(
        'findings: cannot tell the AWS account: STS GetCallerIdentity failed (InvalidClientTokenId: The security token included in the request is invalid.); give --account or set AWS_ACCOUNT_ID\n',
      );
    });
  });

  it('without credentials prints one line with the securityhub-local hint and exits 2', async () => {
    // Arrange: what the SDK's default chain throws when it finds nothing
    const none = async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    };
    // Act
    const { code, stdout, stderr } = await run(['import', SAMPLE, '--endpoint', hub.endpoint], { env: { AWS_REGION: 'us-east-1', AWS_ACCOUNT_ID: '111122223333' }, io: { credentials: none } });
    // Assert
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^findings: no usable AWS credentials \(Could not load credentials from any providers\); .*AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test/);
  });

  it('needs a Region', async () => {
    // Act
    const { code, stderr } = await run(['import', SAMPLE, '--endpoint', hub.endpoint], { env: { AWS_ACCOUNT_ID: '111122223333' } });
    // Assert
    expect(code).toBe(2);
    expect(stderr).toBe('findings: no AWS Region: give --region or set AWS_REGION\n');
  });

  it('writes the --format report of what it imported, the result on stderr', async () => {
    // Act
    const { code, stdout, stderr } = await run(['import', SEMGREP, '--endpoint', hub.endpoint, '--repository', 'hospital/ocsf', '--format', 'ocsf'], {
      env: { AWS_REGION: 'us-east-1', AWS_ACCOUNT_ID: '111122223333' },
    });
    // Assert
    expect(code).toBe(0);
    const events = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.finding_info.uid).sort()).toEqual(hub.findings().filter((f) => f.ProductFields?.['devsecops/Repository'] === 'hospital/ocsf').map((f) => f.Id).sort());
    expect(stderr).toMatch(/^import: \d+ imported, 0 unchanged, 0 archived, 0 failed$/m);
  });
});

describe('findings import against a Security Hub that refuses findings', () => {
  let hub: AwsClientStub<SecurityHubClient>;
  beforeAll(() => {
    hub = mockClient(SecurityHubClient);
  });
  beforeEach(() => {
    hub.reset();
    hub.on(GetFindingsCommand).resolves({ Findings: [] });
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => ({
      SuccessCount: 0,
      FailedCount: input.Findings.length,
      FailedFindings: input.Findings.map((f) => ({ Id: f.Id, ErrorCode: 'AccessDeniedException', ErrorMessage: 'not authorized' })),
    }));
  });
  afterAll(() => hub.restore());
  const env = { AWS_REGION: 'us-east-1', AWS_ACCOUNT_ID: '111122223333' };

  it('exits 3 (partial import) with one line grouping the failures', async () => {
    // Act
    const { code, stdout, stderr } = await run(['import', SAMPLE], { env });
    // Assert
    expect(code).toBe(3);
    expect(JSON.parse(stdout).failed.length).toBeGreaterThan(1);
    const lines = stderr.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^findings: import incomplete: \d+ failed \(AccessDeniedException ×\d+: not authorized\), 0 not sent; run it again to finish$/);
  });

  it('shows no progress when stderr is not a terminal', async () => {
    // Act
    const { stderr } = await run(['import', SAMPLE], { env, io: { stderrIsTTY: false } });
    // Assert
    expect(stderr).not.toContain('\r');
    expect(stderr).not.toMatch(/findings sent/);
  });

  it('shows findings sent and throttles on a terminal, and nothing with --quiet', async () => {
    // Arrange
    let now = 0;
    const clock = () => (now += 300);
    // Act
    const tty = await run(['import', SAMPLE], { env, io: { stderrIsTTY: true, clock } });
    const quiet = await run(['import', SAMPLE, '--quiet'], { env, io: { stderrIsTTY: true, clock } });
    // Assert
    expect(tty.stderr).toMatch(/\r\u001b\[Kimport: \d+\/\d+ findings sent, 0 throttled\n/);
    expect(quiet.stderr).not.toContain('\r');
  });
});

describe('findings reads report files as streams', () => {
  it('opens a file as chunks with its size, and a missing one or a directory is a clear error', async () => {
    // Act
    const file = await defaultOpenFile(SAMPLE);
    const chunks: Buffer[] = [];
    for await (const chunk of file.chunks) chunks.push(Buffer.from(chunk));
    const missing = await run(['convert', '/no/such/report.json']);
    const directory = await runCli(['convert', workspaceRoot], { stdout: () => undefined, stderr: (t) => (directoryError += t), env: {}, readFile, openFile: defaultOpenFile });
    // Assert
    expect(Buffer.concat(chunks)).toEqual(await readFile(SAMPLE));
    expect(file.size).toBe(Buffer.concat(chunks).length);
    expect(missing).toMatchObject({ code: 2, stderr: 'findings: /no/such/report.json: cannot be read: no such file\n' });
    expect(directory).toBe(2);
    expect(directoryError).toBe(`findings: ${workspaceRoot}: cannot be read: is a directory\n`);
  });

  it('converts through openFile exactly as through readFile', async () => {
    const viaStream = await runCli(['convert', SAMPLE], { stdout: (t) => (streamOut += t), stderr: () => undefined, env: {}, readFile, openFile: defaultOpenFile });
    const viaRead = await run(['convert', SAMPLE]);
    expect(viaStream).toBe(0);
    expect(JSON.parse(streamOut).map((f: AwsSecurityFinding) => f.Id)).toEqual(JSON.parse(viaRead.stdout).map((f: AwsSecurityFinding) => f.Id));
  });
});

let directoryError = '';
let streamOut = '';

describe('findings convert --evidence', () => {
  const ZAP = join(workspaceRoot, 'samples/patient-portal/zap-report.json');
  const withLongOtherInfo = (otherinfo: string) => {
    const report = JSON.parse(readFileSync(ZAP, 'utf8')) as { site: { alerts: { otherinfo?: string }[] }[] };
    report.site[0]!.alerts[0]!.otherinfo = otherinfo;
    return JSON.stringify(report);
  };

  it('stores the whole other info of an alert in the directory, named by its digest, and links it from the finding', async () => {
    // Arrange
    const dir = tmp();
    const otherinfo = `<p>${'cookie without SameSite '.repeat(60_000)}</p>`;
    // Act
    const { code, stdout } = await run(['convert', '-', '--evidence', dir], { stdin: withLongOtherInfo(otherinfo) });
    // Assert
    expect(code).toBe(0);
    const linked = (JSON.parse(stdout) as AwsSecurityFinding[]).map((f) => f.ProductFields?.['devsecops/Evidence/OtherInfo']).filter(Boolean);
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatch(new RegExp(`^${dir}/sha256/[0-9a-f]{64}$`));
    expect(readFileSync(linked[0]!, 'utf8')).toBe(otherinfo);
  });

  it('without --evidence records the digest and size of what the finding could not carry', async () => {
    // Act
    const { stdout } = await run(['convert', '-'], { stdin: withLongOtherInfo('x'.repeat(20_000)) });
    // Assert
    const [fields] = (JSON.parse(stdout) as AwsSecurityFinding[]).map((f) => f.ProductFields!).filter((p) => p['devsecops/Evidence/OtherInfo']);
    expect(fields).toMatchObject({ 'devsecops/Evidence/OtherInfo': expect.stringMatching(/^sha256:[0-9a-f]{64}$/), 'devsecops/Evidence/OtherInfo/Bytes': '20000' });
  });
});
