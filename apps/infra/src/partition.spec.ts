import { App } from 'aws-cdk-lib';
import { addDevSecOpsStacks } from './app';
import { addNagPacks } from './nag';
import { FIXTURE_DIST, alternativeConfig, cdkJsonContext, exampleConfig } from './testing/synth';

/**
 * The reference template only worked in GovCloud (arn:aws-us-gov hard-coded). Ours synthesises for aws, aws-us-gov
 * and aws-cn, here with an explicit environment (CDK then writes that account and Region into the ARNs it formats;
 * environment-agnostic synthesis, the default, keeps them as pseudo parameters: see pipeline-stack.spec.ts). The
 * partition stays AWS::Partition everywhere, and service domains use AWS::URLSuffix where China differs.
 */
const REGIONS = [
  ['aws-us-gov', 'us-gov-west-1'],
  ['aws-cn', 'cn-north-1'],
  ['aws', 'eu-central-1'],
] as const;

describe.each(REGIONS)('synthesised for the %s partition (%s)', (_partition, region) => {
  const app = new App({ context: cdkJsonContext(), analyticsReporting: false });
  addDevSecOpsStacks(app, { config: exampleConfig(), distRoot: FIXTURE_DIST, env: { account: '111122223333', region } });
  addNagPacks(app);
  // Throws on any construct that cannot be built for the Region, and on any unacknowledged cdk-nag finding.
  const assembly = app.synth();
  const templates = assembly.stacks.map((s) => [s.stackName, s.template as Record<string, unknown>] as const);

  it('builds all nine stacks for that Region', () => {
    expect(assembly.stacks.map((s) => s.environment.region)).toEqual(Array(9).fill(region));
  });

  it('contains no literal partition: every ARN uses AWS::Partition', () => {
    for (const [name, template] of templates) {
      const text = JSON.stringify(template.Resources);
      expect({ name, literal: text.match(/arn:aws(-us-gov|-cn)?:/g) ?? [] }).toEqual({ name, literal: [] });
    }
    const all = templates.map(([, t]) => JSON.stringify(t)).join('\n');
    expect(all).toContain('{"Ref":"AWS::Partition"}');
  });

  it('addresses the Region-scoped CloudWatch Logs principal through AWS::URLSuffix (amazonaws.com.cn in China)', () => {
    const foundation = templates.find(([name]) => name === 'devsecops-foundation')![1];
    expect(JSON.stringify(foundation)).toContain('["logs.",{"Ref":"AWS::Region"},".",{"Ref":"AWS::URLSuffix"}]');
  });
});

describe('an alternative configuration in GovCloud', () => {
  it('synthesises with the packs registered', () => {
    const app = new App({ context: cdkJsonContext(), analyticsReporting: false });
    addDevSecOpsStacks(app, {
      config: (() => {
        const config = alternativeConfig();
        const app = config.applications[0]!;
        return { ...config, applications: [{ ...app, source: { ...app.source, connectionArn: 'arn:aws-us-gov:codestar-connections:us-gov-west-1:111122223333:connection/abc-123' } as never }] };
      })(),
      distRoot: FIXTURE_DIST,
      env: { account: '111122223333', region: 'us-gov-west-1' },
    });
    addNagPacks(app);

    expect(app.synth().stacks).toHaveLength(9);
  });
});
