module.exports = {
  displayName: 'parser-sarif',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
