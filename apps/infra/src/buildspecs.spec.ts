import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DirectInvokeSchema, reportObjectKey } from '@devsecops/scan-ingest';
import { PUBLISH_AND_GATE_SCRIPT, SCRIPT_DIR, allCommands, dastBuild, sastBuild, scaBuild, scriptsOf, shellQuote, type ScanBuild } from './buildspecs';
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
    expect(build.buildSpec.env.variables).toMatchObject({ DC_VERSION: '12.1.0', DC_CACHE_DIR: '/root/.devsecops-cache/dependency-check' });
    expect(scriptsOf(build.buildSpec)['run-dependency-check.sh']).toContain('--data "$DC_CACHE_DIR/data"');
    expect(build.secrets).toEqual({ NVD_API_KEY: { parameter: '/devsecops/nvd/api-key' } });
    expect(build.computeSize).toBe('MEDIUM');
  });

  it('verifies the Dependency-Check download when a checksum is configured', () => {
    const sha = 'a'.repeat(64);
    const build = scaBuild({ ...example.sca, dependencyCheckSha256: sha });

    expect(scriptsOf(build.buildSpec)['install-dependency-check.sh']).toContain(`echo "${sha}  $tmp/dc.zip" | sha256sum --check --strict -`);
  });

  it('only the in-build ZAP scan is privileged (Docker), every other build is not', () => {
    expect(BUILDS.filter(([, b]) => b.privileged).map(([name]) => name)).toEqual(['DAST ZAP in the build']);
  });

  it('the ZAP server scan runs findings-cli zap-scan with the API key parameter name, never the key', () => {
    const build = dastBuild(alternative.dast, alternative.staging.url);
    const script = scriptsOf(build.buildSpec)['run-zap-scan.sh']!;

    expect(build.variables).toMatchObject({ SCAN_TARGET: 'https://staging.shop.example', ZAP_URL: 'https://zap.internal.example:8080', ZAP_API_KEY_PARAMETER: '/shop/zap/api-key' });
    expect(script).toMatch(/node "\$cli\/main\.mjs" zap-scan/);
    expect(script).toContain('--api-key-parameter "$ZAP_API_KEY_PARAMETER"');
    expect(script).toContain('--baseline');
    expect(script).toContain('--new-session');
    expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
    expect(build.buildSpec.phases.install['runtime-versions']).toEqual({ nodejs: '22' });
  });

  it('the SARIF build runs the configured install and scan commands and publishes the configured file', () => {
    const build = sastBuild(sarifConfig().sast[0]!);
    const scripts = scriptsOf(build.buildSpec);

    expect(scripts['install-sarif-scanner.sh']).toContain('pip install --quiet semgrep==1.120.0');
    expect(scripts['run-sarif-scanner.sh']).toContain('semgrep scan --config p/php --sarif --output semgrep.sarif');
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

  function run(options: { response?: unknown; meta?: Record<string, unknown>; invokeExit?: number; s3Exit?: number; report?: string | null; env?: Record<string, string> } = {}): Run {
    const work = mkdtempSync(join(tmpdir(), 'publish-'));
    const bin = join(work, 'bin');
    const s3 = join(work, 's3');
    stub(
      bin,
      'aws',
      String.raw`
printf '%s\n' "$*" >> "$FAKE_LOG"
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
        ...options.env,
      },
    });
    const calls = existsSync(join(work, 'calls.log')) ? readFileSync(join(work, 'calls.log'), 'utf8').trim().split('\n') : [];
    const stored: Record<string, string> = {};
    const listing = spawnSync('find', [s3, '-type', 'f'], { encoding: 'utf8' }).stdout.trim();
    for (const file of listing ? listing.split('\n') : []) stored[file.slice(s3.length + 1)] = readFileSync(file, 'utf8');
    const payload = existsSync(join(work, 'payload.json')) ? (JSON.parse(readFileSync(join(work, 'payload.json'), 'utf8')) as Record<string, unknown>) : undefined;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls, stored, payload };
  }

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

describeWithJq('scanner steps against fake scanners', () => {
  it('Dependency-Check gets the NVD key from a properties file, never on its command line', () => {
    const scripts = writeScripts(scaBuild(example.sca));
    const work = mkdtempSync(join(tmpdir(), 'dc-'));
    const cache = join(work, 'cache');
    stub(join(cache, 'dependency-check-12.1.0', 'bin'), 'dependency-check.sh', 'printf "%s\\n" "$@" > "$ARGS_LOG"; props=""; prev=""; for a in "$@"; do [ "$prev" = "--propertyfile" ] && props="$a"; prev="$a"; done; cp "$props" "$PROPS_COPY"');

    const result = spawnSync('bash', [join(scripts, 'run-dependency-check.sh')], {
      cwd: work,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, DC_CACHE_DIR: cache, DC_VERSION: '12.1.0', NVD_API_KEY: 'nvd-secret-value', SCAN_REPOSITORY: 'app', ARGS_LOG: join(work, 'args'), PROPS_COPY: join(work, 'props') },
    });

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const args = readFileSync(join(work, 'args'), 'utf8');
    expect(args).not.toContain('nvd-secret-value');
    expect(args).toContain('--format\nJSON');
    expect(args).toContain(`--data\n${cache}/data`);
    expect(args).toContain('--exclude\n**/.git/**');
    expect(readFileSync(join(work, 'props'), 'utf8')).toBe('nvd.api.key=nvd-secret-value\n');
  });

  it.each([
    [0, 0],
    [1, 0],
    [255, 255],
  ])('PHPStan exiting %i makes the step exit %i (1 = errors found, a result for the gate)', (phpstanExit, expected) => {
    const scripts = writeScripts(sastBuild(alternative.sast[0]!));
    const work = mkdtempSync(join(tmpdir(), 'phpstan-'));
    stub(join(work, 'cache', '2.1.17', 'vendor', 'bin'), 'phpstan', `echo '{"totals":{"errors":0,"file_errors":0},"files":{},"errors":[]}'; exit ${phpstanExit}`);

    const result = spawnSync('bash', [join(scripts, 'run-phpstan.sh')], {
      cwd: work,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, PHPSTAN_CACHE_DIR: join(work, 'cache'), PHPSTAN_VERSION: '2.1.17' },
    });

    expect(result.status).toBe(expected);
    expect(JSON.parse(readFileSync(join(work, 'phpstan-report.json'), 'utf8'))).toHaveProperty('totals');
  });

  it.each([
    [2, 0],
    [3, 3],
  ])('ZAP in the build exiting %i makes the step exit %i (1 FAIL and 2 WARN are results for the gate)', (zapExit, expected) => {
    const scripts = writeScripts(dastBuild(example.dast, example.staging.url));
    const work = mkdtempSync(join(tmpdir(), 'zap-'));
    const bin = join(work, 'bin');
    stub(bin, 'docker', `if [ "$1" = run ]; then echo '{"site":[]}' > "$PWD/zap-work/zap-report.json"; exit ${zapExit}; fi`);

    const result = spawnSync('bash', [join(scripts, 'run-zap.sh')], {
      cwd: work,
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, ZAP_IMAGE: 'ghcr.io/zaproxy/zaproxy:stable', ZAP_SCRIPT: 'zap-baseline.py', ZAP_MAX_MINUTES: '60', SCAN_TARGET: 'https://staging.example.com' },
    });

    expect(result.status).toBe(expected);
    if (expected === 0) expect(readFileSync(join(work, 'zap-report.json'), 'utf8').trim()).toBe('{"site":[]}');
  });

  it('SonarQube: waits for the analysis, exports every page of issues and hotspots, authenticates from a file', () => {
    const scripts = writeScripts(sastBuild(example.sast[0]!));
    const work = mkdtempSync(join(tmpdir(), 'sonar-'));
    const bin = join(work, 'bin');
    stub(join(work, 'cache', 'sonar-scanner-7.1.0.4889', 'bin'), 'sonar-scanner', 'mkdir -p .scannerwork; echo "ceTaskUrl=https://sonar.example.com/api/ce/task?id=T1" > .scannerwork/report-task.txt');
    // Two pages of issues (total 600 > 500 per page) and one of hotspots; the task is pending once.
    stub(
      bin,
      'curl',
      String.raw`
printf '%s\n' "$*" >> "$CURL_LOG"
url=""; page=1
for a in "$@"; do
  case "$a" in https://*) url="$a" ;; p=*) page="${'$'}{a#p=}" ;; esac
done
case "$url" in
  *api/ce/task*) if [ -f "$STATE" ]; then echo '{"task":{"status":"SUCCESS"}}'; else touch "$STATE"; echo '{"task":{"status":"IN_PROGRESS"}}'; fi ;;
  *api/issues/search) echo "{\"paging\":{\"pageIndex\":$page,\"pageSize\":500,\"total\":600},\"issues\":[{\"key\":\"I$page\"}],\"components\":[]}" ;;
  *api/hotspots/search) echo '{"paging":{"pageIndex":1,"pageSize":500,"total":1},"hotspots":[{"key":"H1"}]}' ;;
  *) exit 22 ;;
esac`,
    );
    stub(bin, 'sleep', 'exit 0');

    const result = spawnSync('bash', [join(scripts, 'run-sonarqube.sh')], {
      cwd: work,
      encoding: 'utf8',
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        SONAR_CACHE_DIR: join(work, 'cache'),
        SONAR_SCANNER_VERSION: '7.1.0.4889',
        SONAR_HOST_URL: 'https://sonar.example.com/',
        SONAR_PROJECT_KEY: 'sample-php-app',
        SONAR_TOKEN: 'squ_secret_token',
        SONAR_WAIT_SECONDS: '60',
        CURL_LOG: join(work, 'curl.log'),
        STATE: join(work, 'state'),
      },
    });

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'sonarqube-report.json'), 'utf8')) as { issues?: { key: string }[]; hotspots?: { key: string }[] }[];
    expect(report.flatMap((page) => [...(page.issues ?? []), ...(page.hotspots ?? [])]).map((i) => i.key).sort()).toEqual(['H1', 'I1', 'I2']);
    const curlCalls = readFileSync(join(work, 'curl.log'), 'utf8');
    expect(curlCalls).not.toContain('squ_secret_token');
    expect(curlCalls).toContain('componentKeys=sample-php-app');
    expect(curlCalls).toContain('resolved=false');
  });
});
