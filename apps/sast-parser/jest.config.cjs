module.exports = {
  displayName: 'sast-parser',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
