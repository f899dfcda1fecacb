import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { ConfigError, parseConfig } from './config';
import { nagPacks } from './nag';
import {
  INFRA_ROOT,
  billingApplication,
  exampleConfig,
  exampleInstallation,
  multiApplicationConfig,
  policyStatements,
  portalApplication,
  synthesize,
  workloadAccountConfig,
  type Synthesized,
} from './testing/synth';

/**
 * One installation, many applications: the account-wide stacks are made once, each application adds its own
 * pipeline stack and changes no other, and the single-application layout is read as a list of one.
 */

type Resource = { Type: string; Properties: Record<string, unknown> };

function problemsOf(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function exampleRaw(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(INFRA_ROOT, 'config', 'example.json'), 'utf8')) as Record<string, unknown>;
}

const ASSET_HASH = /\b[0-9a-f]{64}\b/g;
function normalised(template: Template): unknown {
  return JSON.parse(JSON.stringify(template.toJSON()).replace(ASSET_HASH, '<asset-hash>'));
}

function projectsByName(template: Template): Record<string, Resource> {
  return Object.fromEntries((Object.values(template.findResources('AWS::CodeBuild::Project')) as Resource[]).map((p) => [p.Properties.Name as string, p]));
}

function variablesOf(project: Resource): Record<string, unknown> {
  const env = (project.Properties.Environment as { EnvironmentVariables: { Name: string; Value: unknown }[] }).EnvironmentVariables;
  return Object.fromEntries(env.map((v) => [v.Name, v.Value]));
}

function scanStage(template: Template) {
  const pipeline = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0] as Resource;
  return (pipeline.Properties.Stages as { Name: string; Actions: { Name: string; RunOrder: number; Configuration: Record<string, unknown> }[] }[]).find((s) => s.Name === 'Scan')!;
}

describe('configuration: applications', () => {
  it('reads the single-application layout as one application named like the installation', () => {
    const config = exampleConfig();

    expect(config.applications.map((a) => a.name)).toEqual(['devsecops']);
    expect(config.approval.emails).toEqual(['approvers@example.com']);
    expect(config.applications[0]!.approval).toEqual({ emails: [], timeoutMinutes: 10080 });
  });

  it('takes several SAST tools with their categories, and lets the gate default every scan threshold it does not set', () => {
    const billing = multiApplicationConfig().applications[1]!;

    expect(billing.sast.map((s) => [s.tool, s.category, s.failOn])).toEqual([
      ['sonarqube', undefined, 'MEDIUM'],
      ['phpstan', undefined, 'MEDIUM'],
      ['sarif', 'semgrep', 'CRITICAL'],
    ]);
    expect(billing.sca).toMatchObject({ category: 'backend', failOn: 'MEDIUM' });
    expect(billing.dast.failOn).toBe('MEDIUM');
    expect(billing.gate).toEqual({ failOn: 'MEDIUM' });
  });

  it('refuses a mix of both layouts, naming each misplaced key', () => {
    expect(problemsOf({ ...exampleRaw(), applications: [portalApplication()] })).toEqual(
      ['source', 'sca', 'sast', 'staging', 'dast', 'production'].map((k) => `${k}: belongs inside an application when the configuration has "applications"`),
    );
  });

  it('refuses two applications of one name, and names that derive the same project', () => {
    const twice = problemsOf({ ...exampleInstallation(), applications: [portalApplication(), portalApplication()] });
    expect(twice).toContainEqual('applications.1.name: "portal" is already the name of application 0');

    // The installation's own application keeps the short project names: its SAST scan "sca" is devsecops-sast-sca,
    // which is also the SCA project of an application named "sast".
    const own = { ...portalApplication(), name: 'devsecops', sast: [{ tool: 'phpstan' }, { tool: 'sarif', category: 'sca', command: 'x', reportFile: 'x.sarif' }] };
    const sast = { ...portalApplication(), name: 'sast' };
    expect(problemsOf({ ...exampleInstallation(), applications: [own, sast] })).toEqual(['applications.1.name: derives the project devsecops-sast-sca, which application devsecops uses already']);
    expect(() => parseConfig({ ...exampleInstallation(), applications: [own, { ...sast, name: 'billing' }] })).not.toThrow();
  });

  it('asks for a category when one tool scans twice, so the two scans never archive each other', () => {
    const app = { ...portalApplication(), sast: [{ tool: 'sarif', command: 'semgrep', reportFile: 'a.sarif' }, { tool: 'sarif', command: 'trivy', reportFile: 'b.sarif' }] };

    expect(problemsOf({ ...exampleInstallation(), applications: [app] })).toEqual([
      'applications.0.sast.1.category: SAST scans 0 and 1 are both "sarif": give each scan of the same tool its own category',
    ]);
    app.sast[1] = { ...app.sast[1]!, category: 'trivy' } as never;
    expect(parseConfig({ ...exampleInstallation(), applications: [app] }).applications[0]!.sast.map((s) => s.category)).toEqual([undefined, 'trivy']);
  });

  it('reports problems of an application with their path, including a single SAST object and a bad category', () => {
    const app = { ...portalApplication(), sast: { tool: 'phpstan', level: 11, category: 'has space' } };

    expect(problemsOf({ ...exampleInstallation(), applications: [app] })).toEqual([
      expect.stringMatching(/^applications\.0\.sast\.category: a category/),
      expect.stringMatching(/^applications\.0\.sast\.level: /),
    ]);
  });

  it('needs the tooling account when an application names a workload account, and an import role in that account', () => {
    const workload = { ...billingApplication(), account: '444455556666' };
    expect(problemsOf({ ...exampleInstallation(), applications: [workload] })).toEqual([expect.stringMatching(/^toolingAccount: is required when an application names an account/)]);

    const wrongRole = { ...workload, importRoleArn: 'arn:aws:iam::777788889999:role/importer' };
    expect(problemsOf({ ...exampleInstallation(), toolingAccount: '111122223333', applications: [wrongRole] })).toEqual([
      "applications.0.importRoleArn: is in account 777788889999, not the application's account 444455556666",
    ]);
  });
});

describe('synthesis: one installation, many pipelines', () => {
  let legacy: Synthesized;
  let one: Synthesized;
  let two: Synthesized;

  beforeAll(() => {
    legacy = synthesize(exampleConfig());
    one = synthesize(parseConfig({ ...exampleInstallation(), applications: [portalApplication()] }));
    two = synthesize(multiApplicationConfig());
  });

  it('synthesises the single-application layout and the same installation as a list of one into identical templates', () => {
    const asList = synthesize(parseConfig({ ...exampleInstallation(), applications: [{ ...portalApplication(), name: 'devsecops', approval: { timeoutMinutes: 10080 } }] }));

    expect(Object.keys(asList.templates)).toEqual(Object.keys(legacy.templates));
    for (const id of Object.keys(legacy.templates)) expect([id, normalised(asList.template(id))]).toEqual([id, normalised(legacy.template(id))]);
  });

  it('gives two applications one shared part and two pipeline stacks', () => {
    expect(Object.keys(two.templates).sort()).toEqual(
      ['Audit', 'Foundation', 'Function-approval-notifier', 'Function-auto-remediator', 'Function-cloudtrail-alerter', 'Function-dast-parser', 'Function-sast-parser', 'Function-sca-parser', 'Pipeline-billing', 'Pipeline-portal'].sort(),
    );
    expect(two.stacks.pipelines.billing!.stackName).toBe('devsecops-pipeline-billing');
    expect(two.stacks.pipelines.portal!.stackName).toBe('devsecops-pipeline-portal');
  });

  it('changes only its own pipeline stack when an application is added: every other template is identical', () => {
    const before = Object.keys(one.templates);
    const added = Object.keys(two.templates).filter((id) => !before.includes(id));

    expect(added).toEqual(['Pipeline-billing']);
    for (const id of before) expect([id, normalised(two.template(id))]).toEqual([id, normalised(one.template(id))]);
  });

  it('runs SCA and the three SAST tools in parallel, each its own CodeBuild action and project', () => {
    const billing = two.template('Pipeline-billing');

    expect(scanStage(billing).Actions.map((a) => [a.Name, a.RunOrder])).toEqual([
      ['SCA-DependencyCheck', 1],
      ['SAST-sonarqube', 1],
      ['SAST-phpstan', 1],
      ['SAST-semgrep', 1],
    ]);
    expect(Object.keys(projectsByName(billing)).sort()).toEqual(['devsecops-billing-dast', 'devsecops-billing-sast-phpstan', 'devsecops-billing-sast-semgrep', 'devsecops-billing-sast-sonarqube', 'devsecops-billing-sca']);
    expect(Object.keys(projectsByName(two.template('Pipeline-portal'))).sort()).toEqual(['devsecops-portal-dast', 'devsecops-portal-sast', 'devsecops-portal-sca']);
  });

  it("builds each scan with its application's repository and branch, its category and its gate", () => {
    const projects = projectsByName(two.template('Pipeline-billing'));

    expect(variablesOf(projects['devsecops-billing-sca']!)).toMatchObject({ SCAN_REPOSITORY: 'hospital/billing', SCAN_BRANCH: 'main', SCAN_CATEGORY: 'backend', GATE_FAIL_ON: 'MEDIUM' });
    expect(variablesOf(projects['devsecops-billing-sast-semgrep']!)).toMatchObject({ SCAN_TOOL: 'sarif', SCAN_CATEGORY: 'semgrep', GATE_FAIL_ON: 'CRITICAL' });
    expect(variablesOf(projects['devsecops-billing-sast-phpstan']!)).not.toHaveProperty('SCAN_CATEGORY');
    expect(variablesOf(projects['devsecops-billing-sast-sonarqube']!)).toMatchObject({ SONAR_TOKEN: '/devsecops/billing/sonarqube-token' });
    expect(variablesOf(projectsByName(two.template('Pipeline-portal'))['devsecops-portal-sca']!)).toMatchObject({ SCAN_REPOSITORY: 'sample-php-app' });
  });

  it("mails an application's approvers only its own pipeline's approvals", () => {
    const subscriptions = Object.values(two.template('Pipeline-billing').findResources('AWS::SNS::Subscription')) as Resource[];

    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]!.Properties).toMatchObject({ Protocol: 'email', Endpoint: 'billing-release@example.com', FilterPolicy: { pipeline: ['devsecops-pipeline-billing'] } });
  });

  it("sends changes to an application's scanner tokens to the shared alerter from its own pipeline stack", () => {
    const billing = two.template('Pipeline-billing');
    const rule = (Object.values(billing.findResources('AWS::Events::Rule')) as Resource[]).find((r) => JSON.stringify(r.Properties.EventPattern).includes('aws.ssm'))!;

    expect(JSON.stringify(rule.Properties.EventPattern)).toContain('/devsecops/billing/sonarqube-token');
    billing.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' });
  });
});

describe('synthesis: an application in a workload account', () => {
  let synthesized: Synthesized;

  beforeAll(() => {
    synthesized = synthesize(workloadAccountConfig());
  });

  it('creates the import role in a Stage of its own, which cdk deploy --all leaves out', () => {
    expect(Object.keys(synthesized.templates)).toContain('Workload-444455556666/SecurityHubImportRole');
    expect(Object.keys(synthesized.stacks.workloads)).toEqual(['444455556666']);
  });

  it("trusts only this installation's roles of the tooling account and may only import, read and update findings of its own hub", () => {
    const template = synthesized.template('Workload-444455556666/SecurityHubImportRole');
    const role = Object.values(template.findResources('AWS::IAM::Role'))[0] as Resource;

    expect(role.Properties.RoleName).toBe('devsecops-securityhub-import');
    expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } },
          Condition: {
            StringEquals: { 'aws:PrincipalTag/Application': 'devsecops' },
            ArnLike: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:role/devsecops-*']] } },
          },
        },
      ],
    });
    const statements = policyStatements(template.toJSON()).map((s) => s.statement);
    expect(statements.map((s) => [s.Sid, [s.Action].flat().sort()])).toEqual([
      ['ImportFindings', ['securityhub:BatchImportFindings']],
      ['ReadAndUpdateFindings', ['securityhub:BatchUpdateFindings', 'securityhub:GetFindings']],
    ]);
    expect(JSON.stringify(statements[0]!.Resource)).toContain(':product/');
    expect(JSON.stringify(statements[1]!.Resource)).toContain(':hub/default');
    // A forgotten --profile fails before anything is created.
    const rules = Object.entries(template.toJSON().Rules as Record<string, { Assertions: unknown[] }>).filter(([id]) => id.startsWith('SecurityHubImportOnlyInWorkloadAccount'));
    expect(rules.map(([, rule]) => rule.Assertions)).toEqual([[{ Assert: { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, '444455556666'] }, AssertDescription: 'This stack belongs in account 444455556666.' }]]);
  });

  it("passes the import role to that application's parser invocations only", () => {
    const billing = projectsByName(synthesized.template('Pipeline-billing'));
    const portal = projectsByName(synthesized.template('Pipeline-portal'));

    for (const project of Object.values(billing)) {
      expect(variablesOf(project).IMPORT_ROLE_ARN).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::444455556666:role/devsecops-securityhub-import']] });
    }
    for (const project of Object.values(portal)) expect(variablesOf(project)).not.toHaveProperty('IMPORT_ROLE_ARN');
  });

  it('lets the parser functions assume the import roles of workload accounts, and nothing else does', () => {
    for (const fn of ['sca-parser', 'sast-parser', 'dast-parser']) {
      const statements = policyStatements(synthesized.template(`Function-${fn}`).toJSON()).map((s) => s.statement);
      expect(statements).toContainEqual({
        Sid: 'AssumeWorkloadImportRole',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/devsecops-securityhub-import']] },
      });
    }
    const others = Object.entries(synthesized.json()).filter(([id]) => !/^Function-(sca|sast|dast)-parser$/.test(id) && !id.startsWith('Workload-'));
    for (const [id, template] of others) {
      const assumesImportRole = policyStatements(template).filter((s) => JSON.stringify(s.statement).includes('securityhub-import'));
      expect([id, assumesImportRole]).toEqual([id, []]);
    }
  });

  it.each(['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5'])('leaves no unacknowledged %s finding in the workload stack', (packName) => {
    const stack = synthesized.stacks.workloads['444455556666']!.stack;
    const pack = nagPacks().find((p) => p.readPackName === packName)!;

    expect(pack.validateScope(stack).violations.map((v) => v.ruleName)).toEqual([]);
  });
});
