import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_DIST, INFRA_ROOT } from './testing/synth';

/**
 * The app as `cdk synth` runs it (cdk.json → tsx → src/main.ts): plain Node, no jest module mapping, offline, no
 * AWS credentials. This is what `npm run synth` does after Nx has built the bundles.
 */
function cdkSynth(...context: string[]): { status: number | null; stderr: string; stacks: string[] } {
  const out = mkdtempSync(join(tmpdir(), 'infra-synth-'));
  const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', out, '-c', `dist=${FIXTURE_DIST}`, ...context.flatMap((c) => ['-c', c])], {
    cwd: INFRA_ROOT,
    encoding: 'utf8',
    env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'devsecops-no-such-profile', CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  let stacks: string[] = [];
  if (result.status === 0) {
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string }> };
    stacks = Object.entries(manifest.artifacts)
      .filter(([, a]) => a.type === 'aws:cloudformation:stack')
      .map(([id]) => id)
      .sort();
  }
  return { status: result.status, stderr: result.stderr, stacks };
}

describe('cdk synth through cdk.json', () => {
  it('synthesises every stack with the cdk-nag packs enabled', () => {
    const result = cdkSynth();

    expect(result.stderr).not.toMatch(/Validation failed|ERROR/);
    expect(result.status).toBe(0);
    expect(result.stacks).toEqual([
      'Audit',
      'Foundation',
      'Function-approval-notifier',
      'Function-auto-remediator',
      'Function-cloudtrail-alerter',
      'Function-dast-parser',
      'Function-sast-parser',
      'Function-sca-parser',
      'Pipeline',
    ]);
  });

  it('synthesises one function stack alone for a per-function deploy', () => {
    expect(cdkSynth('functions=sca-parser', 'shared=false').stacks).toEqual(['Function-sca-parser']);
  });

  it('reads a configuration path relative to the workspace root too, as the top README passes it', () => {
    expect(cdkSynth('config=apps/infra/config/example.json', 'functions=none', 'nag=false').stacks).toEqual(['Audit', 'Foundation', 'Pipeline']);
  });

  it('reports a configuration it cannot read in one line naming the file and the problem, without a stack trace', () => {
    const result = cdkSynth('config=config/no-such-file.json', 'functions=none', 'nag=false');
    const ours = result.stderr.split('\n').filter((l) => l.startsWith('invalid configuration'));

    expect(result.status).not.toBe(0);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/^invalid configuration: \/.*apps\/infra\/config\/no-such-file\.json: cannot be read: ENOENT/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('names the build command when a bundle is missing', () => {
    const result = cdkSynth('dist=/nonexistent-dist', 'functions=dast-parser', 'shared=false');

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Build it first: npx nx run dast-parser:build');
  });
});
