module.exports = {
  displayName: 'gate',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
