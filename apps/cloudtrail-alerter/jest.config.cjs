module.exports = {
  displayName: 'cloudtrail-alerter',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
