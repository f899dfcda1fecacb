// One cold start in a fresh process: import the bundle, then one invocation on a tiny event.
// Prints JSON { importMs, invokeMs, outcome }. Plain ESM so no loader (tsx) sits between us and the measurement.
import { pathToFileURL } from 'node:url';

const [bundle, eventJson] = process.argv.slice(2);
const context = {
  functionName: 'bench',
  awsRequestId: 'bench',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
  getRemainingTimeInMillis: () => 30_000,
};
const t0 = performance.now();
const mod = await import(pathToFileURL(bundle).href);
const t1 = performance.now();
let outcome = 'ok';
try {
  await mod.handler(JSON.parse(eventJson), context);
} catch (error) {
  outcome = error?.name ?? 'error';
}
const t2 = performance.now();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, invokeMs: t2 - t1, outcome }));
