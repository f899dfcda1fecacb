module.exports = {
  displayName: 'parser-zap',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
