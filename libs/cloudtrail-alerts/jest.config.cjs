module.exports = {
  displayName: 'cloudtrail-alerts',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
