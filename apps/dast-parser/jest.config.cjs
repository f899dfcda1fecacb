module.exports = {
  displayName: 'dast-parser',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
