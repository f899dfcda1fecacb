module.exports = {
  displayName: 'securityhub-local',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
