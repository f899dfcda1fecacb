module.exports = {
  displayName: 'auto-remediator',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
