module.exports = {
  displayName: 'sonarqube-client',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
