module.exports = {
  displayName: 'parser-sonarqube',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
