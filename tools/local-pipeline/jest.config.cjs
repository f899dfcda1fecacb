module.exports = {
  displayName: 'local-pipeline',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Installs Debian's chromium (apt-get, as root) when missing, for the specs that render report.html in a browser.
  globalSetup: '<rootDir>/src/__fixtures__/chromium-setup.ts',
};
