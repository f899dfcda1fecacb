/**
 * `npm run fuzz -- [options]`: mutates the repository's real reports and arbitrary inputs, runs each through the
 * import pipeline, prints what broke, saves failing inputs. Exit 1 when any input crashed, produced an invalid
 * finding or duplicate Ids, fetched something, or expanded an entity; 2 on a usage error.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CAMPAIGN_SEED, FAILING_KINDS, isFailing, runCampaign, type RunRecord } from './campaign';
import { installFetchGuard } from './guards';
import { ALL_MUTATOR_NAMES, ARBITRARY_GENERATORS, BYTE_MUTATORS, JSON_MUTATORS, XML_MUTATORS, type FuzzInput } from './mutators';
import { formatReport, total } from './report';
import { loadSeeds } from './seeds';

const USAGE = `usage: npm run fuzz -- [options]
  --runs N            inputs to run (default 2000; the first ones are the unmutated seeds)
  --seed S            campaign seed (default ${DEFAULT_CAMPAIGN_SEED}); same seed, same inputs
  --only N[,N…]       run only these run numbers (reproduce a failure)
  --mutators a,b      only these mutators/generators (see --list)
  --time-limit SEC    stop starting new inputs after SEC seconds
  --slow SEC          report inputs slower than SEC seconds (default 10)
  --out DIR           output directory (default tmp/fuzz): summary.md, failures/
  --save-limit N      failing inputs saved per kind (default 25)
  --verbose           print every run
  --list              list the mutators and exit`;

const MAX_SAVED_BYTES = 64 * 1024 * 1024;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} needs a non-negative integer, got "${value}"`);
  return n;
}

function main(): number {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        runs: { type: 'string' },
        seed: { type: 'string' },
        only: { type: 'string' },
        mutators: { type: 'string' },
        'time-limit': { type: 'string' },
        slow: { type: 'string' },
        out: { type: 'string' },
        'save-limit': { type: 'string' },
        verbose: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.list) {
    for (const [group, items] of [
      ['JSON', JSON_MUTATORS],
      ['XML', XML_MUTATORS],
      ['bytes', BYTE_MUTATORS],
      ['arbitrary', ARBITRARY_GENERATORS],
    ] as const) {
      process.stdout.write(`${group}:\n${items.map((m) => `  ${m.name.padEnd(24)}${m.summary}`).join('\n')}\n`);
    }
    return 0;
  }

  const root = resolve(__dirname, '../../..');
  const runs = positiveInt(values.runs, 'runs', 2000);
  const seed = positiveInt(values.seed, 'seed', DEFAULT_CAMPAIGN_SEED);
  const only = values.only?.split(',').map((n) => positiveInt(n.trim(), 'only', 0));
  const mutators = values.mutators?.split(',').map((n) => n.trim());
  const unknown = mutators?.filter((name) => !ALL_MUTATOR_NAMES.includes(name)) ?? [];
  if (unknown.length > 0) fail(`unknown mutator(s): ${unknown.join(', ')} (see --list)`);
  const timeLimit = values['time-limit'] === undefined ? undefined : positiveInt(values['time-limit'], 'time-limit', 0) * 1000;
  const slowMs = positiveInt(values.slow, 'slow', 10) * 1000;
  const saveLimit = positiveInt(values['save-limit'], 'save-limit', 25);
  const out = resolve(root, values.out ?? 'tmp/fuzz');
  const failuresDir = join(out, 'failures');
  if (!only) rmSync(failuresDir, { recursive: true, force: true });
  mkdirSync(failuresDir, { recursive: true });

  const display = (path: string) => (isAbsolute(path) && path.startsWith(root) ? relative(root, path) : path);
  const reproduce = (run: number) =>
    `npm run fuzz -- --seed ${seed} --only ${run}${mutators ? ` --mutators ${mutators.join(',')}` : ''}`;
  const saved = new Map<number, string>();
  const savedPerKind = new Map<string, number>();
  let savedBytes = 0;

  function save(record: RunRecord, input: FuzzInput): void {
    const kinds = [...new Set(record.issues.map((i) => i.kind).filter((k) => FAILING_KINDS.includes(k)))];
    if (!kinds.some((k) => (savedPerKind.get(k) ?? 0) < saveLimit) || savedBytes + input.bytes.length > MAX_SAVED_BYTES) return;
    for (const kind of kinds) savedPerKind.set(kind, (savedPerKind.get(kind) ?? 0) + 1);
    savedBytes += input.bytes.length;
    const base = join(failuresDir, `seed-${seed}-run-${record.run}-${kinds.join('-')}`);
    writeFileSync(`${base}.input`, input.bytes);
    writeFileSync(`${base}.json`, `${JSON.stringify({ ...record, reproduce: reproduce(record.run) }, null, 2)}\n`);
    saved.set(record.run, display(`${base}.input`));
  }

  const seeds = loadSeeds(root);
  const currentFile = join(out, 'current-run.txt');
  process.stderr.write(`fuzz: ${seeds.length} seed reports, ${only ? `runs ${only.join(',')}` : `${runs} runs`}, seed ${seed}\n`);
  const guard = installFetchGuard();
  let failing = 0;
  let done = 0;
  const result = runCampaign({
    seeds,
    runs,
    seed,
    only,
    timeLimitMs: timeLimit,
    slowMs,
    generate: mutators ? { mutators } : undefined,
    guard,
    onStart: (input) => {
      // A hang leaves this file behind, naming the input it is stuck on.
      writeFileSync(currentFile, `run ${input.run}: ${input.description}\nreproduce: ${reproduce(input.run)}\n`);
      if (values.verbose) process.stderr.write(`run ${input.run}: ${input.description.slice(0, 200)}\n`);
    },
    onRun: (record, input) => {
      done += 1;
      if (isFailing(record)) {
        failing += 1;
        save(record, input);
      }
      if (values.verbose) {
        const outcome = record.status === 'rejected' ? `rejected: ${record.rejection?.slice(0, 160)}` : `${record.status}, ${record.findings} findings`;
        process.stderr.write(`  → ${outcome}, ${record.ms.toFixed(0)} ms${record.issues.length ? `, ${record.issues.map((i) => i.kind).join(',')}` : ''}\n`);
      }
      else if (done % 100 === 0) process.stderr.write(`fuzz: ${done} inputs, ${failing} failing\n`);
    },
  });
  guard.uninstall();
  rmSync(currentFile, { force: true });

  const report = formatReport(result, { reproduce, savedPath: (record) => saved.get(record.run) });
  writeFileSync(join(out, 'summary.md'), `${report}\n`);
  process.stdout.write(`${report}\n`);
  const totals = total(result.records);
  const failures = FAILING_KINDS.filter((k) => totals.issues[k] > 0);
  process.stdout.write(
    failures.length > 0
      ? `FAILED: ${failures.map((k) => `${totals.issues[k]} ${k}`).join(', ')}. Inputs saved in ${display(failuresDir)}; summary in ${display(join(out, 'summary.md'))}.\n`
      : `PASSED: no crash, invalid finding, duplicate Id, fetch or entity expansion in ${result.records.length} inputs.\n`,
  );
  return failures.length > 0 ? 1 : 0;
}

process.exitCode = main();
