module.exports = {
  displayName: 'parser-dependency-check',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
