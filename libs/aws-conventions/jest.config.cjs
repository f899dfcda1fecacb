module.exports = {
  displayName: 'aws-conventions',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
