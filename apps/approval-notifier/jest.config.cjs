module.exports = {
  displayName: 'approval-notifier',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
