import type { DastConfig, SastConfig, ScaConfig, SecretRef } from './config';

/**
 * Buildspecs of the scan projects, generated from configuration. Every multi-step piece of shell is a script
 * written to SCRIPT_DIR and run with `bash -euo pipefail` semantics, so a failing step fails the build;
 * nothing is masked (no `|| echo`, no `|| true`). The scripts are plain strings, so tests can syntax-check
 * them and run them against a fake `aws` CLI.
 */

export const SCRIPT_DIR = '/tmp/devsecops';
const HEREDOC_END = 'DEVSECOPS_SCRIPT_END';

export type ScanTool = 'dependency-check' | 'sonarqube' | 'phpstan' | 'sarif' | 'zap';

export interface ScanBuild {
  tool: ScanTool;
  /** Buildspec object (rendered to YAML by CodeBuild's BuildSpec.fromObjectToYaml). */
  buildSpec: BuildSpecObject;
  /** Plain, non-secret environment variables of the project. */
  variables: Record<string, string>;
  /** Secrets, resolved by CodeBuild at build time from Parameter Store or Secrets Manager. */
  secrets: Record<string, SecretRef>;
  /** Docker-in-Docker is needed only to run ZAP's container inside the build. */
  privileged: boolean;
  /** Directories kept in the S3 build cache between builds. */
  cachePaths: string[];
  /** Larger instance for scanners that need memory (Dependency-Check's NVD database). */
  computeSize: 'SMALL' | 'MEDIUM';
  timeoutMinutes: number;
}

export interface BuildSpecObject {
  version: '0.2';
  env: { shell: 'bash'; variables?: Record<string, string> };
  phases: {
    install: { 'runtime-versions'?: Record<string, string>; commands: string[] };
    build: { commands: string[] };
  };
  cache?: { paths: string[] };
}

/** Quotes a value for bash (single quotes, embedded quotes escaped). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A buildspec command that writes a script file (quoted heredoc: nothing in the body is expanded). */
export function writeScriptCommand(name: string, body: string): string {
  if (body.split('\n').some((line) => line.trim() === HEREDOC_END)) throw new Error(`script ${name} contains the heredoc terminator`);
  return `cat > ${SCRIPT_DIR}/${name} <<'${HEREDOC_END}'\n#!/usr/bin/env bash\nset -euo pipefail\n${body.trim()}\n${HEREDOC_END}`;
}

export function runScriptCommand(name: string, ...args: string[]): string {
  return [`bash ${SCRIPT_DIR}/${name}`, ...args].join(' ');
}

/**
 * Uploads the report (SSE-KMS) under reports/<tool>/<repository>/<branch>/<commit>/<buildId>/<file>, each segment
 * URL-encoded as reportObjectKey() does; invokes the parser Lambda synchronously with an S3 pointer; fails on a
 * CLI error, a FunctionError, a status other than ok, or a failed gate.
 */
export const PUBLISH_AND_GATE_SCRIPT = String.raw`
report_file="${'$'}{1:?usage: publish-and-gate.sh <report file>}"
: "${'$'}{SCAN_TOOL:?}" "${'$'}{SCAN_REPOSITORY:?}" "${'$'}{SCAN_BRANCH:?}" "${'$'}{REPORTS_BUCKET:?}" "${'$'}{REPORTS_KMS_KEY_ARN:?}" "${'$'}{PARSER_FUNCTION:?}" "${'$'}{CODEBUILD_BUILD_ID:?}"

if [ ! -s "$report_file" ]; then
  echo "publish-and-gate: the scan wrote no report at $report_file" >&2
  exit 1
fi

key="$(jq -rn \
  --arg tool "$SCAN_TOOL" --arg repository "$SCAN_REPOSITORY" --arg branch "$SCAN_BRANCH" \
  --arg commit "${'$'}{SCAN_COMMIT:-}" --arg build "$CODEBUILD_BUILD_ID" --arg file "$(basename "$report_file")" \
  '[$tool, $repository, $branch, $commit, $build, $file] | map(if . == "" then "-" else . end | @uri) | "reports/" + join("/")')"

aws s3 cp "$report_file" "s3://$REPORTS_BUCKET/$key" --sse aws:kms --sse-kms-key-id "$REPORTS_KMS_KEY_ARN" --only-show-errors
echo "publish-and-gate: report stored at s3://$REPORTS_BUCKET/$key"

work="$(mktemp -d)"
# The repository's decisions travel with the scan, inline: the suppressions file (GATE_SUPPRESSIONS_FILE, default
# .devsecops/suppressions.yaml) and OpenVEX documents (GATE_VEX_FILES, space-separated), when they exist.
jq -n '[]' > "$work/suppressions.json"
jq -n '[]' > "$work/vex.json"
suppressions_file="${'$'}{GATE_SUPPRESSIONS_FILE:-.devsecops/suppressions.yaml}"
if [ -f "$suppressions_file" ]; then
  jq -n --arg name "$suppressions_file" --rawfile content "$suppressions_file" '[{name: $name, content: $content}]' > "$work/suppressions.json"
fi
for vex_file in ${'$'}{GATE_VEX_FILES:-}; do
  [ -f "$vex_file" ] || { echo "publish-and-gate: GATE_VEX_FILES names $vex_file, which does not exist" >&2; exit 1; }
  jq --arg name "$vex_file" --rawfile content "$vex_file" '. + [{name: $name, content: $content}]' "$work/vex.json" > "$work/vex.next" && mv "$work/vex.next" "$work/vex.json"
done
jq -n \
  --arg tool "$SCAN_TOOL" --arg repository "$SCAN_REPOSITORY" --arg branch "$SCAN_BRANCH" \
  --arg commit "${'$'}{SCAN_COMMIT:-}" --arg buildId "$CODEBUILD_BUILD_ID" \
  --arg bucket "$REPORTS_BUCKET" --arg key "$key" \
  --arg failOn "${'$'}{GATE_FAIL_ON:-}" --arg target "${'$'}{SCAN_TARGET:-}" \
  --arg category "${'$'}{SCAN_CATEGORY:-}" --arg importRoleArn "${'$'}{IMPORT_ROLE_ARN:-}" \
  '{tool: $tool, repository: $repository, branch: $branch, buildId: $buildId, report: {bucket: $bucket, key: $key}}
   + (if $commit == "" then {} else {commit: $commit} end)
   + (if $failOn == "" then {} else {failOn: $failOn} end)
   + (if $target == "" then {} else {target: $target} end)
   + (if $category == "" then {} else {category: $category} end)
   + (if $importRoleArn == "" then {} else {importRoleArn: $importRoleArn} end)
   + ({suppressions: $suppressions[0], vex: $vex[0]} | with_entries(select(.value | length > 0)) | if . == {} then {} else {gate: .} end)' \
  --slurpfile suppressions "$work/suppressions.json" --slurpfile vex "$work/vex.json" > "$work/payload.json"

# Synchronous invoke; the read timeout outlasts the function's own timeout.
aws lambda invoke \
  --function-name "$PARSER_FUNCTION" \
  --cli-binary-format raw-in-base64-out \
  --payload "file://$work/payload.json" \
  --cli-read-timeout "${'$'}{INVOKE_READ_TIMEOUT:-960}" \
  "$work/response.json" > "$work/invoke.json"

function_error="$(jq -r '.FunctionError // ""' "$work/invoke.json")"
if [ -n "$function_error" ]; then
  echo "publish-and-gate: $PARSER_FUNCTION failed ($function_error):" >&2
  cat "$work/response.json" >&2
  echo >&2
  exit 1
fi

jq '{status, tool, total, active, bySeverity, imported, unchanged, archived, reactivated, notSent, failed: (.failed // [] | length), gate: (.gate | del(.findings?, .suppressed?, .reopened?)), warnings}' "$work/response.json"
# What blocks, and why, in the build log: a developer sees it without opening Security Hub.
jq -r '.gate // {} | (.findings // [])[] | "BLOCKING \(.severity) \(.tool) \(.rule) · \(.location)\n  \(.title)\n  blocks: \([.reasons[]? | "\(.kind) (\(.detail))"] | join(", "))\n  \(.consoleUrl)"' "$work/response.json"
jq -r '.gate // {} | (.suppressed // [])[] | "suppressed \(.severity) \(.tool) \(.rule) · \(.location) by \(.by) (\(.source)): \(.note)"' "$work/response.json"
jq -r '.gate.summary // empty' "$work/response.json"

status="$(jq -r '.status // "missing"' "$work/response.json")"
if [ "$status" != "ok" ]; then
  echo "publish-and-gate: the import did not complete (status $status): $(jq -c '{failed: (.failed // [] | length), notSent}' "$work/response.json")" >&2
  exit 1
fi

passed="$(jq -r 'if .gate.passed == true then "yes" else "no" end' "$work/response.json")"
if [ "$passed" != "yes" ]; then
  echo "publish-and-gate: gate failed: $(jq -r '.gate.summary // "\(.gate.blocking // "?") active finding(s) at or above \(.gate.failOn // "?")"' "$work/response.json")" >&2
  exit 1
fi
echo "publish-and-gate: gate passed"
`;

interface Step {
  script: string;
  body: string;
  args?: string[];
}

function buildSpec(options: {
  runtimes: Record<string, string>;
  variables?: Record<string, string>;
  install: Step[];
  build: Step[];
  reportFile: string;
  cachePaths?: string[];
}): BuildSpecObject {
  const steps = [...options.install, ...options.build];
  return {
    version: '0.2',
    env: { shell: 'bash', ...(options.variables ? { variables: options.variables } : {}) },
    phases: {
      install: {
        ...(Object.keys(options.runtimes).length > 0 ? { 'runtime-versions': options.runtimes } : {}),
        commands: [
          `mkdir -p ${SCRIPT_DIR}`,
          writeScriptCommand('publish-and-gate.sh', PUBLISH_AND_GATE_SCRIPT),
          ...steps.map((s) => writeScriptCommand(s.script, s.body)),
          ...options.install.map((s) => runScriptCommand(s.script, ...(s.args ?? []))),
        ],
      },
      build: {
        commands: [
          ...options.build.map((s) => runScriptCommand(s.script, ...(s.args ?? []))),
          runScriptCommand('publish-and-gate.sh', shellQuote(options.reportFile)),
        ],
      },
    },
    ...(options.cachePaths && options.cachePaths.length > 0 ? { cache: { paths: options.cachePaths } } : {}),
  };
}

const CACHE_ROOT = '/root/.devsecops-cache';

// ---------------------------------------------------------------- SCA: OWASP Dependency-Check

export function scaBuild(sca: ScaConfig): ScanBuild {
  const cacheDir = `${CACHE_ROOT}/dependency-check`;
  const reportFile = 'dependency-check-report/dependency-check-report.json';
  const scanArgs = [...sca.scanPaths.flatMap((p) => ['--scan', shellQuote(p)]), ...['**/.git/**', ...sca.excludes].flatMap((e) => ['--exclude', shellQuote(e)])];
  const install: Step = {
    script: 'install-dependency-check.sh',
    body: String.raw`
dc_home="$DC_CACHE_DIR/dependency-check-$DC_VERSION"
if [ -x "$dc_home/bin/dependency-check.sh" ]; then
  echo "Dependency-Check $DC_VERSION restored from the build cache"
  exit 0
fi
tmp="$(mktemp -d)"
curl -fsSL --retry 3 -o "$tmp/dc.zip" "https://github.com/dependency-check/DependencyCheck/releases/download/v$DC_VERSION/dependency-check-$DC_VERSION-release.zip"
${sca.dependencyCheckSha256 ? `echo "${sca.dependencyCheckSha256}  $tmp/dc.zip" | sha256sum --check --strict -` : '# No dependencyCheckSha256 configured: the download is trusted over TLS only.'}
unzip -q "$tmp/dc.zip" -d "$tmp"
mkdir -p "$DC_CACHE_DIR"
rm -rf "$dc_home"
mv "$tmp/dependency-check" "$dc_home"
`,
  };
  const run: Step = {
    script: 'run-dependency-check.sh',
    body: String.raw`
props="$(mktemp)"
trap 'rm -f "$props"' EXIT
chmod 600 "$props"
# The NVD API key goes through a properties file, never the command line (visible in the process list).
printf 'nvd.api.key=%s\n' "$NVD_API_KEY" > "$props"
rm -rf dependency-check-report
mkdir -p dependency-check-report
# The data directory lives in the S3 build cache, so each build only fetches the NVD changes since the last one.
"$DC_CACHE_DIR/dependency-check-$DC_VERSION/bin/dependency-check.sh" \
  --project "$SCAN_REPOSITORY" \
  --format JSON --prettyPrint \
  --out dependency-check-report \
  --data "$DC_CACHE_DIR/data" \
  --propertyfile "$props" \
  ${scanArgs.join(' ')}
`,
  };
  return {
    tool: 'dependency-check',
    buildSpec: buildSpec({
      runtimes: { java: 'corretto21' },
      variables: { DC_VERSION: sca.dependencyCheckVersion, DC_CACHE_DIR: cacheDir },
      install: [install],
      build: [run],
      reportFile,
      cachePaths: [`${cacheDir}/**/*`],
    }),
    variables: { GATE_FAIL_ON: sca.failOn },
    secrets: { NVD_API_KEY: sca.nvdApiKey },
    privileged: false,
    cachePaths: [`${cacheDir}/**/*`],
    computeSize: 'MEDIUM',
    timeoutMinutes: 90,
  };
}

// ---------------------------------------------------------------- SAST

function sonarQubeBuild(sast: Extract<SastConfig, { tool: 'sonarqube' }>): ScanBuild {
  const cacheDir = `${CACHE_ROOT}/sonar`;
  const install: Step = {
    script: 'install-sonar-scanner.sh',
    body: String.raw`
scanner_home="$SONAR_CACHE_DIR/sonar-scanner-$SONAR_SCANNER_VERSION"
if [ -x "$scanner_home/bin/sonar-scanner" ]; then
  echo "SonarScanner $SONAR_SCANNER_VERSION restored from the build cache"
  exit 0
fi
tmp="$(mktemp -d)"
curl -fsSL --retry 3 -o "$tmp/scanner.zip" "https://binaries.sonarsource.com/Distribution/sonar-scanner-cli/sonar-scanner-cli-$SONAR_SCANNER_VERSION-linux-x64.zip"
unzip -q "$tmp/scanner.zip" -d "$tmp"
mkdir -p "$SONAR_CACHE_DIR"
rm -rf "$scanner_home"
mv "$tmp/sonar-scanner-$SONAR_SCANNER_VERSION-linux-x64" "$scanner_home"
`,
  };
  const run: Step = {
    script: 'run-sonarqube.sh',
    body: String.raw`
host="${'$'}{SONAR_HOST_URL%/}"
# The scanner reads SONAR_TOKEN from its environment: the token is never on a command line.
"$SONAR_CACHE_DIR/sonar-scanner-$SONAR_SCANNER_VERSION/bin/sonar-scanner" \
  -Dsonar.host.url="$host" \
  -Dsonar.projectKey="$SONAR_PROJECT_KEY" \
  ${'$'}{SCAN_COMMIT:+-Dsonar.scm.revision="$SCAN_COMMIT"}

task_url="$(sed -n 's/^ceTaskUrl=//p' .scannerwork/report-task.txt)"
if [ -z "$task_url" ]; then
  echo "run-sonarqube: .scannerwork/report-task.txt names no ceTaskUrl" >&2
  exit 1
fi

auth="$(mktemp)"
pages="$(mktemp -d)"
trap 'rm -f "$auth"' EXIT
chmod 600 "$auth"
printf 'user = "%s:"\n' "$SONAR_TOKEN" > "$auth"

# Wait for the server to process the analysis, bounded (the reference pipeline looped until the build timed out).
deadline=$((SECONDS + SONAR_WAIT_SECONDS))
while :; do
  status="$(curl -fsS --retry 3 -K "$auth" "$task_url" | jq -r '.task.status')"
  case "$status" in
    SUCCESS) break ;;
    PENDING | IN_PROGRESS) ;;
    *)
      echo "run-sonarqube: the analysis task ended with status $status" >&2
      exit 1
      ;;
  esac
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "run-sonarqube: the analysis was not processed within $SONAR_WAIT_SECONDS s" >&2
    exit 1
  fi
  sleep 5
done

# Every page of open issues and of hotspots (the API caps a search at 10,000 results: 20 pages of 500).
fetch_pages() {
  local name="$1" path="$2"
  shift 2
  local page=1 total
  while :; do
    curl -fsS --retry 3 -K "$auth" -G "$host/$path" "$@" --data-urlencode "ps=500" --data-urlencode "p=$page" > "$pages/$name-$page.json"
    total="$(jq -r '.paging.total // .total // 0' "$pages/$name-$page.json")"
    if [ $((page * 500)) -ge "$total" ]; then break; fi
    if [ "$page" -ge 20 ]; then
      echo "run-sonarqube: $total $name, but the API returns at most 10000; the rest is not imported" >&2
      break
    fi
    page=$((page + 1))
  done
}
fetch_pages issues api/issues/search --data-urlencode "componentKeys=$SONAR_PROJECT_KEY" --data-urlencode "resolved=false"
fetch_pages hotspots api/hotspots/search --data-urlencode "projectKey=$SONAR_PROJECT_KEY"
jq -s '.' "$pages"/*.json > sonarqube-report.json
`,
  };
  return {
    tool: 'sonarqube',
    buildSpec: buildSpec({
      runtimes: { java: 'corretto21' },
      variables: { SONAR_SCANNER_VERSION: sast.scannerVersion, SONAR_CACHE_DIR: cacheDir, SONAR_WAIT_SECONDS: '900' },
      install: [install],
      build: [run],
      reportFile: 'sonarqube-report.json',
      cachePaths: [`${cacheDir}/**/*`],
    }),
    variables: { GATE_FAIL_ON: sast.failOn, SONAR_HOST_URL: sast.serverUrl, SONAR_PROJECT_KEY: sast.projectKey },
    secrets: { SONAR_TOKEN: sast.token },
    privileged: false,
    cachePaths: [`${cacheDir}/**/*`],
    computeSize: 'MEDIUM',
    timeoutMinutes: 60,
  };
}

function phpStanBuild(sast: Extract<SastConfig, { tool: 'phpstan' }>): ScanBuild {
  const cacheDir = `${CACHE_ROOT}/phpstan`;
  const analyseArgs = sast.configFile
    ? ['--configuration', shellQuote(sast.configFile)]
    : ['--level', shellQuote(String(sast.level)), ...sast.paths.map(shellQuote)];
  const install: Step = {
    script: 'install-phpstan.sh',
    body: String.raw`
phpstan_home="$PHPSTAN_CACHE_DIR/$PHPSTAN_VERSION"
if [ ! -x "$phpstan_home/vendor/bin/phpstan" ]; then
  mkdir -p "$phpstan_home"
  composer require --working-dir="$phpstan_home" --no-interaction --no-progress "phpstan/phpstan:$PHPSTAN_VERSION"
fi
# The application's own dependencies let PHPStan resolve its classes; its composer scripts are not run.
if [ -f composer.json ]; then
  composer install --no-interaction --no-progress --no-scripts --prefer-dist
fi
`,
  };
  const run: Step = {
    script: 'run-phpstan.sh',
    body: String.raw`
rc=0
"$PHPSTAN_CACHE_DIR/$PHPSTAN_VERSION/vendor/bin/phpstan" analyse \
  --error-format=json --no-progress --no-interaction --memory-limit=2G \
  ${analyseArgs.join(' ')} > phpstan-report.json || rc=$?
# PHPStan exits 1 when it reports errors: that is a result for the gate. Any other code is a failed run.
if [ "$rc" -gt 1 ]; then
  echo "run-phpstan: phpstan failed with exit code $rc" >&2
  exit "$rc"
fi
`,
  };
  return {
    tool: 'phpstan',
    buildSpec: buildSpec({
      runtimes: { php: sast.phpVersion },
      variables: { PHPSTAN_VERSION: sast.phpstanVersion, PHPSTAN_CACHE_DIR: cacheDir },
      install: [install],
      build: [run],
      reportFile: 'phpstan-report.json',
      cachePaths: [`${cacheDir}/**/*`],
    }),
    variables: { GATE_FAIL_ON: sast.failOn },
    secrets: {},
    privileged: false,
    cachePaths: [`${cacheDir}/**/*`],
    computeSize: 'SMALL',
    timeoutMinutes: 60,
  };
}

function sarifBuild(sast: Extract<SastConfig, { tool: 'sarif' }>): ScanBuild {
  const install: Step[] = sast.install.length > 0 ? [{ script: 'install-sarif-scanner.sh', body: sast.install.join('\n') }] : [];
  const run: Step = { script: 'run-sarif-scanner.sh', body: sast.command };
  return {
    tool: 'sarif',
    buildSpec: buildSpec({ runtimes: sast.runtimes, install, build: [run], reportFile: sast.reportFile }),
    variables: { GATE_FAIL_ON: sast.failOn },
    secrets: {},
    privileged: false,
    cachePaths: [],
    computeSize: 'MEDIUM',
    timeoutMinutes: 60,
  };
}

export function sastBuild(sast: SastConfig): ScanBuild {
  switch (sast.tool) {
    case 'sonarqube':
      return sonarQubeBuild(sast);
    case 'phpstan':
      return phpStanBuild(sast);
    case 'sarif':
      return sarifBuild(sast);
  }
}

// ---------------------------------------------------------------- DAST: OWASP ZAP

export function dastBuild(dast: DastConfig, targetUrl: string): ScanBuild {
  const common = { variables: { GATE_FAIL_ON: dast.failOn, SCAN_TARGET: targetUrl }, secrets: {}, cachePaths: [], computeSize: 'SMALL' as const, timeoutMinutes: dast.timeoutMinutes + 15 };
  if (dast.mode === 'in-build') {
    const run: Step = {
      script: 'run-zap.sh',
      body: String.raw`
work="$PWD/zap-work"
rm -rf "$work"
mkdir -p "$work"
# The ZAP image runs as an unprivileged user that must write its report into the mounted directory.
chmod 777 "$work"
docker pull --quiet "$ZAP_IMAGE"
rc=0
docker run --rm -v "$work:/zap/wrk:rw" "$ZAP_IMAGE" "$ZAP_SCRIPT" -t "$SCAN_TARGET" -J zap-report.json -I -T "$ZAP_MAX_MINUTES" || rc=$?
# The packaged scans exit 1 (FAIL) or 2 (WARN) when they raise alerts: results for the gate. Others are failures.
if [ "$rc" -gt 2 ]; then
  echo "run-zap: the ZAP scan failed with exit code $rc" >&2
  exit "$rc"
fi
cp "$work/zap-report.json" zap-report.json
`,
    };
    return {
      ...common,
      tool: 'zap',
      buildSpec: buildSpec({
        runtimes: {},
        variables: { ZAP_IMAGE: dast.image, ZAP_SCRIPT: dast.scan === 'full' ? 'zap-full-scan.py' : 'zap-baseline.py', ZAP_MAX_MINUTES: String(dast.timeoutMinutes) },
        install: [],
        build: [run],
        reportFile: 'zap-report.json',
      }),
      privileged: true,
    };
  }
  const run: Step = {
    script: 'run-zap-scan.sh',
    body: String.raw`
cli="$(mktemp -d)"
aws s3 cp "s3://$FINDINGS_CLI_BUCKET/$FINDINGS_CLI_KEY" "$cli/findings-cli.zip" --only-show-errors
unzip -q "$cli/findings-cli.zip" -d "$cli"
# The CLI reads the ZAP API key from Parameter Store itself and sends it as a header, never in a URL.
node "$cli/main.mjs" zap-scan \
  --target "$SCAN_TARGET" \
  --zap "$ZAP_URL" \
  --api-key-parameter "$ZAP_API_KEY_PARAMETER" \
  --out zap-report.json${[dast.newSession ? '--new-session' : '', dast.baseline ? '--baseline' : ''].filter(Boolean).map((flag) => ` \\\n  ${flag}`).join('')}
`,
  };
  return {
    ...common,
    variables: { ...common.variables, ZAP_URL: dast.zapUrl, ZAP_API_KEY_PARAMETER: dast.apiKey.parameter },
    tool: 'zap',
    buildSpec: buildSpec({ runtimes: { nodejs: '22' }, install: [], build: [run], reportFile: 'zap-report.json' }),
    privileged: false,
  };
}

/** Every command of a buildspec, for checks that apply to all of them. */
export function allCommands(spec: BuildSpecObject): string[] {
  return [...spec.phases.install.commands, ...spec.phases.build.commands];
}

/** The body of every script a buildspec writes, keyed by file name. */
export function scriptsOf(spec: BuildSpecObject): Record<string, string> {
  const out: Record<string, string> = {};
  const pattern = new RegExp(`^cat > ${SCRIPT_DIR}/([\\w.-]+) <<'${HEREDOC_END}'\\n([\\s\\S]*)\\n${HEREDOC_END}$`);
  for (const command of spec.phases.install.commands) {
    const match = pattern.exec(command);
    if (match) out[match[1]!] = match[2]!;
  }
  return out;
}
