module.exports = {
  displayName: 'parser-phpstan',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
