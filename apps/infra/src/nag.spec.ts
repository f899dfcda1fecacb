import { App, Stack } from 'aws-cdk-lib';
import { addDevSecOpsStacks } from './app';
import type { PipelineConfig } from './config';
import { acknowledgementsUnder, addNagPacks, nagPacks } from './nag';
import { FIXTURE_DIST, alternativeConfig, cdkJsonContext, exampleConfig, multiApplicationConfig, workloadAccountConfig } from './testing/synth';

/**
 * cdk-nag 3: AwsSolutions, HIPAA Security and NIST 800-53 R5 over every stack, with zero unacknowledged errors.
 * Acknowledgements live next to what they concern, each with its reason; the count is printed.
 */

interface Case {
  app: App;
  stacks: Stack[];
}

function build(config: PipelineConfig): Case {
  const app = new App({ context: cdkJsonContext(), analyticsReporting: false });
  addDevSecOpsStacks(app, { config, distRoot: FIXTURE_DIST });
  addNagPacks(app);
  // Stacks in a Stage too (a workload account's import role).
  return { app, stacks: app.node.findAll().filter((c): c is Stack => Stack.isStack(c)) };
}

const CASES: [string, () => PipelineConfig][] = [
  ['example configuration', exampleConfig],
  ['alternative configuration', alternativeConfig],
  ['two applications', multiApplicationConfig],
  ['an application in a workload account', workloadAccountConfig],
];

describe.each(CASES)('cdk-nag, %s', (name, makeConfig) => {
  let subject: Case;

  beforeAll(() => {
    subject = build(makeConfig());
    // With the packs registered, synth throws "Validation failed" on any unacknowledged finding: as `cdk synth` does.
    subject.app.synth();
  });

  afterAll(() => {
    const acknowledgements = acknowledgementsUnder(subject.app);
    const byRule = new Map<string, number>();
    for (const a of acknowledgements) {
      const rule = a.id.replace(/\[.*$/, '');
      byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
    }
    console.log(
      `cdk-nag (${name}): ${acknowledgements.length} acknowledgements across ${subject.stacks.length} stacks\n` +
        [...byRule.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([rule, n]) => `  ${String(n).padStart(3)}  ${rule}`)
          .join('\n'),
    );
  });

  it.each(['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5'])('%s reports no unacknowledged error in any stack', (packName) => {
    const pack = nagPacks().find((p) => p.readPackName === packName)!;
    const violations = subject.stacks.flatMap((stack) =>
      pack.validateScope(stack).violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
    );

    expect(violations).toEqual([]);
  });

  it('gives every acknowledgement a reason, scoped below the app', () => {
    const acknowledgements = acknowledgementsUnder(subject.app);

    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const a of acknowledgements) {
      expect(a.reason.trim().length).toBeGreaterThanOrEqual(20);
      expect(a.path).not.toBe('');
    }
  });

  it('acknowledges no rule wholesale except inline policies per stack', () => {
    const stackLevel = acknowledgementsUnder(subject.app).filter((a) => subject.stacks.some((s) => s.node.path === a.path));

    expect([...new Set(stackLevel.map((a) => a.id))].sort()).toEqual(['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy']);
  });
});
