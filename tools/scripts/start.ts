/**
 * `npm start`: one pipeline execution end to end on this machine, with the same bundles CDK deploys.
 * Builds the six Lambda bundles, starts securityhub-local (persisted under tmp/, so a second run sees the first),
 * s3rver for the reports bucket and a local fake of CodePipeline, CodeBuild, IAM and SNS, then sends each bundled
 * function the event CodeBuild, SNS or EventBridge would send: SCA and SAST scans and their gate, the DAST scan,
 * the approval mail, a CloudTrail alert for a removed DAST stage, and a dry-run remediation of CodeBuild.2.
 * Prints a timeline and the findings table, and writes tmp/local-pipeline/report.html.
 *   npm start                    the sample application as it is
 *   npm start -- --fixed         the next build, where lodash was upgraded and the cookie fixed: those findings are archived
 *   npm start -- --reset         forget what earlier runs imported
 *   npm start -- --skip-build    use dist/apps as it is
 *   npm start -- --state-dir D   keep the state somewhere else than tmp/local-pipeline
 *   npm start -- --verbose       let the functions log (Powertools INFO)
 */
import { spawnSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { LAMBDAS, runLocalPipeline } from '@devsecops/local-pipeline';

const root = resolve(__dirname, '../..');
const argv = process.argv.slice(2);
const KNOWN = new Set(['--fixed', '--reset', '--skip-build', '--verbose', '--help', '--state-dir']);

const say = (text = '') => process.stdout.write(`${text}\n`);
const step = (text: string) => say(`\n▶ ${text}`);

function option(name: string): string | undefined {
  const index = argv.indexOf(name);
  if (index < 0) return undefined;
  const value = argv[index + 1];
  if (!value || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

function build(): void {
  step('Building the Lambda bundles (nx, cached)');
  const result = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', LAMBDAS.join(','), '--outputStyle=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
  });
  if (result.status !== 0) throw new Error(`the build failed (run \`npx nx run-many -t build -p ${LAMBDAS.join(',')}\` to see why)`);
  say(`  ${LAMBDAS.map((fn) => `dist/apps/${fn}/main.mjs`).join('\n  ')}`);
}

async function main(): Promise<void> {
  if (argv.includes('--help')) {
    say('usage: npm start -- [--fixed] [--reset] [--skip-build] [--state-dir <dir>] [--verbose]');
    return;
  }
  const stateDirValue = option('--state-dir');
  const unknown = argv.filter((a, i) => !KNOWN.has(a) && argv[i - 1] !== '--state-dir');
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(' ')} (see --help)`);
  const fixed = argv.includes('--fixed');
  const stateDir = resolve(root, stateDirValue ?? 'tmp/local-pipeline');

  if (!argv.includes('--skip-build')) build();
  const result = await runLocalPipeline({
    root,
    stateDir,
    fixed,
    reset: argv.includes('--reset'),
    verbose: argv.includes('--verbose'),
    out: say,
  });

  say('\nRun it again: the counts stay the same (unchanged findings are not re-imported).');
  say(
    fixed
      ? 'This was the fixed build: the lodash and cookie findings were archived. `npm start` goes back to the first build (they come back).'
      : 'Then `npm start -- --fixed`: lodash was upgraded and the session cookie made HttpOnly, and those findings are archived.',
  );
  say('`npm start -- --skip-build` reuses dist/apps as it is; `--reset` forgets earlier runs.');
  for (const line of result.verdict) say(line);
  if (result.run.failures.length > 0) {
    process.stderr.write(`\n${result.run.failures.length} step(s) failed:\n${result.run.failures.map((f) => `  ${f}`).join('\n')}\n`);
    process.exitCode = 1;
  }
}

main().catch((error: Error) => {
  process.stderr.write(`npm start failed: ${error.message}\n`);
  process.exitCode = 1;
});
