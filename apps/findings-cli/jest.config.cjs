module.exports = {
  displayName: 'findings-cli',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
