import { exampleConfig, synthesize } from './testing/synth';

/**
 * Whole-template snapshots of the example installation. Asset hashes change with every bundle and CDK release,
 * so they are normalised: a snapshot diff then means the infrastructure changed, not the Lambda code.
 */
const ASSET_HASH = /\b[0-9a-f]{64}\b/g;

function normaliseAssetHashes(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(ASSET_HASH, '<asset-hash>'));
}

describe('template snapshots (example configuration)', () => {
  const synthesized = synthesize(exampleConfig());

  it.each(Object.keys(synthesized.templates))('%s', (id) => {
    expect(normaliseAssetHashes(synthesized.template(id).toJSON())).toMatchSnapshot();
  });

  it('normalises every asset hash and nothing else', () => {
    const text = JSON.stringify(normaliseAssetHashes(synthesized.json()));

    expect(text).not.toMatch(ASSET_HASH);
    expect(text).toContain('"S3Key":"<asset-hash>.zip"');
    expect(normaliseAssetHashes({ a: 'x'.repeat(64), b: 'abc' })).toEqual({ a: 'x'.repeat(64), b: 'abc' });
  });
});
