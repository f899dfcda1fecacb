import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { decodeReport, readReport } from '@devsecops/report-input';
import type { Seed } from './mutators';

const REPORT_EXTENSIONS = /\.(json|sarif|xml|txt)$/i;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/**
 * Every report in the repository: samples/** and the parsers' src/__fixtures__/** (json, sarif, xml, txt;
 * not .ts helpers, not READMEs), sorted so run numbers mean the same thing on every machine.
 */
export function seedPaths(workspaceRoot: string): string[] {
  const parsersDir = join(workspaceRoot, 'libs/parsers');
  const fixtureDirs = existsSync(parsersDir) ? readdirSync(parsersDir).sort().map((parser) => join(parsersDir, parser, 'src/__fixtures__')) : [];
  return [join(workspaceRoot, 'samples'), ...fixtureDirs]
    .flatMap(filesUnder)
    .filter((path) => REPORT_EXTENSIONS.test(path) && !/readme/i.test(path));
}

/** A seed from its bytes: how structural mutators see it (JSON value, XML text, or bytes only). */
export function toSeed(name: string, bytes: Buffer): Seed {
  try {
    const doc = readReport(bytes, name);
    if (doc.format === 'json') return { name, bytes, format: 'json', json: doc.value };
    const text = decodeReport(bytes, name).text;
    return { name, bytes, format: 'xml', xml: text.slice(doc.skippedPrefix) };
  } catch {
    return { name, bytes, format: 'bytes' };
  }
}

/** Reads every seed report as bytes (before any guard is armed). */
export function loadSeeds(workspaceRoot: string, paths: readonly string[] = seedPaths(workspaceRoot)): Seed[] {
  return paths.map((path) => toSeed(relative(workspaceRoot, path), readFileSync(path)));
}
