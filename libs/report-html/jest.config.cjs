module.exports = {
  displayName: 'report-html',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
