module.exports = {
  displayName: 'remediation',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
