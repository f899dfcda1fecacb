import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, type Environment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addDevSecOpsStacks, type DevSecOpsStacks } from '../app';
import { loadConfigFile, parseConfig, type PipelineConfig } from '../config';
import type { FunctionName } from '../functions';

/** Test support: synthesise the app once per configuration and share the templates across a spec file. */

export const INFRA_ROOT = join(__dirname, '..', '..');
export const FIXTURE_DIST = join(__dirname, '..', '__fixtures__', 'dist');

/** The same feature flags `cdk synth` gets from cdk.json. */
export function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(INFRA_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
}

export function exampleConfig(): PipelineConfig {
  return loadConfigFile(join(INFRA_ROOT, 'config', 'example.json'));
}

/** The other branch of every option: connection source, PHPStan, ZAP server, existing trail, recorder, hub, Beanstalk deployment policies. */
export function alternativeConfig(): PipelineConfig {
  return parseConfig({
    name: 'shop',
    source: {
      type: 'connection',
      connectionArn: 'arn:aws:codeconnections:us-east-1:111122223333:connection/0a1b2c3d-1111-2222-3333-444455556666',
      provider: 'GitHub',
      repository: 'acme/shop',
      branch: 'release/2026',
    },
    sca: { nvdApiKey: { secret: 'shop/nvd', jsonKey: 'apiKey' }, failOn: 'CRITICAL', excludes: ['**/vendor/bin/**'] },
    sast: { tool: 'phpstan', level: 6, paths: ['src', 'lib'] },
    // The most far-reaching Beanstalk deployment policies, so every deploy permission meets cdk-nag, cfn-lint and the IAM action list.
    staging: { applicationName: 'shop', environmentName: 'shop-staging', url: 'https://staging.shop.example', deploymentPolicy: 'Immutable' },
    dast: { mode: 'zap-server', zapUrl: 'https://zap.internal.example:8080', apiKey: { parameter: '/shop/zap/api-key' }, baseline: true },
    production: { applicationName: 'shop', environmentName: 'shop-production', deploymentPolicy: 'TrafficSplitting', instanceRoleName: 'shop-eb-instance' },
    approval: { emails: ['release@shop.example'], timeoutMinutes: 2880 },
    notifications: { emails: ['ops@shop.example', 'sec@shop.example'], states: ['FAILED', 'SUCCEEDED'] },
    cloudTrail: { mode: 'existing', trailName: 'organization-trail' },
    awsConfig: { createRecorder: true },
    securityHub: { enable: true },
    lambda: { runtime: 'nodejs22.x', logRetentionDays: 30, tracing: false, reservedConcurrency: 5, gateFailOn: 'MEDIUM', sourceRoots: ['/workspace'] },
  });
}

/** The example's installation settings, without its application (the single-application keys). */
export function exampleInstallation(): Record<string, unknown> {
  const raw = JSON.parse(readFileSync(join(INFRA_ROOT, 'config', 'example.json'), 'utf8')) as Record<string, unknown>;
  for (const key of ['source', 'sca', 'sast', 'staging', 'dast', 'production']) delete raw[key];
  return { ...raw, approval: { emails: (raw.approval as { emails: string[] }).emails } };
}

/** The application `portal`: the example's one application under a name of its own. */
export function portalApplication(): Record<string, unknown> {
  const raw = JSON.parse(readFileSync(join(INFRA_ROOT, 'config', 'example.json'), 'utf8')) as Record<string, unknown>;
  return {
    name: 'portal',
    source: raw.source,
    sca: raw.sca,
    sast: raw.sast,
    staging: raw.staging,
    dast: raw.dast,
    production: raw.production,
  };
}

/** The application `billing`: three SAST tools in parallel (SonarQube, PHPStan, Semgrep SARIF), its own approvers and gate. */
export function billingApplication(): Record<string, unknown> {
  return {
    name: 'billing',
    source: { type: 'connection', connectionArn: 'arn:aws:codeconnections:us-east-1:111122223333:connection/0a1b2c3d-1111-2222-3333-444455556666', provider: 'GitHub', repository: 'hospital/billing', branch: 'main' },
    sca: { nvdApiKey: { parameter: '/devsecops/nvd/api-key' }, category: 'backend', scanPaths: ['backend'] },
    sast: [
      { tool: 'sonarqube', serverUrl: 'https://sonarqube.example.com', projectKey: 'billing', token: { parameter: '/devsecops/billing/sonarqube-token' } },
      { tool: 'phpstan', level: 6, paths: ['backend/src'] },
      {
        tool: 'sarif',
        category: 'semgrep',
        install: ['python3 -m pip install --quiet semgrep==1.120.0'],
        command: 'semgrep scan --config p/php --sarif --output semgrep.sarif',
        reportFile: 'semgrep.sarif',
        runtimes: { python: '3.12' },
        failOn: 'CRITICAL',
      },
    ],
    staging: { applicationName: 'billing', environmentName: 'billing-staging', url: 'https://billing-staging.example.com' },
    dast: { mode: 'in-build', scan: 'baseline' },
    approval: { emails: ['billing-release@example.com'], timeoutMinutes: 2880 },
    production: { applicationName: 'billing', environmentName: 'billing-production' },
    gate: { failOn: 'MEDIUM' },
  };
}

/** One installation, two applications: `portal` (the example's) and `billing` (three SAST tools). */
export function multiApplicationConfig(): PipelineConfig {
  return parseConfig({ ...exampleInstallation(), applications: [portalApplication(), billingApplication()] });
}

/** The same installation with `billing` in a workload account of its own. */
export function workloadAccountConfig(): PipelineConfig {
  return parseConfig({
    ...exampleInstallation(),
    toolingAccount: '111122223333',
    applications: [portalApplication(), { ...billingApplication(), account: '444455556666' }],
  });
}

export interface Synthesized {
  app: App;
  stacks: DevSecOpsStacks;
  /** Every stack of the app by construct id (stacks in a Stage by path: `Workload-<account>/SecurityHubImportRole`). */
  templates: Record<string, Template>;
  template(id: string): Template;
  /** Raw template JSON of every stack, for checks that walk everything. */
  json(): Record<string, Record<string, unknown>>;
}

export interface SynthOptions {
  env?: Environment;
  functions?: readonly FunctionName[];
  shared?: boolean;
}

export function synthesize(config: PipelineConfig, options: SynthOptions = {}): Synthesized {
  const app = new App({ context: cdkJsonContext(), analyticsReporting: false });
  const stacks = addDevSecOpsStacks(app, { config, distRoot: FIXTURE_DIST, ...options });
  const all = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  const templates = Object.fromEntries(all.map((s) => [s.node.path, Template.fromStack(s)]));
  return {
    app,
    stacks,
    templates,
    template(id: string) {
      const t = templates[id];
      if (!t) throw new Error(`no stack ${id}; have ${Object.keys(templates).join(', ')}`);
      return t;
    },
    json() {
      return Object.fromEntries(Object.entries(templates).map(([id, t]) => [id, t.toJSON()]));
    },
  };
}

/** Every IAM policy statement of a template: inline role policies, AWS::IAM::Policy and managed policies. */
export function policyStatements(template: Record<string, unknown>): { resource: string; statement: Record<string, unknown> }[] {
  const out: { resource: string; statement: Record<string, unknown> }[] = [];
  const resources = (template.Resources ?? {}) as Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  for (const [id, r] of Object.entries(resources)) {
    const documents: unknown[] = [];
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') documents.push(r.Properties?.PolicyDocument);
    if (r.Type === 'AWS::IAM::Role') for (const p of (r.Properties?.Policies ?? []) as { PolicyDocument: unknown }[]) documents.push(p.PolicyDocument);
    for (const doc of documents) {
      for (const statement of ((doc as { Statement?: unknown[] })?.Statement ?? []) as Record<string, unknown>[]) out.push({ resource: id, statement });
    }
  }
  return out;
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
