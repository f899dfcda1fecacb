const preset = require('../../jest.preset.js');

module.exports = {
  displayName: 'findings-cli',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // junit2json (the JUnit parser the format tests check the XML with) is ESM-only: transform it like our own code.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|stream-json|stream-chain|junit2json)/)'],
  moduleNameMapper: { ...preset.moduleNameMapper, '^junit2json$': require.resolve('../../node_modules/junit2json/dist/esm/index.js') },
};
