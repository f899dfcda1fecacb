import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

interface Metafile {
  inputs: Record<string, { bytes: number }>;
  outputs: Record<string, { bytes: number; imports: { path: string; kind: string; external?: boolean }[]; entryPoint?: string }>;
}

export interface BundleFacts {
  bundleBytes: number;
  /** Imports left for the runtime to resolve. */
  externalImports: string[];
  /** External imports that are not Node built-ins: these crash in a Lambda zip without node_modules. */
  nonBuiltinExternals: string[];
  /** npm packages compiled into the bundle. */
  bundledPackages: string[];
  /** Every source file compiled into the bundle. */
  inputs: string[];
}

const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Reads dist/apps/<app>/meta.json (esbuild's metafile) and says what the bundle contains and needs. */
export function bundleFacts(workspaceRoot: string, app: string): BundleFacts {
  const dir = join(workspaceRoot, 'dist/apps', app);
  const metaPath = join(dir, 'meta.json');
  if (!existsSync(metaPath)) throw new Error(`${metaPath} is missing: run \`npx nx run ${app}:build\` first`);
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Metafile;
  const [, output] = Object.entries(meta.outputs).find(([path]) => path.endsWith('main.mjs')) ?? [];
  if (!output) throw new Error(`${metaPath} has no main.mjs output`);
  const externalImports = [...new Set(output.imports.filter((i) => i.external).map((i) => i.path))].sort();
  const bundledPackages = [
    ...new Set(
      Object.keys(meta.inputs)
        .map((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p)?.[1])
        .filter((p): p is string => Boolean(p)),
    ),
  ].sort();
  return {
    bundleBytes: output.bytes,
    externalImports,
    nonBuiltinExternals: externalImports.filter((p) => !BUILTINS.has(p)),
    bundledPackages,
    inputs: Object.keys(meta.inputs),
  };
}

/**
 * The checks every Lambda bundle must pass, from esbuild's meta.json: self-contained (only Node built-ins left to
 * resolve), the SDK and middy compiled in (the deployed code is the tested code), and within its size budget.
 */
export function describeLambdaBundle(workspaceRoot: string, app: string, budgetBytes: number, sdkClients: readonly string[]): void {
  describe(`the ${app} bundle`, () => {
    const facts = bundleFacts(workspaceRoot, app);

    it('is self-contained: nothing but Node built-ins is left to resolve at runtime', () => {
      expect(facts.nonBuiltinExternals).toEqual([]);
    });

    it('bundles the AWS SDK clients, middy and Powertools, so the deployed code is the tested code', () => {
      const expected = ['@middy/core', '@aws-lambda-powertools/logger', ...sdkClients.map((c) => `@aws-sdk/client-${c}`)];
      expect(facts.bundledPackages).toEqual(expect.arrayContaining(expected));
    });

    it("carries only zod's English locale (tools/esbuild/lambda.config.cjs)", () => {
      const locales = facts.inputs.filter((p) => /node_modules\/zod\/v4\/locales\/(?!en\.js$|english-only\.js$)/.test(p));
      expect(locales).toEqual([]);
    });

    it(`stays within its size budget (${Math.round(budgetBytes / 1024)} KB)`, () => {
      expect(facts.bundleBytes).toBeLessThanOrEqual(budgetBytes);
    });
  });
}
