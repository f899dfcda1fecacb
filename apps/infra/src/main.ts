import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { addDevSecOpsStacks } from './app';
import { ConfigError, loadConfigFile, type PipelineConfig } from './config';
import { selectFunctions } from './functions';
import { addNagPacks } from './nag';

/**
 * The CDK app (cdk.json runs it with tsx). Context:
 *   config=<path>        configuration file, relative to apps/infra or to the workspace root (default config/example.json, or $DEVSECOPS_CONFIG)
 *   functions=<a,b|all|none>  function stacks to synthesise (per-function deploys need only their own bundle)
 *   shared=false         leave out the Foundation, Audit and Pipeline stacks (per-function deploys)
 *   dist=<path>          where the Nx bundles are (default <workspace>/dist)
 *   nag=false            skip the cdk-nag packs (they run by default, so synth fails on an unacknowledged finding)
 */
const projectRoot = resolve(__dirname, '..');
const workspaceRoot = resolve(projectRoot, '../..');

const app = new App({ analyticsReporting: false });
const EXAMPLE = 'config/example.json';
const configPath = String(app.node.tryGetContext('config') ?? (process.env.DEVSECOPS_CONFIG || EXAMPLE));
if (configPath === EXAMPLE) process.stderr.write(`Using ${EXAMPLE}; pass -c config=<file> or set DEVSECOPS_CONFIG to deploy your own installation.\n`);
let config: PipelineConfig;
try {
  // Relative to apps/infra (where cdk and nx run) or to the workspace root (where the top README's commands run).
  config = loadConfigFile(configPath, [projectRoot, workspaceRoot]);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.report()}\n`);
  process.exit(2);
}

addDevSecOpsStacks(app, {
  config,
  distRoot: resolve(projectRoot, String(app.node.tryGetContext('dist') ?? join(workspaceRoot, 'dist'))),
  functions: selectFunctions(app.node.tryGetContext('functions')),
  shared: String(app.node.tryGetContext('shared') ?? 'true') !== 'false',
});
if (String(app.node.tryGetContext('nag') ?? 'true') !== 'false') addNagPacks(app);
app.synth();
