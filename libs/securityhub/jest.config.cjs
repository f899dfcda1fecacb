module.exports = {
  displayName: 'securityhub',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
