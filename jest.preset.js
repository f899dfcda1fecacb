// Shared jest preset. @middy/*, stream-json and stream-chain are ESM-only, so they are
// mapped to its entry file and transformed by SWC like our own TypeScript.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const root = __dirname;
const aliasMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace(/[/\\^$*+?.()|[\]{}]/g, '\\$&')}$`,
    path.join(root, target),
  ]),
);

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(ts|js|mjs)$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transformIgnorePatterns: ['/node_modules/(?!(@middy|stream-json|stream-chain)/)'],
  moduleNameMapper: {
    '^@middy/(.*)$': path.join(root, 'node_modules/@middy/$1/index.js'),
    ...aliasMapper,
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  setupFiles: [path.join(root, 'tools/jest/setup-env.js')],
  setupFilesAfterEnv: [path.join(root, 'tools/jest/setup-after-env.js')],
  // A guard against hangs, not a speed limit: on a 2-core machine with both cores busy, a test that takes 1 s
  // unloaded can take 10-20 s (jest's 5 s default made such tests fail on slow machines only).
  testTimeout: 120_000,
  clearMocks: true,
  restoreMocks: true,
};
