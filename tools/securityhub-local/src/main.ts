import { parseArgs } from 'node:util';
import { startSecurityHubLocal, type FaultOptions, type SecurityHubLocalOptions } from './index';

const USAGE = `Usage: npm run securityhub-local -- [options]

  --port <n>                  port on 127.0.0.1 (default 4566; 0 = any free port)
  --no-throttling             switch the request quotas off
  --persist <file>            keep the store in this JSON file across runs
  --account-id <12 digits>    the calling account (default-product findings of other accounts fail)
  --region <region>           Region for unsigned requests (default us-east-1)
  --throttle-rate <0..1>      inject 429 LimitExceededException
  --server-error-rate <0..1>  inject 500 InternalException
  --finding-failure-rate <0..1>  inject per-finding InternalException failures
  --seed <n>                  seed for injected faults
  -h, --help`;

function rate(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`--${name} must be a number from 0 to 1`);
  return n;
}

/** CLI arguments → server options. Pure, so it is testable. */
export function optionsFromArgs(args: readonly string[]): SecurityHubLocalOptions | 'help' {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: 'string' },
      throttling: { type: 'boolean' },
      'no-throttling': { type: 'boolean' },
      persist: { type: 'string' },
      'account-id': { type: 'string' },
      region: { type: 'string' },
      'throttle-rate': { type: 'string' },
      'server-error-rate': { type: 'string' },
      'finding-failure-rate': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const port = Number(values.port ?? '4566');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a port number');
  const faults: FaultOptions = {
    ...(values['throttle-rate'] !== undefined ? { throttleRate: rate('throttle-rate', values['throttle-rate']) } : {}),
    ...(values['server-error-rate'] !== undefined ? { serverErrorRate: rate('server-error-rate', values['server-error-rate']) } : {}),
    ...(values['finding-failure-rate'] !== undefined ? { findingFailureRate: rate('finding-failure-rate', values['finding-failure-rate']) } : {}),
    ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
  };
  if (faults.seed !== undefined && !Number.isInteger(faults.seed)) throw new Error('--seed must be an integer');
  return {
    port,
    throttling: values['no-throttling'] ? false : true,
    ...(values.persist ? { persistPath: values.persist } : {}),
    ...(values['account-id'] ? { accountId: values['account-id'] } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(Object.keys(faults).length > 0 ? { faults } : {}),
  };
}

async function main(): Promise<void> {
  const options = optionsFromArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const local = await startSecurityHubLocal(options);
  console.log(`securityhub-local listening on ${local.endpoint}`);
  console.log(`  ${local.stats().findings} findings in the store${options.persistPath ? ` (${options.persistPath})` : ''}`);
  console.log(`  throttling ${options.throttling === false ? 'off' : 'on'}; stop with Ctrl+C`);
  console.log(`  try: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws securityhub get-findings --endpoint-url ${local.endpoint} --region ${options.region ?? 'us-east-1'}`);
  const stop = (signal: string) => {
    console.log(`securityhub-local: ${signal}, stopping`);
    local.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`securityhub-local: ${(error as Error).message}`);
    process.exit(1);
  });
}
