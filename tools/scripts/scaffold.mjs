#!/usr/bin/env node
// Creates the skeleton of a library or Lambda app with every standard target:
//   node tools/scripts/scaffold.mjs lib libs/parsers/foo parser-foo [tags...]
//   node tools/scripts/scaffold.mjs lambda apps/foo foo
// Remember to add the path alias to tsconfig.base.json.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const [kind, dir, name, ...extraTags] = process.argv.slice(2);
if (!['lib', 'lambda', 'tool'].includes(kind) || !dir || !name) {
  console.error('usage: scaffold.mjs lib|lambda|tool <dir> <name> [tags...]');
  process.exit(2);
}
const up = relative(dir, '.') || '.';
const write = (file, text) => {
  const target = join(dir, file);
  if (existsSync(target)) return;
  mkdirSync(join(target, '..'), { recursive: true });
  writeFileSync(target, text);
};

const tags = [kind === 'lambda' ? 'type:lambda' : kind === 'tool' ? 'type:tool' : 'type:lib', ...extraTags];
const targets = {
  typecheck: {
    executor: 'nx:run-commands',
    options: { command: 'tsc -p tsconfig.json --noEmit', cwd: '{projectRoot}' },
  },
};
if (kind === 'lambda') {
  targets.build = {
    executor: '@nx/esbuild:esbuild',
    outputs: ['{options.outputPath}'],
    options: {
      main: `${dir}/src/main.ts`,
      outputPath: `dist/${dir}`,
      tsConfig: `${dir}/tsconfig.json`,
      platform: 'node',
      target: 'node22',
      format: ['esm'],
      bundle: true,
      thirdParty: true,
      minify: true,
      sourcemap: true,
      metafile: true,
      skipTypeCheck: true,
      generatePackageJson: false,
      // Shared esbuild settings: ESM with a require shim, module-first resolution, zod without its unused locales.
      esbuildConfig: 'tools/esbuild/lambda.config.cjs',
    },
  };
} else {
  targets.build = {
    executor: 'nx:run-commands',
    outputs: [`{workspaceRoot}/dist/${dir}`],
    options: { command: 'tsc -p tsconfig.lib.json', cwd: '{projectRoot}' },
  };
}
write(
  'project.json',
  JSON.stringify(
    {
      name,
      $schema: `${up}/node_modules/nx/schemas/project-schema.json`,
      sourceRoot: `${dir}/src`,
      projectType: kind === 'lambda' ? 'application' : 'library',
      tags,
      targets,
    },
    null,
    2,
  ) + '\n',
);
write(
  'tsconfig.json',
  JSON.stringify({ extends: `${up}/tsconfig.base.json`, include: ['src/**/*.ts'] }, null, 2) + '\n',
);
write(
  'tsconfig.lib.json',
  JSON.stringify(
    {
      extends: './tsconfig.json',
      compilerOptions: { outDir: `${up}/dist/${dir}`, declaration: true, noEmit: false, rootDir: up },
      exclude: ['src/**/*.spec.ts', 'src/**/__fixtures__/**'],
    },
    null,
    2,
  ) + '\n',
);
write(
  'jest.config.cjs',
  `module.exports = {\n  displayName: '${name}',\n  preset: '${up}/jest.preset.js',\n  rootDir: __dirname,\n};\n`,
);
write('eslint.config.mjs', `import base from '${up}/eslint.config.mjs';\n\nexport default [...base];\n`);
write('src/index.ts', kind === 'lambda' ? '' : 'export {};\n');
console.log(`scaffolded ${kind} ${name} in ${dir}`);
