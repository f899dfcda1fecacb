module.exports = {
  displayName: 'report-input',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
