module.exports = {
  displayName: 'lambda-middleware',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
