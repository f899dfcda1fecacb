module.exports = {
  displayName: 'zap-client',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
