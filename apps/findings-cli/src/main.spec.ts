import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@devsecops/test-support';

/**
 * The CLI as users run it: a real process. `bin/findings.mjs` is what `npx findings` runs (it builds the bundle
 * first when it is stale); `dist/apps/findings-cli/main.mjs` is the one self-contained file.
 */
const BIN = join(workspaceRoot, 'apps/findings-cli/bin/findings.mjs');
const BUNDLE = join(workspaceRoot, 'dist/apps/findings-cli/main.mjs');

/** The environment without any AWS setting of the machine running the tests. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_') && !key.startsWith('CODEBUILD_')));
  return { ...env, NODE_OPTIONS: '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...extra };
}

function findings(args: string[], options: SpawnSyncOptions = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: workspaceRoot, encoding: 'utf8', env: cleanEnv(), ...options }) as { status: number | null; stdout: string; stderr: string };
}

beforeAll(() => {
  // Builds the bundle when it is missing or stale (a jest run outside nx); nx's test target builds it first anyway.
  const warm = findings(['--version']);
  expect(warm.status).toBe(0);
}, 300_000);

describe('findings (process)', () => {
  it('converts several SonarQube pages as one scan, JSON on stdout only', () => {
    // Act
    const run = findings(['convert', 'samples/patient-portal/sonarqube-issues.json', 'samples/patient-portal/sonarqube-hotspots.json']);
    // Assert
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(4);
    expect(run.stderr).toMatch(/^sonarqube: 4 finding\(s\), 3 active/);
  });

  it('exits 2 with one line naming the file for a missing report', () => {
    // Act
    const run = findings(['gate', 'no/such/report.json', '--fail-on', 'HIGH']);
    // Assert
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('findings: no/such/report.json: cannot be read: no such file\n');
  });

  it('reads the report from stdin', () => {
    // Act
    const run = findings(['gate', '-', '--fail-on', 'HIGH'], { input: readFileSync(join(workspaceRoot, 'samples/patient-portal/zap-report.json')) });
    // Assert
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^Blocking \(1\):\n {2}HIGH {5}zap 40012/);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('gate FAILED: 1 blocking (1 HIGH) · 0 suppressed');
  });

  it('ends cleanly when the reader closes the pipe (convert … | head), with no stack trace', () => {
    // Arrange: a report whose ASFF is far larger than a pipe buffer
    const dir = mkdtempSync(join(tmpdir(), 'findings-epipe-'));
    const results = Array.from({ length: 3000 }, (_, i) => ({
      ruleId: `rule-${i % 50}`,
      level: 'error',
      message: { text: `problem ${i}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: `src/file${i}.ts` }, region: { startLine: i + 1 } } }],
    }));
    writeFileSync(join(dir, 'big.sarif'), JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'semgrep' } }, results }] }));
    // Act
    const run = spawnSync('bash', ['-c', `"${process.execPath}" "${BUNDLE}" convert big.sarif | head -c 100 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`], {
      cwd: dir,
      encoding: 'utf8',
      env: cleanEnv(),
    });
    // Assert
    expect(run.stdout).toBe('exit=0\n');
    expect(run.stderr).not.toMatch(/EPIPE|Error|at /);
  });

  it('without credentials prints one line with the securityhub-local hint and exits 2', () => {
    // Arrange: no keys, no profile files, no instance metadata
    const env = cleanEnv({ AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials', AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: 'eu-west-1' });
    // Act
    const run = spawnSync(process.execPath, [BUNDLE, 'import', 'samples/patient-portal/zap-report.json', '--account', '111122223333', '--endpoint', 'http://127.0.0.1:9'], {
      cwd: workspaceRoot,
      encoding: 'utf8',
      env,
    });
    // Assert
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^findings: no usable AWS credentials .*AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_ACCOUNT_ID=111122223333 findings import REPORT --endpoint http:\/\/127\.0\.0\.1:4566\n$/);
  });

  it('runs as `npx findings` from the clone, with nothing but the command\'s output on stdout', () => {
    // Act
    const run = spawnSync('npx', ['findings', '--version'], { cwd: workspaceRoot, encoding: 'utf8', env: cleanEnv() });
    // Assert
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^findings \d+\.\d+\.\d+\n$/);
  }, 120_000);
});
