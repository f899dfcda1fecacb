import { defaultOpenFile, defaultReadFile, runCli } from './cli';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A reader that goes away (`findings convert … | head`) makes later writes fail with EPIPE, emitted as an 'error'
// event: without these listeners Node would print a stack trace. Report writes handle it themselves (cli.ts).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.exitCode = 2;
  });
}

runCli(process.argv.slice(2), {
  stdout: (text) => {
    process.stdout.write(text);
  },
  stderr: (text) => {
    process.stderr.write(text);
  },
  stdoutStream: process.stdout,
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
  readFile: defaultReadFile,
  openFile: defaultOpenFile,
}).then((code) => {
  process.exitCode = code;
});
