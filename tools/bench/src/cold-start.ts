/**
 * Cold start per Lambda: bundle size, the time to import the bundle in a fresh Node process and run one
 * invocation on a tiny event, next to an empty handler bundled the same way. Median of several processes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

export const LAMBDAS = ['sca-parser', 'sast-parser', 'dast-parser', 'approval-notifier', 'cloudtrail-alerter', 'auto-remediator'] as const;

/** An event every function rejects after parsing it: exercises module init, middy, the logger and zod. */
const TINY_EVENT = '{}';

interface Sample {
  importMs: number;
  invokeMs: number;
  outcome: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(root: string, bundle: string, runs: number): { importMs: number; invokeMs: number; outcome: string } {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i += 1) {
    const result = spawnSync(join(root, 'node_modules/.bin/node'), [join(__dirname, 'cold-start-worker.mjs'), bundle, TINY_EVENT], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', AWS_ACCOUNT_ID: '123456789012', POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    if (result.status !== 0) throw new Error(`cold start of ${bundle} failed: ${result.stderr}`);
    samples.push(JSON.parse(result.stdout) as Sample);
  }
  return { importMs: median(samples.map((s) => s.importMs)), invokeMs: median(samples.map((s) => s.invokeMs)), outcome: samples[0]!.outcome };
}

/** An empty handler bundled with the Lambdas' own esbuild settings. */
function emptyBundle(root: string): string {
  const dir = join(root, 'tmp/bench/empty-handler');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.ts'), 'export const handler = async () => ({});\n');
  buildSync({
    entryPoints: [join(dir, 'main.ts')],
    outfile: join(dir, 'main.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  return join(dir, 'main.mjs');
}

export function coldStartTable(root: string, runs = 5): string[] {
  const lines = [
    `\n## Cold start (fresh Node ${process.version} process per run, median of ${runs}; tiny event = {} → InvalidEvent after parsing)`,
    '| function | bundle KB | import ms | first invocation ms | total ms | total ÷ empty handler |',
    '|---|---|---|---|---|---|',
  ];
  const empty = measure(root, emptyBundle(root), runs);
  const emptyTotal = empty.importMs + empty.invokeMs;
  lines.push(`| (empty handler) | ${(statSync(join(root, 'tmp/bench/empty-handler/main.mjs')).size / 1024).toFixed(1)} | ${empty.importMs.toFixed(1)} | ${empty.invokeMs.toFixed(1)} | ${emptyTotal.toFixed(1)} | 1.0× |`);
  for (const fn of LAMBDAS) {
    const bundle = join(root, 'dist/apps', fn, 'main.mjs');
    if (!existsSync(bundle)) {
      lines.push(`| ${fn} | (not built: npx nx run ${fn}:build) | | | | |`);
      continue;
    }
    const m = measure(root, bundle, runs);
    const total = m.importMs + m.invokeMs;
    lines.push(`| ${fn} | ${(statSync(bundle).size / 1024).toFixed(0)} | ${m.importMs.toFixed(1)} | ${m.invokeMs.toFixed(1)} | ${total.toFixed(1)} | ${(total / emptyTotal).toFixed(1)}× |`);
  }
  return lines;
}
