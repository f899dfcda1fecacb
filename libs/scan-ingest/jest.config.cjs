module.exports = {
  displayName: 'scan-ingest',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
