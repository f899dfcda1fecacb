import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FIELD, findings } from './__fixtures__/findings';
import { startSecurityHubLocal, type SecurityHubLocal } from './index';

const run = promisify(execFile);
const hasAwsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
const describeWithCli = hasAwsCli ? describe : describe.skip;

describeWithCli('the AWS CLI against securityhub-local', () => {
  let local: SecurityHubLocal;
  let dir: string;
  // Dummy credentials and no config files: nothing from the developer's own AWS setup is used.
  const { AWS_PROFILE: _profile, AWS_SESSION_TOKEN: _token, ...inherited } = process.env;
  const env = {
    ...inherited,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_DEFAULT_REGION: 'us-east-1',
  };
  const aws = async (...args: string[]) =>
    JSON.parse((await run('aws', ['securityhub', ...args, '--endpoint-url', local.endpoint, '--region', 'us-east-1', '--output', 'json'], { env })).stdout) as Record<string, unknown>;

  beforeAll(async () => {
    local = await startSecurityHubLocal({ throttling: false });
    dir = mkdtempSync(join(tmpdir(), 'securityhub-local-cli-'));
  });
  afterAll(async () => {
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports with batch-import-findings and pages get-findings across 150 findings', async () => {
    // arrange
    const all = findings(150);
    const file = join(dir, 'findings.json');
    writeFileSync(file, JSON.stringify(all.slice(0, 100)));
    local.importFindings(all.slice(100));

    // act
    const imported = await aws('batch-import-findings', '--findings', `file://${file}`);
    const listed = await aws('get-findings', '--filters', JSON.stringify({ ProductFields: [{ Key: FIELD.tool, Value: 'test-tool', Comparison: 'EQUALS' }] }));

    // assert
    expect(imported).toEqual({ FailedCount: 0, SuccessCount: 100, FailedFindings: [] });
    expect((listed.Findings as unknown[]).length).toBe(150);
  }, 120_000);
});
