#!/usr/bin/env node
// `npx findings …` in a clone: runs the CLI bundle (dist/apps/findings-cli/main.mjs), building it through nx first
// when it is missing or older than any of its source files (esbuild's meta.json lists them). Build output goes to
// stderr, so stdout carries only what the command prints. Plain JavaScript: it must run before anything is built.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const dist = join(root, 'dist/apps/findings-cli');
const bundle = join(dist, 'main.mjs');

/** Why the bundle must be (re)built, or undefined when it is current. */
function staleReason() {
  if (!existsSync(bundle)) return 'not built yet';
  const built = statSync(bundle).mtimeMs;
  let inputs;
  try {
    inputs = Object.keys(JSON.parse(readFileSync(join(dist, 'meta.json'), 'utf8')).inputs);
  } catch {
    return 'no build metadata';
  }
  // Dependencies change through npm ci/install, which rewrites package-lock.json: one stat instead of thousands.
  for (const file of ['package-lock.json', 'package.json', 'tsconfig.base.json', ...inputs.filter((i) => !i.includes('node_modules/'))]) {
    const path = resolve(root, file);
    if (!existsSync(path)) return `${file} was removed`;
    if (statSync(path).mtimeMs > built) return `${file} changed`;
  }
  return undefined;
}

const reason = process.env.FINDINGS_SKIP_BUILD === '1' ? undefined : staleReason();
if (reason) {
  process.stderr.write(`findings: building the CLI bundle (${reason}) …\n`);
  const nxPackage = join(root, 'node_modules/nx/package.json');
  if (!existsSync(nxPackage)) {
    process.stderr.write('findings: the CLI is not built and nx is not installed: run npm ci first\n');
    process.exit(2);
  }
  const nx = join(root, 'node_modules/nx', JSON.parse(readFileSync(nxPackage, 'utf8')).bin.nx);
  const build = spawnSync(process.execPath, [nx, 'run', 'findings-cli:build', '--outputStyle=static'], {
    cwd: root,
    stdio: ['ignore', process.stderr, process.stderr],
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
  });
  if (build.status !== 0 || !existsSync(bundle)) {
    process.stderr.write('findings: building the CLI failed (see above); try: npx nx run findings-cli:build\n');
    process.exit(2);
  }
  // nx may restore an identical bundle from its cache without rewriting it: mark it current.
  const now = new Date();
  utimesSync(bundle, now, now);
}

await import(pathToFileURL(bundle).href);
