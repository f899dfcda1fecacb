import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Environment, type IPolicyValidationPluginBeta1, Validations } from 'aws-cdk-lib';
import { addDevSecOpsStacks } from '../app';
import { parseConfig, type PipelineConfig } from '../config';
import { FIXTURE_DIST, alternativeConfig, cdkJsonContext, exampleConfig, multiApplicationConfig } from './synth';

/**
 * Test support for the independent checkers (cfn-lint, cfn-guard, the IAM action list): the configurations
 * synthesised to a cloud assembly on disk, as `cdk synth` writes it, so external tools read the real files.
 */

export interface SynthCase {
  name: string;
  config: () => PipelineConfig;
  env?: Environment;
}

/** The example, the other branch of every option, and that in GovCloud (another partition, a Region with fewer services). */
export const SYNTH_CASES: SynthCase[] = [
  { name: 'example', config: exampleConfig },
  { name: 'alternative', config: alternativeConfig },
  { name: 'two-applications', config: multiApplicationConfig },
  {
    name: 'alternative-us-gov',
    config: () => {
      const alternative = alternativeConfig();
      return parseConfig({
        ...alternative,
        applications: alternative.applications.map((app) => ({
          ...app,
          source: { ...app.source, connectionArn: 'arn:aws-us-gov:codestar-connections:us-gov-west-1:111122223333:connection/abc-123' },
        })),
      });
    },
    env: { account: '111122223333', region: 'us-gov-west-1' },
  },
];

export interface SynthesizedAssembly {
  name: string;
  app: App;
  directory: string;
  /** Template file of every stack, by file name. */
  templates: { file: string; path: string; json: Record<string, unknown> }[];
  /** CDK's validation report (validation-report.json): every plugin's violations after acknowledgements. */
  validationReport?: ValidationReport;
}

export interface ValidationReport {
  pluginReports?: { summary: { pluginName: string; status: string }; violations: { ruleName: string; description?: string; violatingResources?: { locations?: string[]; resourceLogicalId?: string; templatePath?: string; constructPath?: string }[] }[] }[];
}

/** Synthesises one case to a fresh temporary directory; plugins run as `cdk synth` runs them, without failing the synth. */
export function synthesizeToDisk(testCase: SynthCase, plugins: IPolicyValidationPluginBeta1[] = []): SynthesizedAssembly {
  const directory = mkdtempSync(join(tmpdir(), `infra-${testCase.name}-`));
  const app = new App({
    outdir: directory,
    analyticsReporting: false,
    // The report is read below instead of failing the synth, so a test can say which rule failed where.
    context: { ...cdkJsonContext(), '@aws-cdk/core:failSynthOnValidationErrors': false, 'aws:cdk:enable-path-metadata': true },
  });
  addDevSecOpsStacks(app, { config: testCase.config(), distRoot: FIXTURE_DIST, env: testCase.env });
  if (plugins.length > 0) Validations.of(app).addPlugins(...plugins);
  app.synth();
  const templates = readdirSync(directory)
    .filter((f) => f.endsWith('.template.json'))
    .sort()
    .map((file) => ({ file, path: join(directory, file), json: JSON.parse(readFileSync(join(directory, file), 'utf8')) as Record<string, unknown> }));
  let validationReport: ValidationReport | undefined;
  try {
    validationReport = JSON.parse(readFileSync(join(directory, 'validation-report.json'), 'utf8')) as ValidationReport;
  } catch {
    validationReport = undefined;
  }
  return { name: testCase.name, app, directory, templates, validationReport };
}
