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
  /** The build downloads the findings CLI (FINDINGS_CLI_BUCKET/KEY): SonarQube export, ZAP server scan. */
  usesFindingsCli?: boolean;
}

export interface BuildSpecObject {
  version: '0.2';
  env: { shell: 'bash'; variables: Record<string, string> };
  phases: {
    install: { 'runtime-versions'?: Record<string, string>; commands: string[] };
    build: { commands: string[] };
  };
  cache?: { paths: string[] };
  /** CodeBuild test reports: the findings as JUnit, one test case per finding (failed when it blocks). */
  reports?: Record<string, { files: string[]; 'base-directory': string; 'file-format': 'JUNITXML'; 'discard-paths': 'yes' }>;
}

/**
 * The report group key in every scan buildspec. A name, not an ARN: CodeBuild then uses the group
 * `<project name>-findings`, which the pipeline stack creates (and CDK's project role may already write to).
 */
export const FINDINGS_REPORT_GROUP = 'findings';
/** Where publish-and-gate puts the parser's outputs, relative to CODEBUILD_SRC_DIR (the reports' base directory). */
export const OUTPUTS_DIR = 'devsecops-outputs';

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

# A scan cut short (ZAP at its time limit) leaves a marker: the import then archives nothing it did not see.
partial=false
if [ -e "${'$'}{SCAN_PARTIAL_FILE:-/tmp/devsecops/partial-scan}" ]; then partial=true; fi

# Warnings the scan steps wrote (one per line): sent with the event, so they reach the Lambda's response and its log.
warnings='[]'
warnings_file="${'$'}{SCAN_WARNINGS_FILE:-/tmp/devsecops/warnings.txt}"
if [ -s "$warnings_file" ]; then
  warnings="$(jq -R -s 'split("\n") | map(select(test("\\S"))) | unique | .[0:50] | map(.[0:1000])' "$warnings_file")"
fi

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
  --argjson warnings "$warnings" --argjson partial "$partial" \
  --arg category "${'$'}{SCAN_CATEGORY:-}" --arg importRoleArn "${'$'}{IMPORT_ROLE_ARN:-}" \
  --arg outputs "${'$'}{SCAN_OUTPUTS:-}" \
  '{tool: $tool, repository: $repository, branch: $branch, buildId: $buildId, report: {bucket: $bucket, key: $key}}
   + ($outputs | split(" ") | map(select(. != "")) | if length == 0 then {} else {outputs: .} end)
   + (if $commit == "" then {} else {commit: $commit} end)
   + (if $failOn == "" then {} else {failOn: $failOn} end)
   + (if $target == "" then {} else {target: $target} end)
   + (if ($warnings | length) == 0 then {} else {warnings: $warnings} end)
   + (if $partial then {partialScan: true} else {} end)
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

# The outputs the parser rendered (JUnit for the build's test report, markdown summary), also when the gate fails.
outputs_dir="${'$'}{CODEBUILD_SRC_DIR:-$PWD}/${'$'}{SCAN_OUTPUTS_DIR:-devsecops-outputs}"
if [ -n "${'$'}{SCAN_OUTPUTS:-}" ]; then mkdir -p "$outputs_dir"; fi
for format in ${'$'}{SCAN_OUTPUTS:-}; do
  uri="$(jq -r --arg format "$format" '.outputs[$format] // empty' "$work/response.json")"
  if [ -z "$uri" ]; then
    echo "publish-and-gate: warning: the parser stored no $format output (see its warnings)" >&2
    continue
  fi
  # A missing output must not hide the gate's verdict below: it is a warning, and the report is then absent.
  if aws s3 cp "$uri" "$outputs_dir/${'$'}{uri##*/}" --only-show-errors; then
    echo "publish-and-gate: $format output at $uri"
  else
    echo "publish-and-gate: warning: could not download the $format output $uri" >&2
  fi
done
if [ -s "$outputs_dir/findings.md" ]; then
  echo "----- findings summary (markdown) -----"
  cat "$outputs_dir/findings.md"
  echo "---------------------------------------"
fi

jq '{status, tool, total, active, bySeverity, imported, unchanged, archived, reactivated, notSent, failed: (.failed // [] | length), gate: (.gate | del(.findings?, .suppressed?, .reopened?)), warnings}' "$work/response.json"
# What blocks, and why, in the build log: a developer sees it without opening Security Hub.
jq -r '.gate // {} | (.findings // [])[] | "BLOCKING \(.severity) \(.tool) \(.rule) · \(.location)\n  \(.title)\n  blocks: \([.reasons[]? | "\(.kind) (\(.detail))"] | join(", "))\n  \(.consoleUrl)"' "$work/response.json"
jq -r '.gate // {} | (.suppressed // [])[] | "suppressed \(.severity) \(.tool) \(.rule) · \(.location) by \(.by) (\(.source)): \(.note)"' "$work/response.json"
jq -r '.gate.summary // empty' "$work/response.json"
jq -r '.warnings // [] | .[] | "publish-and-gate: warning: \(.)"' "$work/response.json" >&2

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

/** Where scan steps note what a person should know; publish-and-gate sends these lines with the event. */
export const WARNINGS_FILE = `${SCRIPT_DIR}/warnings.txt`;

/** A bash function for scan steps: prints the warning to the build log and records it for publish-and-gate. */
const SCAN_WARNING_FUNCTION = String.raw`
scan_warning() {
  printf 'warning: %s\n' "$1" >&2
  printf '%s\n' "$1" >> "${'$'}{SCAN_WARNINGS_FILE:-/tmp/devsecops/warnings.txt}"
}
`;

/** A step that could not finish its scan creates this file; publish-and-gate then sends partialScan: true. */
export const PARTIAL_SCAN_FILE = `${SCRIPT_DIR}/partial-scan`;

/** Where the findings CLI (dist/apps/findings-cli, an S3 asset) is unpacked in builds that run it. */
export const FINDINGS_CLI_DIR = `${SCRIPT_DIR}/findings-cli`;

/** Downloads and unpacks the findings CLI; the SonarQube export and the ZAP server scan run it with the image's Node. */
const INSTALL_FINDINGS_CLI_SCRIPT = String.raw`
: "${'$'}{FINDINGS_CLI_BUCKET:?}" "${'$'}{FINDINGS_CLI_KEY:?}"
cli="${'$'}{FINDINGS_CLI_DIR:-/tmp/devsecops/findings-cli}"
rm -rf "$cli"
mkdir -p "$cli"
aws s3 cp "s3://$FINDINGS_CLI_BUCKET/$FINDINGS_CLI_KEY" "$cli/findings-cli.zip" --only-show-errors
unzip -q "$cli/findings-cli.zip" -d "$cli"
if [ ! -f "$cli/main.mjs" ]; then
  echo "install-findings-cli: the asset s3://$FINDINGS_CLI_BUCKET/$FINDINGS_CLI_KEY has no main.mjs" >&2
  exit 1
fi
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
  /** Steps after the report is published and gated (e.g. the SonarQube quality gate). */
  after?: Step[];
  /** Scripts only other scripts run. */
  helpers?: Step[];
  reportFile: string;
  cachePaths?: string[];
}): BuildSpecObject {
  const after = options.after ?? [];
  const steps = [...options.install, ...options.build, ...after, ...(options.helpers ?? [])];
  return {
    version: '0.2',
    env: { shell: 'bash', variables: { SCAN_WARNINGS_FILE: WARNINGS_FILE, SCAN_PARTIAL_FILE: PARTIAL_SCAN_FILE, SCAN_OUTPUTS: 'junit markdown', SCAN_OUTPUTS_DIR: OUTPUTS_DIR, ...options.variables } },
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
          ...after.map((s) => runScriptCommand(s.script, ...(s.args ?? []))),
        ],
      },
    },
    ...(options.cachePaths && options.cachePaths.length > 0 ? { cache: { paths: options.cachePaths } } : {}),
    // Collected after the build phase, whatever its outcome: a failed gate still shows its findings as failed tests.
    reports: { [FINDINGS_REPORT_GROUP]: { files: ['findings.junit.xml'], 'base-directory': OUTPUTS_DIR, 'file-format': 'JUNITXML', 'discard-paths': 'yes' } },
  };
}

const CACHE_ROOT = '/root/.devsecops-cache';

// ---------------------------------------------------------------- SCA: OWASP Dependency-Check

/**
 * Exit codes of Dependency-Check's CLI (cli/src/main/java/org/owasp/dependencycheck/App.java): 14 means non-fatal
 * analyzer errors after the reports were written, so the report is published with a warning; every other non-zero
 * code means no trustworthy report.
 */
export const DEPENDENCY_CHECK_EXIT_CODES: Record<number, string> = {
  1: 'a scan path or properties file was not found',
  2: 'bad command-line arguments',
  4: 'invalid settings',
  11: 'a database error',
  12: 'the report could not be written',
  13: 'a fatal analysis error (no report)',
  14: 'non-fatal analyzer errors (the report was written)',
  15: 'a CVSS score at or above --failOnCVSS',
};

export function scaBuild(sca: ScaConfig): ScanBuild {
  const cacheDir = `${CACHE_ROOT}/dependency-check`;
  const reportFile = 'dependency-check-report/dependency-check-report.json';
  const scanArgs = [...sca.scanPaths.flatMap((p) => ['--scan', shellQuote(p)]), ...['**/.git/**', ...sca.excludes].flatMap((e) => ['--exclude', shellQuote(e)])];
  const exitCodeHelp = Object.entries(DEPENDENCY_CHECK_EXIT_CODES)
    .filter(([code]) => code !== '14')
    .map(([code, meaning]) => `${code} ${meaning}`)
    .join('; ');
  const install: Step = {
    script: 'install-dependency-check.sh',
    body: String.raw`
dc_home="$DC_CACHE_DIR/dependency-check-$DC_VERSION"
mkdir -p "$DC_CACHE_DIR"
# The S3 cache keeps only this version's install and this major version's NVD data.
for old in "$DC_CACHE_DIR"/dependency-check-* "$DC_CACHE_DIR"/data*; do
  [ -e "$old" ] || continue
  case "$old" in
    "$dc_home" | "$DC_CACHE_DIR/data-v${'$'}{DC_VERSION%%.*}") ;;
    *)
      echo "Removing $old from the build cache (another Dependency-Check version)"
      rm -rf "$old"
      ;;
  esac
done
if [ -x "$dc_home/bin/dependency-check.sh" ]; then
  echo "Dependency-Check $DC_VERSION restored from the build cache (its download was verified when it was cached)"
  exit 0
fi
tmp="$(mktemp -d)"
curl -fsSL --retry 3 -o "$tmp/dc.zip" "https://github.com/dependency-check/DependencyCheck/releases/download/v$DC_VERSION/dependency-check-$DC_VERSION-release.zip"
if [ -n "${'$'}{DC_SHA256:-}" ]; then
  echo "$DC_SHA256  $tmp/dc.zip" | sha256sum --check --strict -
else
  scan_warning "Dependency-Check $DC_VERSION was downloaded without a checksum (sca.verifyChecksum is false)"
fi
unzip -q "$tmp/dc.zip" -d "$tmp"
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
# Java properties treat a backslash as an escape: double it so a secret reaches Dependency-Check unchanged.
prop() { printf '%s=%s\n' "$1" "${'$'}{2//\\/\\\\}" >> "$props"; }
# Secrets go through a properties file, never the command line (visible in the process list).
prop nvd.api.key "$NVD_API_KEY"
if [ "$OSS_INDEX_ENABLED" != true ]; then
  echo "Sonatype OSS Index analyzer disabled by configuration (sca.ossIndex.enabled: false)"
  prop analyzer.ossindex.enabled false
elif [ -n "${'$'}{OSS_INDEX_USERNAME:-}" ] && [ -n "${'$'}{OSS_INDEX_TOKEN:-}" ]; then
  prop analyzer.ossindex.enabled true
  prop analyzer.ossindex.user "$OSS_INDEX_USERNAME"
  prop analyzer.ossindex.password "$OSS_INDEX_TOKEN"
else
  scan_warning "Sonatype OSS Index analyzer disabled: it requires an account since September 2025 and no credentials are configured (sca.ossIndex.username and token)"
  prop analyzer.ossindex.enabled false
fi

args=()
scan_paths=(${sca.scanPaths.map(shellQuote).join(' ')})
case "$DC_EXPERIMENTAL" in
  true)
    args+=(--enableExperimental)
    echo "Experimental analyzers enabled by configuration (sca.enableExperimental)"
    ;;
  auto)
    lock=""
    for path in "${'$'}{scan_paths[@]}"; do
      if [ -e "$path" ] && [ -z "$lock" ]; then
        lock="$(find "$path" -name composer.lock -not -path '*/.git/*' -not -path '*/vendor/*' -print -quit)"
      fi
    done
    if [ -n "$lock" ]; then
      args+=(--enableExperimental)
      echo "Found $lock: experimental analyzers enabled, so the Composer Lock analyzer reads the PHP dependencies"
    fi
    ;;
esac

rm -rf dependency-check-report
mkdir -p dependency-check-report
# NVD data per major version (a new major may change the database schema); the directory lives in the S3 build
# cache, so each build only fetches the NVD changes since the last one.
rc=0
"$DC_CACHE_DIR/dependency-check-$DC_VERSION/bin/dependency-check.sh" \
  --project "$SCAN_REPOSITORY" \
  --format JSON --prettyPrint \
  --out dependency-check-report \
  --data "$DC_CACHE_DIR/data-v${'$'}{DC_VERSION%%.*}" \
  --propertyfile "$props" \
  ${scanArgs.join(' ')} \
  ${'$'}{args[@]+"${'$'}{args[@]}"} || rc=$?
case "$rc" in
  0) ;;
  14)
    scan_warning "Dependency-Check exited 14: non-fatal analyzer errors (see the log above); the report was written and is imported, but it may miss vulnerabilities of the dependencies those analyzers could not read"
    ;;
  *)
    echo "run-dependency-check: Dependency-Check failed with exit code $rc (${exitCodeHelp})" >&2
    exit "$rc"
    ;;
esac
`,
  };
  const ossIndexSecrets: Record<string, SecretRef> = sca.ossIndex.enabled && sca.ossIndex.username && sca.ossIndex.token ? { OSS_INDEX_USERNAME: sca.ossIndex.username, OSS_INDEX_TOKEN: sca.ossIndex.token } : {};
  return {
    tool: 'dependency-check',
    buildSpec: buildSpec({
      runtimes: { java: 'corretto21' },
      variables: {
        DC_VERSION: sca.dependencyCheckVersion,
        DC_SHA256: sca.verifyChecksum ? (sca.dependencyCheckSha256 ?? '') : '',
        DC_CACHE_DIR: cacheDir,
        DC_EXPERIMENTAL: String(sca.enableExperimental),
        OSS_INDEX_ENABLED: String(sca.ossIndex.enabled),
      },
      install: [withWarnings(install)],
      build: [withWarnings(run)],
      reportFile,
      cachePaths: [`${cacheDir}/**/*`],
    }),
    variables: { GATE_FAIL_ON: sca.failOn },
    secrets: { NVD_API_KEY: sca.nvdApiKey, ...ossIndexSecrets },
    privileged: false,
    cachePaths: [`${cacheDir}/**/*`],
    computeSize: 'MEDIUM',
    timeoutMinutes: 90,
  };
}

function withWarnings(step: Step): Step {
  return { ...step, body: `${SCAN_WARNING_FUNCTION.trim()}\n${step.body}` };
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
  const installCli: Step = { script: 'install-findings-cli.sh', body: INSTALL_FINDINGS_CLI_SCRIPT };
  const run: Step = {
    script: 'run-sonarqube.sh',
    body: String.raw`
host="${'$'}{SONAR_HOST_URL%/}"
rm -rf .scannerwork
# The scanner reads SONAR_TOKEN from its environment: the token is never on a command line.
"$SONAR_CACHE_DIR/sonar-scanner-$SONAR_SCANNER_VERSION/bin/sonar-scanner" \
  -Dsonar.host.url="$host" \
  -Dsonar.projectKey="$SONAR_PROJECT_KEY" \
  ${'$'}{SCAN_COMMIT:+-Dsonar.scm.revision="$SCAN_COMMIT"}

# The findings CLI (libs/sonarqube-client) waits for the analysis task, then exports every issue and hotspot with the
# search parameters of the server's version (report-task.txt serverVersion), splitting queries past SonarQube's
# 10,000-result cap, and records the quality gate of this analysis. It reads SONAR_TOKEN from its environment.
node "${'$'}{FINDINGS_CLI_DIR:-/tmp/devsecops/findings-cli}/main.mjs" sonarqube-export \
  --report-task .scannerwork/report-task.txt \
  --server-url "$host" \
  --timeout "$SONAR_WAIT_MINUTES" \
  --out sonarqube-report.json \
  --quality-gate-out sonarqube-quality-gate.json
`,
  };
  const qualityGate: Step = {
    script: 'check-quality-gate.sh',
    body: String.raw`
status="$(jq -r '.status // "NONE"' sonarqube-quality-gate.json)"
if [ "$status" = ERROR ]; then
  echo "check-quality-gate: the SonarQube quality gate failed (sast.failOnQualityGate): $(jq -c '[.conditions // [] | .[] | select(.status == "ERROR") | {metric: .metricKey, actual: .actualValue, threshold: .errorThreshold}]' sonarqube-quality-gate.json)" >&2
  exit 1
fi
echo "check-quality-gate: SonarQube quality gate $status"
`,
  };
  return {
    tool: 'sonarqube',
    buildSpec: buildSpec({
      runtimes: { java: 'corretto21', nodejs: '22' },
      variables: { SONAR_SCANNER_VERSION: sast.scannerVersion, SONAR_CACHE_DIR: cacheDir, SONAR_WAIT_MINUTES: '15' },
      install: [install, installCli],
      build: [run],
      after: sast.failOnQualityGate ? [qualityGate] : [],
      reportFile: 'sonarqube-report.json',
      cachePaths: [`${cacheDir}/**/*`],
    }),
    variables: { GATE_FAIL_ON: sast.failOn, SONAR_HOST_URL: sast.serverUrl, SONAR_PROJECT_KEY: sast.projectKey },
    secrets: { SONAR_TOKEN: sast.token },
    privileged: false,
    cachePaths: [`${cacheDir}/**/*`],
    computeSize: 'MEDIUM',
    timeoutMinutes: 60,
    usesFindingsCli: true,
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
  # PHPStan in a directory of its own: the application's plugins and platform never stand in its way.
  composer require --working-dir="$phpstan_home" --no-interaction --no-progress "phpstan/phpstan:$PHPSTAN_VERSION"
fi
# The application's dependencies let PHPStan resolve its classes. Nothing of the application runs: no scripts, no
# plugins (composer/installers and other plugins missing from allow-plugins would stop a non-interactive install),
# and PHP extensions or versions the image lacks are ignored (PHPStan reads the code, it does not run it).
if [ -f composer.json ]; then
  if ! composer install --no-interaction --no-progress --no-scripts --no-plugins --ignore-platform-reqs --prefer-dist; then
    scan_warning "composer install failed (see the log above): PHPStan analyses without the application's dependencies and may report their classes as unknown"
  fi
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
# PHPStan exits 1 both when it found errors and when it could not start (bad configuration, missing autoload file):
# only a JSON result tells them apart. Other codes are crashes (255: a PHP fatal error such as memory exhaustion).
if [ "$rc" -gt 1 ]; then
  echo "run-phpstan: PHPStan crashed with exit code $rc (see its output above); no result to import" >&2
  exit "$rc"
fi
# (Not jq -e: jq 1.6, as on Ubuntu 22.04 images, exits 0 on an empty file.)
shape="$(jq -r 'if type == "object" and has("totals") then "result" else "other" end' phpstan-report.json 2> /dev/null)" || shape="not JSON"
if [ "$shape" != result ]; then
  echo "run-phpstan: PHPStan exited $rc without a JSON result: a bad configuration or an autoload failure (see its output above), not a finding" >&2
  rm -f phpstan-report.json
  exit 1
fi
if [ "$rc" -eq 1 ]; then
  echo "run-phpstan: PHPStan found errors ($(jq -r '"\(.totals.file_errors // 0) in files, \(.totals.errors // 0) global"' phpstan-report.json)): they are imported and gated"
fi
global="$(jq -r '.errors // [] | length' phpstan-report.json)"
if [ "$global" -gt 0 ]; then
  scan_warning "PHPStan reported $global error(s) not tied to a file (internal or configuration errors): the analysis may be incomplete"
fi
`,
  };
  return {
    tool: 'phpstan',
    buildSpec: buildSpec({
      runtimes: { php: sast.phpVersion },
      variables: { PHPSTAN_VERSION: sast.phpstanVersion, PHPSTAN_CACHE_DIR: cacheDir },
      install: [withWarnings(install)],
      build: [withWarnings(run)],
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

/** The exported environment of the SARIF install step, restored by the run step (each step is its own bash process). */
export const SARIF_ENV_FILE = `${SCRIPT_DIR}/sarif-env.sh`;

function sarifBuild(sast: Extract<SastConfig, { tool: 'sarif' }>): ScanBuild {
  const install: Step[] =
    sast.install.length > 0
      ? [
          {
            script: 'install-sarif-scanner.sh',
            body: `${sast.install.join('\n')}\n${String.raw`
# Keep what the install exported (a virtualenv's PATH and VIRTUAL_ENV, tool homes) for the run step.
env_file="${'$'}{SARIF_ENV_FILE:-/tmp/devsecops/sarif-env.sh}"
( export -n PWD OLDPWD SHLVL SHELLOPTS BASHOPTS 2> /dev/null; export -p ) > "$env_file"
chmod 600 "$env_file"
`}`,
          },
        ]
      : [];
  const command: Step = { script: 'sarif-command.sh', body: sast.command };
  const run: Step = {
    script: 'run-sarif-scanner.sh',
    body: String.raw`
env_file="${'$'}{SARIF_ENV_FILE:-/tmp/devsecops/sarif-env.sh}"
if [ -f "$env_file" ]; then
  # shellcheck disable=SC1090
  . "$env_file"
fi
report="$SARIF_REPORT_FILE"
rm -f "$report"
rc=0
bash "$(dirname "${'$'}{BASH_SOURCE[0]}")/sarif-command.sh" || rc=$?
# Many tools exit 1 when they report findings; such a code counts only when the report was written.
accepted=no
for code in $SARIF_REPORT_EXIT_CODES; do
  if [ "$rc" = "$code" ]; then accepted=yes; fi
done
if [ "$accepted" != yes ]; then
  echo "run-sarif-scanner: the scan command failed with exit code $rc (codes that mean a report: $SARIF_REPORT_EXIT_CODES)" >&2
  exit "$rc"
fi
if [ ! -s "$report" ]; then
  echo "run-sarif-scanner: the scan command exited $rc but wrote no report at $report" >&2
  exit $((rc == 0 ? 1 : rc))
fi
if [ "$rc" -ne 0 ]; then
  echo "run-sarif-scanner: the scan command exited $rc with a report (it found something): the findings are imported and gated"
fi
`,
  };
  return {
    tool: 'sarif',
    buildSpec: buildSpec({
      runtimes: sast.runtimes,
      variables: { SARIF_REPORT_FILE: sast.reportFile, SARIF_REPORT_EXIT_CODES: [...new Set([0, ...sast.reportExitCodes])].join(' '), SARIF_ENV_FILE },
      install,
      build: [run],
      helpers: [command],
      reportFile: sast.reportFile,
    }),
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

/** ZAP's own bounds for an in-build scan of `minutes`, so the scan ends (and writes its report) inside its budget. */
export interface ZapBudget {
  /** -T: waiting for ZAP to start, and again for the passive scan queue (zap_common wait_for_zap_start / zap_wait_for_passive_scan). */
  startupAndPassiveMinutes: number;
  /** -m: the spider (spider.maxDuration). */
  spiderMinutes: number;
  /** -z "-config ascan.maxScanDurationInMins=N" (full scan only). */
  activeScanMinutes?: number;
}

export function zapBudget(scan: 'baseline' | 'full', minutes: number): ZapBudget {
  if (scan === 'baseline') {
    const startupAndPassiveMinutes = Math.max(2, Math.round(minutes * 0.25));
    return { startupAndPassiveMinutes, spiderMinutes: Math.max(1, minutes - 2 * startupAndPassiveMinutes) };
  }
  const startupAndPassiveMinutes = Math.max(2, Math.round(minutes * 0.15));
  const spiderMinutes = Math.max(1, Math.round(minutes * 0.2));
  return { startupAndPassiveMinutes, spiderMinutes, activeScanMinutes: Math.max(1, minutes - spiderMinutes - 2 * startupAndPassiveMinutes) };
}

export function dastBuild(dast: DastConfig, targetUrl: string): ScanBuild {
  // The build's own limit leaves 15 minutes beyond the scan's budget for image pull, report upload and import.
  const common = { variables: { GATE_FAIL_ON: dast.failOn, SCAN_TARGET: targetUrl }, secrets: {}, cachePaths: [], computeSize: 'SMALL' as const, timeoutMinutes: dast.timeoutMinutes + 15 };
  if (dast.mode === 'in-build') {
    const budget = zapBudget(dast.scan, dast.timeoutMinutes);
    const run: Step = {
      script: 'run-zap.sh',
      body: String.raw`
work="$PWD/zap-work"
rm -rf "$work"
mkdir -p "$work"
# The ZAP image runs as an unprivileged user that must write its report into the mounted directory.
chmod 777 "$work"
docker pull --quiet "$ZAP_IMAGE"
# Every phase is bounded (zap-baseline.py / zap-full-scan.py): -T start-up and passive scan, -m spider, and for a
# full scan the active scan through ascan.maxScanDurationInMins, so ZAP writes its report within its budget.
zap_args=(-t "$SCAN_TARGET" -J zap-report.json -I -T "$ZAP_STARTUP_PASSIVE_MINUTES" -m "$ZAP_SPIDER_MINUTES")
if [ -n "${'$'}{ZAP_ACTIVE_SCAN_MINUTES:-}" ]; then
  zap_args+=(-z "-config ascan.maxScanDurationInMins=$ZAP_ACTIVE_SCAN_MINUTES")
fi
rc=0
docker run --rm -v "$work:/zap/wrk:rw" "$ZAP_IMAGE" "$ZAP_SCRIPT" "${'$'}{zap_args[@]}" || rc=$?
# 0 pass (warnings too, with -I), 1 at least one FAIL, 2 WARN without -I: results for the gate. 3 is any other failure,
# including a target with no URLs found; no report is trusted then.
if [ "$rc" -gt 2 ]; then
  echo "run-zap: the ZAP scan failed with exit code $rc (an error, or no URLs found: can the build reach $SCAN_TARGET?)" >&2
  exit "$rc"
fi
if [ ! -s "$work/zap-report.json" ]; then
  echo "run-zap: ZAP exited $rc but wrote no report" >&2
  exit 1
fi
cp "$work/zap-report.json" zap-report.json
`,
    };
    return {
      ...common,
      tool: 'zap',
      buildSpec: buildSpec({
        runtimes: {},
        variables: {
          ZAP_IMAGE: dast.image,
          ZAP_SCRIPT: dast.scan === 'full' ? 'zap-full-scan.py' : 'zap-baseline.py',
          ZAP_STARTUP_PASSIVE_MINUTES: String(budget.startupAndPassiveMinutes),
          ZAP_SPIDER_MINUTES: String(budget.spiderMinutes),
          ...(budget.activeScanMinutes !== undefined ? { ZAP_ACTIVE_SCAN_MINUTES: String(budget.activeScanMinutes) } : {}),
        },
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
# The CLI reads the ZAP API key from Parameter Store itself and sends it as a header, never in a URL. On time-out it
# stops the scan on the daemon, writes what was found and records a "partial" warning for publish-and-gate.
node "${'$'}{FINDINGS_CLI_DIR:-/tmp/devsecops/findings-cli}/main.mjs" zap-scan \
  --target "$SCAN_TARGET" \
  --zap "$ZAP_URL" \
  --api-key-parameter "$ZAP_API_KEY_PARAMETER" \
  --timeout "$ZAP_TIMEOUT_MINUTES" \
  --out zap-report.json${[dast.newSession ? '--new-session' : '', dast.baseline ? '--baseline' : ''].filter(Boolean).map((flag) => ` \\\n  ${flag}`).join('')}
`,
  };
  return {
    ...common,
    variables: { ...common.variables, ZAP_URL: dast.zapUrl, ZAP_API_KEY_PARAMETER: dast.apiKey.parameter, ZAP_TIMEOUT_MINUTES: String(dast.timeoutMinutes) },
    tool: 'zap',
    buildSpec: buildSpec({
      runtimes: { nodejs: '22' },
      install: [{ script: 'install-findings-cli.sh', body: INSTALL_FINDINGS_CLI_SCRIPT }],
      build: [run],
      reportFile: 'zap-report.json',
    }),
    privileged: false,
    usesFindingsCli: true,
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
