import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DirectInvokeSchema, reportObjectKey } from '@devsecops/scan-ingest';
import { DEPENDENCY_CHECK_EXIT_CODES, FINDINGS_REPORT_GROUP, OUTPUTS_DIR, PUBLISH_AND_GATE_SCRIPT, SCRIPT_DIR, allCommands, dastBuild, sastBuild, scaBuild, scriptsOf, shellQuote, zapBudget, type ScanBuild } from './buildspecs';
import { parseConfig, type ApplicationConfig } from './config';
import { alternativeConfig, exampleConfig } from './testing/synth';

const hasJq = spawnSync('jq', ['--version']).status === 0;
const describeWithJq = hasJq ? describe : describe.skip;

/** The example's application with a SARIF tool (Semgrep) as its SAST scan. */
function sarifConfig(): ApplicationConfig {
  const { applications, ...installation } = JSON.parse(JSON.stringify(exampleConfig())) as ReturnType<typeof exampleConfig>;
  const app = {
    ...applications[0]!,
    sast: {
      tool: 'sarif',
      install: ['python3 -m pip install --quiet semgrep==1.120.0'],
      command: 'semgrep scan --config p/php --sarif --output semgrep.sarif',
      reportFile: 'semgrep.sarif',
      runtimes: { python: '3.12' },
    },
  };
  return parseConfig({ ...installation, applications: [app] }).applications[0]!;
}

/** The example's one application, changed by `patch` and parsed again (defaults and validation included). */
function exampleApplication(patch: (app: Record<string, unknown>) => Record<string, unknown>): ApplicationConfig {
  const { applications, ...installation } = JSON.parse(JSON.stringify(exampleConfig())) as { applications: Record<string, unknown>[] };
  return parseConfig({ ...installation, applications: [patch(applications[0]!)] }).applications[0]!;
}

// The scans of the example's and the alternative's one application.
const example = exampleConfig().applications[0]!;
const alternative = alternativeConfig().applications[0]!;
const BUILDS: [string, ScanBuild][] = [
  ['SCA Dependency-Check', scaBuild(example.sca)],
  ['SAST SonarQube', sastBuild(example.sast[0]!)],
  ['SAST PHPStan', sastBuild(alternative.sast[0]!)],
  ['SAST SARIF', sastBuild(sarifConfig().sast[0]!)],
  ['DAST ZAP in the build', dastBuild(example.dast, example.staging.url)],
  ['DAST ZAP server', dastBuild(alternative.dast, alternative.staging.url)],
];

/** A directory with the scripts a buildspec writes, as CodeBuild would have them. */
function writeScripts(build: ScanBuild): string {
  const dir = mkdtempSync(join(tmpdir(), 'buildspec-'));
  for (const [name, body] of Object.entries(scriptsOf(build.buildSpec))) writeFileSync(join(dir, name), body);
  return dir;
}

function stub(dir: string, name: string, body: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(join(dir, name), 0o755);
}

describe.each(BUILDS)('%s buildspec', (_name, build) => {
  const commands = allCommands(build.buildSpec);
  const scripts = scriptsOf(build.buildSpec);

  it('is a bash buildspec that writes its scripts first and ends with publish-and-gate', () => {
    expect(build.buildSpec.version).toBe('0.2');
    expect(build.buildSpec.env.shell).toBe('bash');
    expect(build.buildSpec.phases.install.commands[0]).toBe(`mkdir -p ${SCRIPT_DIR}`);
    expect(Object.keys(scripts)).toContain('publish-and-gate.sh');
    expect(scripts['publish-and-gate.sh']).toContain(PUBLISH_AND_GATE_SCRIPT.trim());
    expect(build.buildSpec.phases.build.commands.at(-1)).toMatch(new RegExp(`^bash ${SCRIPT_DIR}/publish-and-gate\\.sh '[^']+'$`));
  });

  it('runs every script under set -euo pipefail and every script is valid bash', () => {
    for (const [name, body] of Object.entries(scripts)) {
      expect(body.split('\n')[1]).toBe('set -euo pipefail');
      const check = spawnSync('bash', ['-n'], { input: body, encoding: 'utf8' });
      expect({ name, stderr: check.stderr, status: check.status }).toEqual({ name, stderr: '', status: 0 });
    }
  });

  it('never masks a failure', () => {
    const text = commands.join('\n');
    expect(text).not.toMatch(/\|\|\s*(echo|true|:|exit 0)\b/);
    expect(text).not.toMatch(/set \+e/);
    expect(text).not.toMatch(/LAMBDA_SUCCEDED|LAMBDA_FAILED/);
  });

  it('keeps secrets out of the buildspec and out of plain variables', () => {
    const secretNames = Object.keys(build.secrets);
    for (const name of secretNames) {
      expect(build.variables).not.toHaveProperty(name);
      expect(build.buildSpec.env.variables ?? {}).not.toHaveProperty(name);
    }
    // A secret is only ever read from the environment, never passed as a command-line argument.
    expect(commands.join('\n')).not.toMatch(/--nvdApiKey|-Dsonar\.(token|login)|apikey=/i);
  });
});

describe('tool-specific buildspecs', () => {
  it('Dependency-Check keeps its install and NVD data in the S3-cached directory', () => {
    const build = scaBuild(example.sca);

    expect(build.cachePaths).toEqual(['/root/.devsecops-cache/dependency-check/**/*']);
    expect(build.buildSpec.cache?.paths).toEqual(build.cachePaths);
    expect(build.buildSpec.env.variables).toMatchObject({
      DC_VERSION: '12.2.2',
      DC_SHA256: 'bf07fefd81af3094c5f6850423b014df44db62ce2dbad0f79079a90df675e44a',
      DC_CACHE_DIR: '/root/.devsecops-cache/dependency-check',
    });
    // NVD data per major version: a new major release may change the database schema.
    expect(scriptsOf(build.buildSpec)['run-dependency-check.sh']).toContain('--data "$DC_CACHE_DIR/data-v${DC_VERSION%%.*}"');
    expect(build.secrets).toEqual({ NVD_API_KEY: { parameter: '/devsecops/nvd/api-key' } });
    expect(build.computeSize).toBe('MEDIUM');
  });

  it('verifies the Dependency-Check download by default, with the configured checksum', () => {
    const sha = 'a'.repeat(64);
    const build = scaBuild({ ...example.sca, dependencyCheckSha256: sha });

    expect(build.buildSpec.env.variables.DC_SHA256).toBe(sha);
    expect(scriptsOf(build.buildSpec)['install-dependency-check.sh']).toContain('echo "$DC_SHA256  $tmp/dc.zip" | sha256sum --check --strict -');
    expect(scaBuild({ ...example.sca, verifyChecksum: false }).buildSpec.env.variables.DC_SHA256).toBe('');
  });

  it('every build asks for the JUnit and markdown outputs and collects the JUnit as a CodeBuild test report', () => {
    for (const [, build] of BUILDS) {
      expect(build.buildSpec.env.variables).toMatchObject({ SCAN_OUTPUTS: 'junit markdown', SCAN_OUTPUTS_DIR: OUTPUTS_DIR });
      expect(build.buildSpec.reports).toEqual({ [FINDINGS_REPORT_GROUP]: { files: ['findings.junit.xml'], 'base-directory': OUTPUTS_DIR, 'file-format': 'JUNITXML', 'discard-paths': 'yes' } });
    }
  });

  it('only the in-build ZAP scan is privileged (Docker), every other build is not', () => {
    expect(BUILDS.filter(([, b]) => b.privileged).map(([name]) => name)).toEqual(['DAST ZAP in the build']);
  });

  it('the ZAP server scan runs findings-cli zap-scan with the API key parameter name, never the key', () => {
    const build = dastBuild(alternative.dast, alternative.staging.url);
    const script = scriptsOf(build.buildSpec)['run-zap-scan.sh']!;

    expect(build.variables).toMatchObject({ SCAN_TARGET: 'https://staging.shop.example', ZAP_URL: 'https://zap.internal.example:8080', ZAP_API_KEY_PARAMETER: '/shop/zap/api-key' });
    expect(script).toMatch(/node "\$\{FINDINGS_CLI_DIR:-\/tmp\/devsecops\/findings-cli\}\/main\.mjs" zap-scan/);
    expect(script).toContain('--api-key-parameter "$ZAP_API_KEY_PARAMETER"');
    expect(script).toContain('--timeout "$ZAP_TIMEOUT_MINUTES"');
    expect(build.variables.ZAP_TIMEOUT_MINUTES).toBe('60');
    expect(script).toContain('--baseline');
    expect(script).toContain('--new-session');
    expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
    expect(build.buildSpec.phases.install['runtime-versions']).toEqual({ nodejs: '22' });
  });

  it('the SARIF build runs the configured install and scan commands and publishes the configured file', () => {
    const build = sastBuild(sarifConfig().sast[0]!);
    const scripts = scriptsOf(build.buildSpec);

    expect(scripts['install-sarif-scanner.sh']).toContain('pip install --quiet semgrep==1.120.0');
    expect(scripts['sarif-command.sh']).toContain('semgrep scan --config p/php --sarif --output semgrep.sarif');
    expect(build.buildSpec.phases.build.commands.at(-1)).toBe(`bash ${SCRIPT_DIR}/publish-and-gate.sh 'semgrep.sarif'`);
    expect(build.buildSpec.phases.install['runtime-versions']).toEqual({ python: '3.12' });
  });

  it('quotes configured values for bash', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    const check = spawnSync('bash', ['-c', `printf %s ${shellQuote("a'b $HOME `x`")}`], { encoding: 'utf8' });
    expect(check.stdout).toBe("a'b $HOME `x`");
  });
});

describeWithJq('publish-and-gate.sh against a fake aws CLI', () => {
  const scripts = writeScripts(scaBuild(example.sca));

  interface Run {
    status: number | null;
    stdout: string;
    stderr: string;
    calls: string[];
    stored: Record<string, string>;
    payload?: Record<string, unknown>;
  }

  function run(
    options: { response?: unknown; meta?: Record<string, unknown>; invokeExit?: number; s3Exit?: number; report?: string | null; env?: Record<string, string>; objects?: Record<string, string> } = {},
  ): Run & { sourceDir: string } {
    const work = mkdtempSync(join(tmpdir(), 'publish-'));
    const bin = join(work, 'bin');
    const s3 = join(work, 's3');
    stub(
      bin,
      'aws',
      String.raw`
printf '%s\n' "$*" >> "$FAKE_LOG"
if [ "$1 $2" = "s3 cp" ] && [ "${'$'}{3#s3://}" != "$3" ]; then
  src="$FAKE_S3/${'$'}{3#s3://}"
  [ -f "$src" ] || { echo "fatal error: An error occurred (404) when calling the HeadObject operation: Key not found" >&2; exit 1; }
  cp "$src" "$4"
  exit 0
fi
if [ "$1 $2" = "s3 cp" ]; then
  [ "$FAKE_S3_EXIT" = 0 ] || exit "$FAKE_S3_EXIT"
  dest="$FAKE_S3/${'$'}{4#s3://}"
  mkdir -p "$(dirname "$dest")"
  cp "$3" "$dest"
  exit 0
fi
if [ "$1 $2" = "lambda invoke" ]; then
  [ "$FAKE_INVOKE_EXIT" = 0 ] || { echo "An error occurred (ResourceNotFoundException)" >&2; exit "$FAKE_INVOKE_EXIT"; }
  prev=""
  for arg in "$@"; do
    if [ "$prev" = "--payload" ]; then cp "${'$'}{arg#file://}" "$FAKE_PAYLOAD"; fi
    prev="$arg"
  done
  cp "$FAKE_RESPONSE" "${'$'}{@: -1}"
  cat "$FAKE_META"
  exit 0
fi
exit 99`,
    );
    writeFileSync(join(work, 'response.json'), JSON.stringify(options.response ?? { status: 'ok', gate: { failOn: 'HIGH', passed: true, blocking: 0 }, failed: [] }));
    writeFileSync(join(work, 'meta.json'), JSON.stringify(options.meta ?? { StatusCode: 200, ExecutedVersion: '$LATEST' }));
    for (const [path, body] of Object.entries(options.objects ?? {})) {
      mkdirSync(dirname(join(s3, path)), { recursive: true });
      writeFileSync(join(s3, path), body);
    }
    const sourceDir = join(work, 'src');
    mkdirSync(sourceDir);
    const report = join(work, 'out', 'dependency-check-report.json');
    if (options.report !== null) {
      mkdirSync(dirname(report), { recursive: true });
      writeFileSync(report, options.report ?? '{"dependencies": []}');
    }
    const result = spawnSync('bash', [join(scripts, 'publish-and-gate.sh'), report], {
      encoding: 'utf8',
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        FAKE_LOG: join(work, 'calls.log'),
        FAKE_S3: s3,
        FAKE_S3_EXIT: String(options.s3Exit ?? 0),
        FAKE_INVOKE_EXIT: String(options.invokeExit ?? 0),
        FAKE_PAYLOAD: join(work, 'payload.json'),
        FAKE_RESPONSE: join(work, 'response.json'),
        FAKE_META: join(work, 'meta.json'),
        SCAN_TOOL: 'dependency-check',
        SCAN_REPOSITORY: 'hospital/portal',
        SCAN_BRANCH: 'release/2.1',
        SCAN_COMMIT: '3f2c9d0e1b2a3c4d5e6f708192a3b4c5d6e7f809',
        CODEBUILD_BUILD_ID: 'devsecops-sca:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        REPORTS_BUCKET: 'reports-bucket',
        REPORTS_KMS_KEY_ARN: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        PARSER_FUNCTION: 'arn:aws:lambda:us-east-1:111122223333:function:sca-parser',
        GATE_FAIL_ON: 'HIGH',
        INVOKE_READ_TIMEOUT: '960',
        // Never the real /tmp/devsecops files of this machine.
        SCAN_WARNINGS_FILE: join(work, 'no-warnings.txt'),
        SCAN_PARTIAL_FILE: join(work, 'no-partial-scan'),
        CODEBUILD_SRC_DIR: sourceDir,
        ...options.env,
      },
    });
    const calls = existsSync(join(work, 'calls.log')) ? readFileSync(join(work, 'calls.log'), 'utf8').trim().split('\n') : [];
    const stored: Record<string, string> = {};
    const listing = spawnSync('find', [s3, '-type', 'f'], { encoding: 'utf8' }).stdout.trim();
    for (const file of listing ? listing.split('\n') : []) stored[file.slice(s3.length + 1)] = readFileSync(file, 'utf8');
    const payload = existsSync(join(work, 'payload.json')) ? (JSON.parse(readFileSync(join(work, 'payload.json'), 'utf8')) as Record<string, unknown>) : undefined;
    for (const seeded of Object.keys(options.objects ?? {})) delete stored[seeded];
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls, stored, payload, sourceDir };
  }

  describe('the JUnit and markdown outputs', () => {
    const prefix = 'reports-bucket/outputs/dependency-check/hospital%2Fportal/release%2F2.1/c0ffee/b%3A1/';
    const objects = { [`${prefix}findings.junit.xml`]: '<testsuites tests="1"/>', [`${prefix}findings.md`]: '## ❌ Security gate failed: 1 blocking\n' };
    const outputs = { junit: `s3://${prefix}findings.junit.xml`, markdown: `s3://${prefix}findings.md` };
    const failed = { failOn: 'HIGH', passed: false, blocking: 1, summary: 'gate FAILED: 1 blocking', findings: [], suppressed: [] };

    it('asks the parser for them and puts them where the buildspec reports section collects them, even when the gate fails', () => {
      // Act
      const result = run({ env: { SCAN_OUTPUTS: 'junit markdown', SCAN_OUTPUTS_DIR: OUTPUTS_DIR }, objects, response: { status: 'ok', failed: [], gate: failed, outputs } });

      // Assert
      expect(DirectInvokeSchema.parse(result.payload).outputs).toEqual(['junit', 'markdown']);
      expect(result.status).toBe(1);
      expect(readFileSync(join(result.sourceDir, OUTPUTS_DIR, 'findings.junit.xml'), 'utf8')).toBe('<testsuites tests="1"/>');
      expect(readFileSync(join(result.sourceDir, OUTPUTS_DIR, 'findings.md'), 'utf8')).toBe('## ❌ Security gate failed: 1 blocking\n');
      expect(result.stdout).toContain(`publish-and-gate: junit output at ${outputs.junit}`);
      expect(result.stdout).toContain('----- findings summary (markdown) -----\n## ❌ Security gate failed: 1 blocking');
      expect(result.stderr).toContain('publish-and-gate: gate failed: gate FAILED: 1 blocking');
    });

    it('warns for an output the parser did not store or that cannot be read, and the gate still decides', () => {
      // Act
      const missing = run({ env: { SCAN_OUTPUTS: 'junit markdown' }, response: { status: 'ok', failed: [], gate: { failOn: 'HIGH', passed: true, blocking: 0 }, outputs: { junit: outputs.junit } } });

      // Assert
      expect(missing.status).toBe(0);
      expect(missing.stderr).toContain(`publish-and-gate: warning: could not download the junit output ${outputs.junit}`);
      expect(missing.stderr).toContain('publish-and-gate: warning: the parser stored no markdown output (see its warnings)');
      expect(missing.stdout).toContain('publish-and-gate: gate passed');
    });

    it('asks for nothing and writes nothing without SCAN_OUTPUTS', () => {
      // Act
      const result = run();

      // Assert
      expect(result.payload).not.toHaveProperty('outputs');
      expect(existsSync(join(result.sourceDir, OUTPUTS_DIR))).toBe(false);
    });
  });

  it('stores the report under the key reportObjectKey() builds, invokes the parser with a valid S3 pointer and passes', () => {
    // Act
    const result = run({ report: '{"dependencies": [1]}' });

    // Assert
    const key = reportObjectKey({
      tool: 'dependency-check',
      repository: 'hospital/portal',
      branch: 'release/2.1',
      commit: '3f2c9d0e1b2a3c4d5e6f708192a3b4c5d6e7f809',
      buildId: 'devsecops-sca:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      fileName: 'dependency-check-report.json',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stored).toEqual({ [`reports-bucket/${key}`]: '{"dependencies": [1]}' });
    expect(result.calls[0]).toBe(
      `s3 cp ${result.calls[0]!.split(' ')[2]} s3://reports-bucket/${key} --sse aws:kms --sse-kms-key-id arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab --only-show-errors`,
    );
    expect(result.calls[1]).toMatch(
      /^lambda invoke --function-name arn:aws:lambda:us-east-1:111122223333:function:sca-parser --cli-binary-format raw-in-base64-out --payload file:\/\/\S+ --cli-read-timeout 960 \S+$/,
    );
    const parsed = DirectInvokeSchema.parse(result.payload);
    expect(parsed).toMatchObject({
      tool: 'dependency-check',
      repository: 'hospital/portal',
      branch: 'release/2.1',
      commit: '3f2c9d0e1b2a3c4d5e6f708192a3b4c5d6e7f809',
      buildId: 'devsecops-sca:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      report: { bucket: 'reports-bucket', key },
      failOn: 'HIGH',
    });
    expect(result.stdout).toContain('publish-and-gate: gate passed');
    expect(result.payload).not.toHaveProperty('warnings');
    expect(result.payload).not.toHaveProperty('partialScan');
  });

  it('passes the repository\'s suppressions file and OpenVEX documents inline, and prints what blocks and why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'repo-'));
    const suppressions = join(dir, 'suppressions.yaml');
    const vex = join(dir, 'portal.openvex.json');
    writeFileSync(suppressions, 'suppressions:\n  - id: x\n    reason: r\n    owner: o\n    expires: 2027-01-01\n');
    writeFileSync(vex, '{"@context": "https://openvex.dev/ns/v0.2.0", "statements": []}');
    const gate = {
      failOn: 'HIGH',
      passed: false,
      blocking: 1,
      summary: 'gate FAILED: 1 blocking (1 KEV) · 0 suppressed',
      findings: [{ severity: 'LOW', tool: 'dependency-check', rule: 'CVE-2022-22965', location: 'spring-beans@5.3.17 → 5.3.18', title: 'Spring4Shell', reasons: [{ kind: 'KEV', detail: 'in CISA KEV since 2022-04-04' }], consoleUrl: 'https://console.aws.amazon.com/securityhub/x' }],
      suppressed: [],
    };
    const result = run({ env: { GATE_SUPPRESSIONS_FILE: suppressions, GATE_VEX_FILES: vex }, response: { status: 'ok', failed: [], gate } });
    const parsed = DirectInvokeSchema.parse(result.payload);
    expect(parsed.gate).toEqual({
      suppressions: [{ kind: 'inline', name: suppressions, content: readFileSync(suppressions, 'utf8') }],
      vex: [{ kind: 'inline', name: vex, content: readFileSync(vex, 'utf8') }],
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('BLOCKING LOW dependency-check CVE-2022-22965 · spring-beans@5.3.17 → 5.3.18\n  Spring4Shell\n  blocks: KEV (in CISA KEV since 2022-04-04)\n  https://console.aws.amazon.com/securityhub/x');
    expect(result.stdout).toContain('gate FAILED: 1 blocking (1 KEV) · 0 suppressed');
    expect(result.stderr).toContain('publish-and-gate: gate failed: gate FAILED: 1 blocking (1 KEV) · 0 suppressed');
  });

  it('marks an unknown commit with "-" in the key and leaves it out of the event', () => {
    const result = run({ env: { SCAN_COMMIT: '' } });

    expect(result.status).toBe(0);
    expect(Object.keys(result.stored)[0]).toBe(
      `reports-bucket/${reportObjectKey({ tool: 'dependency-check', repository: 'hospital/portal', branch: 'release/2.1', buildId: 'devsecops-sca:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', fileName: 'dependency-check-report.json' })}`,
    );
    expect(result.payload).not.toHaveProperty('commit');
  });

  it('passes the scanned URL of a DAST build as target', () => {
    const result = run({ env: { SCAN_TARGET: 'https://staging.example.com' } });

    expect(result.payload).toMatchObject({ target: 'https://staging.example.com' });
  });

  it("passes the scan's category and the workload account's import role in the event, and neither when unset", () => {
    const roleArn = 'arn:aws:iam::444455556666:role/devsecops-securityhub-import';

    const withBoth = run({ env: { SCAN_CATEGORY: 'backend', IMPORT_ROLE_ARN: roleArn } });
    const without = run();

    expect(withBoth.status).toBe(0);
    expect(withBoth.payload).toMatchObject({ category: 'backend', importRoleArn: roleArn });
    expect(without.payload).not.toHaveProperty('category');
    expect(without.payload).not.toHaveProperty('importRoleArn');
  });

  it('fails when the function raised (FunctionError), even though the CLI exited 0', () => {
    const result = run({
      meta: { StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '$LATEST' },
      response: { errorType: 'InvalidReport', errorMessage: 'dependency-check-report.json: is not JSON' },
    });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('failed (Unhandled)');
    expect(result.stderr).toContain('InvalidReport');
  });

  it('fails when the import is partial', () => {
    const result = run({ response: { status: 'partial', failed: [{ id: 'a' }, { id: 'b' }], notSent: 3, gate: { passed: true } } });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the import did not complete (status partial): {"failed":2,"notSent":3}');
  });

  it('fails when the gate fails and says why', () => {
    const result = run({ response: { status: 'ok', failed: [], gate: { failOn: 'HIGH', passed: false, blocking: 4 } } });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('gate failed: 4 active finding(s) at or above HIGH');
  });

  it('fails when the response carries no gate at all', () => {
    const result = run({ response: { status: 'ok' } });

    expect(result.status).toBe(1);
  });

  it('fails when the invoke itself fails', () => {
    const result = run({ invokeExit: 254 });

    expect(result.status).toBe(254);
    expect(result.stderr).toContain('ResourceNotFoundException');
  });

  it('fails without invoking when the upload fails', () => {
    const result = run({ s3Exit: 1 });

    expect(result.status).toBe(1);
    expect(result.calls).toHaveLength(1);
  });

  it('fails without calling AWS when the scan wrote no report', () => {
    const result = run({ report: null });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the scan wrote no report');
    expect(result.calls).toEqual([]);
  });
});

const hasZip = spawnSync('zip', ['-v']).status === 0 && spawnSync('unzip', ['-v']).status === 0;

interface StepRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Lines the step recorded for publish-and-gate. */
  warnings: string[];
  /** The step marked its scan partial. */
  partial: boolean;
  work: string;
}

/**
 * Runs one script of a build the way CodeBuild would (bash, in the source directory, with the buildspec's variables
 * and the project's plain variables), with fake tools first on PATH.
 */
function runStep(build: ScanBuild, script: string, options: { work?: string; bin?: string; env?: Record<string, string> } = {}): StepRun {
  const scripts = writeScripts(build);
  const work = options.work ?? mkdtempSync(join(tmpdir(), 'step-'));
  const warningsFile = join(work, '.warnings.txt');
  const partialFile = join(work, '.partial-scan');
  const result = spawnSync('bash', [join(scripts, script)], {
    cwd: work,
    encoding: 'utf8',
    env: {
      PATH: `${options.bin ? `${options.bin}:` : ''}${process.env.PATH}`,
      HOME: work,
      ...build.buildSpec.env.variables,
      ...build.variables,
      SCAN_WARNINGS_FILE: warningsFile,
      SCAN_PARTIAL_FILE: partialFile,
      ...options.env,
    },
  });
  const warnings = existsSync(warningsFile) ? readFileSync(warningsFile, 'utf8').trim().split('\n').filter(Boolean) : [];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, warnings, partial: existsSync(partialFile), work };
}

/** A fake Dependency-Check: records its arguments and properties file, writes a JSON report, exits $FAKE_DC_EXIT. */
const FAKE_DEPENDENCY_CHECK = String.raw`
printf '%s\n' "$@" > "$ARGS_LOG"
out=""; props=""; prev=""
for a in "$@"; do
  [ "$prev" = "--out" ] && out="$a"
  [ "$prev" = "--propertyfile" ] && props="$a"
  prev="$a"
done
cp "$props" "$PROPS_COPY"
if [ "${'$'}{FAKE_DC_EXIT:-0}" != 13 ]; then
  echo '{"reportSchema":"1.1","dependencies":[]}' > "$out/dependency-check-report.json"
fi
[ "${'$'}{FAKE_DC_EXIT:-0}" = 14 ] && echo "[ERROR] Failed to request component-reports" >&2
exit "${'$'}{FAKE_DC_EXIT:-0}"`;

describeWithJq('Dependency-Check build against a fake Dependency-Check', () => {
  function scaWith(sca: Record<string, unknown> = {}) {
    return scaBuild(exampleApplication((app) => ({ ...app, sca: { nvdApiKey: { parameter: '/devsecops/nvd/api-key' }, ...sca } })).sca);
  }

  function runDc(build: ScanBuild, options: { exit?: number; files?: Record<string, string>; env?: Record<string, string> } = {}) {
    const work = mkdtempSync(join(tmpdir(), 'dc-'));
    const cache = join(work, '.cache');
    stub(join(cache, 'dependency-check-12.2.2', 'bin'), 'dependency-check.sh', FAKE_DEPENDENCY_CHECK);
    for (const [path, text] of Object.entries(options.files ?? {})) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), text);
    }
    const run = runStep(build, 'run-dependency-check.sh', {
      work,
      env: { DC_CACHE_DIR: cache, NVD_API_KEY: 'nvd-secret-value', SCAN_REPOSITORY: 'app', ARGS_LOG: join(work, '.args'), PROPS_COPY: join(work, '.props'), FAKE_DC_EXIT: String(options.exit ?? 0), ...options.env },
    });
    const args = existsSync(join(work, '.args')) ? readFileSync(join(work, '.args'), 'utf8').split('\n') : [];
    const props = existsSync(join(work, '.props')) ? readFileSync(join(work, '.props'), 'utf8') : '';
    return { ...run, args, props, cache };
  }

  it('passes the NVD key in a properties file, never on the command line, and keeps the data per major version', () => {
    const result = runDc(scaWith());

    expect(result.stderr).toBe('warning: Sonatype OSS Index analyzer disabled: it requires an account since September 2025 and no credentials are configured (sca.ossIndex.username and token)\n');
    expect(result.status).toBe(0);
    expect(result.args.join('\n')).not.toContain('nvd-secret-value');
    expect(result.args).toEqual(expect.arrayContaining(['--format', 'JSON', '--data', `${result.cache}/data-v12`, '--exclude', '**/.git/**']));
    expect(result.props).toBe('nvd.api.key=nvd-secret-value\nanalyzer.ossindex.enabled=false\n');
    expect(existsSync(join(result.work, 'dependency-check-report', 'dependency-check-report.json'))).toBe(true);
  });

  it('without OSS Index credentials disables the analyzer and carries a warning to publish-and-gate', () => {
    const result = runDc(scaWith());

    expect(result.warnings).toEqual([
      'Sonatype OSS Index analyzer disabled: it requires an account since September 2025 and no credentials are configured (sca.ossIndex.username and token)',
    ]);
  });

  it('with OSS Index credentials (Parameter Store or Secrets Manager) enables the analyzer through the properties file', () => {
    const build = scaWith({ ossIndex: { username: { parameter: '/devsecops/ossindex/user' }, token: { secret: 'devsecops/ossindex', jsonKey: 'token' } } });
    const result = runDc(build, { env: { OSS_INDEX_USERNAME: 'dev@hospital.example', OSS_INDEX_TOKEN: 'oss\\tok=en' } });

    expect(build.secrets).toEqual({
      NVD_API_KEY: { parameter: '/devsecops/nvd/api-key' },
      OSS_INDEX_USERNAME: { parameter: '/devsecops/ossindex/user' },
      OSS_INDEX_TOKEN: { secret: 'devsecops/ossindex', jsonKey: 'token' },
    });
    expect(result.status).toBe(0);
    expect(result.warnings).toEqual([]);
    // A backslash is an escape in Java properties: it is doubled so the token arrives unchanged.
    expect(result.props).toBe('nvd.api.key=nvd-secret-value\nanalyzer.ossindex.enabled=true\nanalyzer.ossindex.user=dev@hospital.example\nanalyzer.ossindex.password=oss\\\\tok=en\n');
    expect(result.args.join('\n')).not.toContain('oss');
  });

  it('ossIndex.enabled false switches the analyzer off without a warning', () => {
    const result = runDc(scaWith({ ossIndex: { enabled: false } }));

    expect(result.warnings).toEqual([]);
    expect(result.props).toContain('analyzer.ossindex.enabled=false');
    expect(result.stdout).toContain('disabled by configuration');
  });

  it('enables the experimental analyzers when the source has a composer.lock (PHP), and not otherwise', () => {
    const php = runDc(scaWith(), { files: { 'composer.lock': '{"packages":[]}', 'vendor/x/composer.lock': '{}' } });
    const node = runDc(scaWith(), { files: { 'package-lock.json': '{}' } });
    const forced = runDc(scaWith({ enableExperimental: true }));
    const off = runDc(scaWith({ enableExperimental: false }), { files: { 'composer.lock': '{}' } });

    expect(php.args).toContain('--enableExperimental');
    expect(php.stdout).toContain('Found ./composer.lock: experimental analyzers enabled');
    expect(node.args).not.toContain('--enableExperimental');
    expect(forced.args).toContain('--enableExperimental');
    expect(off.args).not.toContain('--enableExperimental');
  });

  it('exit 14 (non-fatal analyzer errors, report written) goes on to publish, with a warning', () => {
    const result = runDc(scaWith({ ossIndex: { enabled: false } }), { exit: 14 });

    expect(result.status).toBe(0);
    expect(result.warnings).toEqual([
      'Dependency-Check exited 14: non-fatal analyzer errors (see the log above); the report was written and is imported, but it may miss vulnerabilities of the dependencies those analyzers could not read',
    ]);
  });

  it.each([13, 12, 11, 1])('exit %i fails the step and says what it means', (exit) => {
    const result = runDc(scaWith({ ossIndex: { enabled: false } }), { exit });

    expect(result.status).toBe(exit);
    expect(result.stderr).toContain(`run-dependency-check: Dependency-Check failed with exit code ${exit} (`);
    expect(result.stderr).toContain(DEPENDENCY_CHECK_EXIT_CODES[exit]!);
  });

  (hasZip ? describe : describe.skip)('install', () => {
    function release(work: string): { zip: string; sha256: string } {
      const src = join(work, 'release');
      stub(join(src, 'dependency-check', 'bin'), 'dependency-check.sh', 'echo "Dependency-Check Core version 12.2.2"');
      spawnSync('zip', ['-qr', join(work, 'release.zip'), 'dependency-check'], { cwd: src });
      const sha256 = spawnSync('sha256sum', [join(work, 'release.zip')], { encoding: 'utf8' }).stdout.split(' ')[0]!;
      return { zip: join(work, 'release.zip'), sha256 };
    }

    function install(sha: string | undefined, zip: string, work: string, cache = join(work, '.cache')) {
      const bin = join(work, 'bin');
      stub(bin, 'curl', `out=""; prev=""; for a in "$@"; do [ "$prev" = "-o" ] && out="$a"; prev="$a"; done; printf '%s\\n' "$*" >> "${work}/curl.log"; cp "${zip}" "$out"`);
      return runStep(scaWith({ ossIndex: { enabled: false } }), 'install-dependency-check.sh', { work, bin, env: { DC_CACHE_DIR: cache, DC_SHA256: sha ?? '' } });
    }

    it('installs the release whose SHA-256 matches, from the DependencyCheck GitHub release', () => {
      const work = mkdtempSync(join(tmpdir(), 'dc-install-'));
      const { zip, sha256 } = release(work);

      const result = install(sha256, zip, work);

      expect(result.status).toBe(0);
      expect(readFileSync(join(work, 'curl.log'), 'utf8')).toContain(
        'https://github.com/dependency-check/DependencyCheck/releases/download/v12.2.2/dependency-check-12.2.2-release.zip',
      );
      expect(existsSync(join(work, '.cache', 'dependency-check-12.2.2', 'bin', 'dependency-check.sh'))).toBe(true);
    });

    it('refuses a download whose SHA-256 does not match', () => {
      const work = mkdtempSync(join(tmpdir(), 'dc-install-'));
      const { zip } = release(work);

      const result = install('0'.repeat(64), zip, work);

      expect(result.status).not.toBe(0);
      expect(result.stdout + result.stderr).toContain('FAILED');
      expect(existsSync(join(work, '.cache', 'dependency-check-12.2.2'))).toBe(false);
    });

    it('prunes the installs and NVD data of other versions from the cache, keeping this major version\'s data', () => {
      const work = mkdtempSync(join(tmpdir(), 'dc-install-'));
      const { zip, sha256 } = release(work);
      const cache = join(work, '.cache');
      for (const dir of ['dependency-check-12.1.0', 'data', 'data-v11', 'data-v12']) mkdirSync(join(cache, dir), { recursive: true });

      const result = install(sha256, zip, work, cache);

      expect(result.status).toBe(0);
      expect(spawnSync('ls', [cache], { encoding: 'utf8' }).stdout.trim().split('\n')).toEqual(['data-v12', 'dependency-check-12.2.2']);
    });
  });
});

describeWithJq('publish-and-gate.sh sends the build warnings', () => {
  it('reads the warnings file and the partial-scan marker into the event and prints the response warnings', () => {
    const build = scaBuild(example.sca);
    const work = mkdtempSync(join(tmpdir(), 'publish-w-'));
    const bin = join(work, 'bin');
    stub(
      bin,
      'aws',
      String.raw`
if [ "$1 $2" = "s3 cp" ]; then exit 0; fi
prev=""
for arg in "$@"; do
  if [ "$prev" = "--payload" ]; then cp "${'$'}{arg#file://}" "$FAKE_PAYLOAD"; fi
  prev="$arg"
done
jq '{status: "ok", failed: [], gate: {failOn: "HIGH", passed: true, blocking: 0}, warnings: .warnings}' "$FAKE_PAYLOAD" > "${'$'}{@: -1}"
echo '{"StatusCode": 200}'`,
    );
    writeFileSync(join(work, 'report.json'), '{"dependencies": []}');
    writeFileSync(join(work, '.warnings.txt'), 'Dependency-Check exited 14: analyzer errors\n\nSonatype OSS Index analyzer disabled\nDependency-Check exited 14: analyzer errors\n');

    const result = runStep(build, 'publish-and-gate.sh', {
      work,
      bin,
      env: {
        FAKE_PAYLOAD: join(work, 'payload.json'),
        SCAN_TOOL: 'dependency-check',
        SCAN_REPOSITORY: 'app',
        SCAN_BRANCH: 'main',
        CODEBUILD_BUILD_ID: 'sca:1',
        REPORTS_BUCKET: 'b',
        REPORTS_KMS_KEY_ARN: 'k',
        PARSER_FUNCTION: 'f',
      },
    });
    // runStep runs without arguments: publish needs the report path.
    expect(result.status).not.toBe(0);
    const scripts = writeScripts(build);
    writeFileSync(join(work, '.partial-scan'), 'https://staging.example.com\n');
    const ok = spawnSync('bash', [join(scripts, 'publish-and-gate.sh'), 'report.json'], {
      cwd: work,
      encoding: 'utf8',
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        FAKE_PAYLOAD: join(work, 'payload.json'),
        SCAN_WARNINGS_FILE: join(work, '.warnings.txt'),
        SCAN_PARTIAL_FILE: join(work, '.partial-scan'),
        SCAN_TOOL: 'dependency-check',
        SCAN_REPOSITORY: 'app',
        SCAN_BRANCH: 'main',
        CODEBUILD_BUILD_ID: 'sca:1',
        REPORTS_BUCKET: 'b',
        REPORTS_KMS_KEY_ARN: 'k',
        PARSER_FUNCTION: 'f',
      },
    });

    expect(ok.status).toBe(0);
    const payload = DirectInvokeSchema.parse(JSON.parse(readFileSync(join(work, 'payload.json'), 'utf8')));
    expect(payload.warnings).toEqual(['Dependency-Check exited 14: analyzer errors', 'Sonatype OSS Index analyzer disabled']);
    // A partial scan's marker becomes partialScan: true (the import then archives nothing the scan did not reach).
    expect(payload.partialScan).toBe(true);
    expect(ok.stderr).toContain('publish-and-gate: warning: Dependency-Check exited 14: analyzer errors');
    expect(ok.stderr).toContain('publish-and-gate: warning: Sonatype OSS Index analyzer disabled');
  });
});

describeWithJq('PHPStan build against a fake PHPStan and Composer', () => {
  const build = sastBuild(alternative.sast[0]!);
  const REPORT = '{"totals":{"errors":0,"file_errors":1},"files":{"/src/A.php":{"errors":1,"messages":[{"message":"Undefined variable $x","line":3,"ignorable":true}]}},"errors":[]}';

  function runPhpStan(exit: number, stdout: string) {
    const work = mkdtempSync(join(tmpdir(), 'phpstan-'));
    stub(join(work, '.cache', '2.1.17', 'vendor', 'bin'), 'phpstan', `printf '%s' '${stdout}'; [ ${exit} -ne 1 ] || [ -n '${stdout}' ] || echo "Invalid configuration: Unexpected item 'parameters › foo'." >&2; exit ${exit}`);
    return runStep(build, 'run-phpstan.sh', { work, env: { PHPSTAN_CACHE_DIR: join(work, '.cache'), PHPSTAN_VERSION: '2.1.17' } });
  }

  it.each([0, 1])('PHPStan exiting %i with its JSON result: the result is published (1 = errors found)', (exit) => {
    const result = runPhpStan(exit, REPORT);

    expect(result.status).toBe(0);
    expect(JSON.parse(readFileSync(join(result.work, 'phpstan-report.json'), 'utf8'))).toHaveProperty('totals');
    if (exit === 1) expect(result.stdout).toContain('run-phpstan: PHPStan found errors (1 in files, 0 global): they are imported and gated');
  });

  it('PHPStan exiting 1 without a JSON result (bad configuration) fails the step, clearly not a finding', () => {
    const result = runPhpStan(1, '');

    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Invalid configuration: Unexpected item 'parameters › foo'.");
    expect(result.stderr).toContain('run-phpstan: PHPStan exited 1 without a JSON result: a bad configuration or an autoload failure');
    expect(existsSync(join(result.work, 'phpstan-report.json'))).toBe(false);
  });

  it('PHPStan crashing (255, a PHP fatal error) fails the step with its code', () => {
    const result = runPhpStan(255, 'PHP Fatal error:  Allowed memory size of 2147483648 bytes exhausted');

    expect(result.status).toBe(255);
    expect(result.stderr).toContain('run-phpstan: PHPStan crashed with exit code 255');
  });

  it('global errors in the result (internal errors) are published with a warning', () => {
    const result = runPhpStan(1, '{"totals":{"errors":1,"file_errors":0},"files":[],"errors":["Internal error: Child process error"]}');

    expect(result.status).toBe(0);
    expect(result.warnings).toEqual(['PHPStan reported 1 error(s) not tied to a file (internal or configuration errors): the analysis may be incomplete']);
  });

  it.each([
    [0, []],
    [2, ["composer install failed (see the log above): PHPStan analyses without the application's dependencies and may report their classes as unknown"]],
  ])('installs the app without plugins, scripts or platform checks; composer exiting %i still lets the analysis run', (composerExit, warnings) => {
    const work = mkdtempSync(join(tmpdir(), 'phpstan-install-'));
    const bin = join(work, 'bin');
    writeFileSync(join(work, 'composer.json'), '{"require":{"composer/installers":"^2.0"}}');
    stub(join(work, '.cache', '2.1.17', 'vendor', 'bin'), 'phpstan', 'exit 0');
    stub(
      bin,
      'composer',
      `printf '%s\\n' "$*" >> "${work}/composer.log"; if [ "$1" = install ]; then [ ${composerExit} = 0 ] || echo "composer/installers contains a Composer plugin which is blocked by your allow-plugins config." >&2; exit ${composerExit}; fi`,
    );

    const result = runStep(build, 'install-phpstan.sh', { work, bin, env: { PHPSTAN_CACHE_DIR: join(work, '.cache'), PHPSTAN_VERSION: '2.1.17' } });

    expect(result.status).toBe(0);
    expect(readFileSync(join(work, 'composer.log'), 'utf8').trim()).toBe('install --no-interaction --no-progress --no-scripts --no-plugins --ignore-platform-reqs --prefer-dist');
    expect(result.warnings).toEqual(warnings);
  });
});

describeWithJq('SARIF command build against tools that exit 1 on findings', () => {
  const SARIF = '{"version":"2.1.0","runs":[]}';

  function sarif(sast: Record<string, unknown>) {
    return sastBuild(exampleApplication((app) => ({ ...app, sast: { tool: 'sarif', reportFile: 'out.sarif', ...sast } })).sast[0]!);
  }

  function runSarif(build: ScanBuild, work = mkdtempSync(join(tmpdir(), 'sarif-')), bin?: string) {
    const env = { SARIF_ENV_FILE: join(work, '.sarif-env.sh') };
    const installed = build.buildSpec.phases.install.commands.some((c) => c.includes('install-sarif-scanner.sh <<')) ? runStep(build, 'install-sarif-scanner.sh', { work, bin, env }) : undefined;
    if (installed && installed.status !== 0) return installed;
    return runStep(build, 'run-sarif-scanner.sh', { work, bin, env });
  }

  it.each([
    ['bandit -r . -f sarif -o out.sarif', 1],
    ['checkov -d . -o sarif --output-file-path .', 1],
    ['semgrep scan --error --sarif --output out.sarif', 1],
    ['trivy fs --exit-code 1 --format sarif --output out.sarif .', 1],
    ['gosec -fmt sarif -out out.sarif ./...', 1],
  ])('%s exiting %i with a report: the report is published', (command, exit) => {
    const work = mkdtempSync(join(tmpdir(), 'sarif-'));
    const bin = join(work, 'bin');
    const tool = command.split(' ')[0]!;
    stub(bin, tool, `echo '${SARIF}' > out.sarif; exit ${exit}`);

    const result = runSarif(sarif({ command }), work, bin);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('run-sarif-scanner: the scan command exited 1 with a report (it found something)');
  });

  it('fails on exit 1 without a report, and on an exit code not listed as "report written"', () => {
    const work = mkdtempSync(join(tmpdir(), 'sarif-'));
    const bin = join(work, 'bin');
    stub(bin, 'bandit', 'echo "[main] ERROR: no such file" >&2; exit 1');
    stub(bin, 'trivy', `echo '${SARIF}' > out.sarif; exit 2`);

    const noReport = runSarif(sarif({ command: 'bandit -r . -f sarif -o out.sarif' }), work, bin);
    const badCode = runSarif(sarif({ command: 'trivy fs --format sarif --output out.sarif .' }), work, bin);
    const listed = runSarif(sarif({ command: 'trivy fs --format sarif --output out.sarif .', reportExitCodes: [0, 2] }), work, bin);

    expect(noReport.status).toBe(1);
    expect(noReport.stderr).toContain('run-sarif-scanner: the scan command exited 1 but wrote no report at out.sarif');
    expect(badCode.status).toBe(2);
    expect(badCode.stderr).toContain('run-sarif-scanner: the scan command failed with exit code 2 (codes that mean a report: 0 1)');
    expect(listed.status).toBe(0);
  });

  it('a virtualenv activated in the install step is still active in the run step', () => {
    const work = mkdtempSync(join(tmpdir(), 'sarif-venv-'));
    // Stands in for `pip install bandit`: a bandit that exists inside the virtualenv only.
    writeFileSync(join(work, 'fake-bandit'), `#!/usr/bin/env bash\necho "$VIRTUAL_ENV" > venv-seen.txt\necho '${SARIF}' > out.sarif\nexit 1\n`);
    const build = sarif({
      install: ['python3 -m venv --without-pip .venv', '. .venv/bin/activate', 'install -m 755 fake-bandit .venv/bin/bandit'],
      command: 'bandit -r src -f sarif -o out.sarif',
    });

    const result = runSarif(build, work);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readFileSync(join(work, 'venv-seen.txt'), 'utf8').trim()).toBe(join(work, '.venv'));
  });
});

describeWithJq('ZAP builds against a fake Docker and a fake findings CLI', () => {
  function runZap(dast: Record<string, unknown>, zapExit: number, writeReport = true) {
    const config = exampleApplication((app) => ({ ...app, dast: { mode: 'in-build', ...dast } }));
    const build = dastBuild(config.dast, config.staging.url);
    const work = mkdtempSync(join(tmpdir(), 'zap-'));
    const bin = join(work, 'bin');
    stub(bin, 'docker', `if [ "$1" = run ]; then printf '%s\\n' "$@" > "${work}/docker-args"; ${writeReport ? `echo '{"site":[]}' > "$PWD/zap-work/zap-report.json";` : ''} exit ${zapExit}; fi`);
    const result = runStep(build, 'run-zap.sh', { work, bin });
    const args = existsSync(join(work, 'docker-args')) ? readFileSync(join(work, 'docker-args'), 'utf8').trim().split('\n') : [];
    return { ...result, args, build };
  }

  it('a full scan bounds start-up and passive scan (-T), the spider (-m) and the active scan (ascan.maxScanDurationInMins) within its budget', () => {
    const result = runZap({ scan: 'full', timeoutMinutes: 60 }, 0);

    expect(result.status).toBe(0);
    expect(result.args.slice(-13)).toEqual([
      'ghcr.io/zaproxy/zaproxy:stable',
      'zap-full-scan.py',
      '-t',
      'https://staging.example.com',
      '-J',
      'zap-report.json',
      '-I',
      '-T',
      '9',
      '-m',
      '12',
      '-z',
      '-config ascan.maxScanDurationInMins=30',
    ]);
    // Every bound together fits the budget; the build allows 15 minutes more for the pull and the import.
    expect(zapBudget('full', 60)).toEqual({ startupAndPassiveMinutes: 9, spiderMinutes: 12, activeScanMinutes: 30 });
    expect(result.build.timeoutMinutes).toBe(75);
  });

  it.each([5, 30, 60, 120, 480])('the bounds of a %i-minute scan add up to at most its budget (+1 for the 5-minute minimum)', (minutes) => {
    for (const scan of ['baseline', 'full'] as const) {
      const b = zapBudget(scan, minutes);
      expect(2 * b.startupAndPassiveMinutes + b.spiderMinutes + (b.activeScanMinutes ?? 0)).toBeLessThanOrEqual(minutes + 1);
    }
  });

  it('a baseline scan bounds the spider and the passive scan, with no active scan', () => {
    const result = runZap({ scan: 'baseline', timeoutMinutes: 60 }, 2);

    expect(result.status).toBe(0);
    expect(result.args).toEqual(expect.arrayContaining(['zap-baseline.py', '-T', '15', '-m', '30']));
    expect(result.args).not.toContain('-z');
  });

  it.each([
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 3],
  ])('ZAP exiting %i makes the step exit %i (1 FAIL and 2 WARN are results for the gate; 3 any other failure)', (zapExit, expected) => {
    const result = runZap({ scan: 'full' }, zapExit);

    expect(result.status).toBe(expected);
    if (expected === 0) expect(readFileSync(join(result.work, 'zap-report.json'), 'utf8').trim()).toBe('{"site":[]}');
    else expect(result.stderr).toContain('run-zap: the ZAP scan failed with exit code 3');
  });

  it('fails when ZAP exits 0 without writing its report', () => {
    const result = runZap({ scan: 'baseline' }, 0, false);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('run-zap: ZAP exited 0 but wrote no report');
  });

  (hasZip ? it : it.skip)('ZAP server mode installs the findings CLI from its S3 asset and runs zap-scan with the timeout; a partial scan still publishes', () => {
    const build = dastBuild(alternative.dast, alternative.staging.url);
    const work = mkdtempSync(join(tmpdir(), 'zap-server-'));
    const bin = join(work, 'bin');
    const asset = join(work, 'asset');
    mkdirSync(asset);
    writeFileSync(join(asset, 'main.mjs'), '// findings CLI');
    spawnSync('zip', ['-q', join(work, 'cli.zip'), 'main.mjs'], { cwd: asset });
    stub(bin, 'aws', `[ "$1 $2 $3" = "s3 cp s3://assets-bucket/cli.zip" ] || exit 9; cp "${work}/cli.zip" "$4"`);
    // The CLI as the build sees it: a time-out writes the report and records the partial warning (zap-scan.spec.ts).
    stub(bin, 'node', `printf '%s\\n' "$@" > "${work}/node-args"; echo '{"site":[]}' > zap-report.json; echo "ZAP active: time limit; partial" >> "$SCAN_WARNINGS_FILE"; echo "$SCAN_TARGET" > "$SCAN_PARTIAL_FILE"`);
    const env = { FINDINGS_CLI_BUCKET: 'assets-bucket', FINDINGS_CLI_KEY: 'cli.zip', FINDINGS_CLI_DIR: join(work, 'cli') };

    const installed = runStep(build, 'install-findings-cli.sh', { work, bin, env });
    const scanned = runStep(build, 'run-zap-scan.sh', { work, bin, env });

    expect(installed.status).toBe(0);
    expect(readFileSync(join(work, 'cli', 'main.mjs'), 'utf8')).toBe('// findings CLI');
    expect(scanned.status).toBe(0);
    expect(readFileSync(join(work, 'node-args'), 'utf8').trim().split('\n')).toEqual([
      join(work, 'cli', 'main.mjs'),
      'zap-scan',
      '--target',
      'https://staging.shop.example',
      '--zap',
      'https://zap.internal.example:8080',
      '--api-key-parameter',
      '/shop/zap/api-key',
      '--timeout',
      '60',
      '--out',
      'zap-report.json',
      '--new-session',
      '--baseline',
    ]);
    expect(scanned.warnings).toEqual(['ZAP active: time limit; partial']);
    expect(scanned.partial).toBe(true);
    expect(build.buildSpec.phases.install.commands.at(-1)).toBe(`bash ${SCRIPT_DIR}/install-findings-cli.sh`);
  });
});

describeWithJq('SonarQube build against a fake SonarScanner and a fake findings CLI', () => {
  function sonar(extra: Record<string, unknown> = {}) {
    return sastBuild(exampleApplication((app) => ({ ...app, sast: { ...(app.sast as Record<string, unknown>[])[0], ...extra } })).sast[0]!);
  }

  it('runs the scanner, then the CLI export (every page past 10,000, server-version parameters), token only in the environment', () => {
    const build = sonar();
    const work = mkdtempSync(join(tmpdir(), 'sonar-'));
    const bin = join(work, 'bin');
    stub(join(work, '.cache', 'sonar-scanner-7.1.0.4889', 'bin'), 'sonar-scanner', `printf '%s\\n' "$@" > "${work}/scanner-args"; mkdir -p .scannerwork; printf 'serverVersion=10.6.0.92116\\nceTaskId=T1\\n' > .scannerwork/report-task.txt`);
    stub(bin, 'node', `printf '%s\\n' "$@" > "${work}/node-args"; [ -n "$SONAR_TOKEN" ] || exit 7; echo '{"issues":{"issues":[]},"hotspots":{"hotspots":[]}}' > sonarqube-report.json; echo '{"status":"OK"}' > sonarqube-quality-gate.json`);

    const result = runStep(build, 'run-sonarqube.sh', {
      work,
      bin,
      env: { SONAR_CACHE_DIR: join(work, '.cache'), SONAR_TOKEN: 'squ_secret_token', SCAN_COMMIT: 'abc123', FINDINGS_CLI_DIR: join(work, 'cli') },
    });

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const scannerArgs = readFileSync(join(work, 'scanner-args'), 'utf8');
    const nodeArgs = readFileSync(join(work, 'node-args'), 'utf8').trim().split('\n');
    expect(scannerArgs).toContain('-Dsonar.projectKey=sample-php-app');
    expect(scannerArgs).toContain('-Dsonar.scm.revision=abc123');
    expect(nodeArgs).toEqual([
      join(work, 'cli', 'main.mjs'),
      'sonarqube-export',
      '--report-task',
      '.scannerwork/report-task.txt',
      '--server-url',
      'https://sonarqube.example.com',
      '--timeout',
      '15',
      '--out',
      'sonarqube-report.json',
      '--quality-gate-out',
      'sonarqube-quality-gate.json',
    ]);
    expect(scannerArgs + nodeArgs.join('\n')).not.toContain('squ_secret_token');
    expect(build.buildSpec.phases.install['runtime-versions']).toEqual({ java: 'corretto21', nodejs: '22' });
    expect(build.usesFindingsCli).toBe(true);
  });

  it('checks the quality gate only when asked, and only after the findings are published', () => {
    const off = sonar();
    const on = sonar({ failOnQualityGate: true });

    expect(off.buildSpec.phases.build.commands.at(-1)).toMatch(/publish-and-gate\.sh/);
    expect(on.buildSpec.phases.build.commands.slice(-2)).toEqual([`bash ${SCRIPT_DIR}/publish-and-gate.sh 'sonarqube-report.json'`, `bash ${SCRIPT_DIR}/check-quality-gate.sh`]);

    const work = mkdtempSync(join(tmpdir(), 'sonar-gate-'));
    writeFileSync(join(work, 'sonarqube-quality-gate.json'), JSON.stringify({ status: 'ERROR', conditions: [{ status: 'ERROR', metricKey: 'new_coverage', errorThreshold: '80', actualValue: '41.2' }, { status: 'OK', metricKey: 'new_bugs' }] }));
    const failed = runStep(on, 'check-quality-gate.sh', { work });
    writeFileSync(join(work, 'sonarqube-quality-gate.json'), JSON.stringify({ status: 'OK', conditions: [] }));
    const passed = runStep(on, 'check-quality-gate.sh', { work });

    expect(failed.status).toBe(1);
    expect(failed.stderr).toBe('check-quality-gate: the SonarQube quality gate failed (sast.failOnQualityGate): [{"metric":"new_coverage","actual":"41.2","threshold":"80"}]\n');
    expect(passed.status).toBe(0);
  });
});
