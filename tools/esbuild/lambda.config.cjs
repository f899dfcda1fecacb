// esbuild settings shared by every Lambda bundle (project.json: "esbuildConfig").
const path = require('node:path');

/**
 * zod exposes every locale through its `locales` namespace (~260 KB minified) and uses only English unless told
 * otherwise; Powertools' schemas import zod's namespace, so the whole set would land in each bundle.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)) return undefined;
      return { path: path.join(args.resolveDir, '../locales/en.js').replace(/en\.js$/, 'english-only.js'), namespace: 'zod-locales' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};`,
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

module.exports = {
  outExtension: { '.js': '.mjs' },
  mainFields: ['module', 'main'],
  legalComments: 'none',
  // ESM bundle with a require shim: the SDK and Powertools still call require() for node: builtins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [zodEnglishOnly],
};
