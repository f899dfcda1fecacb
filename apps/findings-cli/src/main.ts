import { defaultOpenFile, defaultReadFile, runCli } from './cli';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  readFile: defaultReadFile,
  openFile: defaultOpenFile,
}).then((code) => {
  process.exitCode = code;
});
