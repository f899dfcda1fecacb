module.exports = {
  displayName: 'asff',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
