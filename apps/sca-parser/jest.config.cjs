module.exports = {
  displayName: 'sca-parser',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
