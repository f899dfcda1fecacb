import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as YAML from 'yaml';
import { STAGE_ORDER } from '../names';
import { alternativeConfig, asArray, exampleConfig, policyStatements, privateNetworkConfig, synthesize, type Synthesized } from '../testing/synth';

const CONNECTION_ARN = 'arn:aws:codeconnections:us-east-1:111122223333:connection/0a1b2c3d-1111-2222-3333-444455556666';

/** Synthesised once per configuration for the whole file (synthesis is the slow part). */
let example: Synthesized;
let alternative: Synthesized;
let pipeline: Template;
let altPipeline: Template;

beforeAll(() => {
  example = synthesize(exampleConfig());
  alternative = synthesize(alternativeConfig());
  pipeline = example.template('Pipeline');
  altPipeline = alternative.template('Pipeline');
});

type Resource = { Type: string; Properties: Record<string, unknown> };

function only(template: Template, type: string): Resource {
  const found = Object.values(template.findResources(type)) as Resource[];
  expect(found).toHaveLength(1);
  return found[0]!;
}

function stages(template: Template) {
  return only(template, 'AWS::CodePipeline::Pipeline').Properties.Stages as {
    Name: string;
    Actions: { Name: string; RunOrder: number; ActionTypeId: Record<string, string>; Configuration: Record<string, unknown>; RoleArn: unknown }[];
  }[];
}

function projects(template: Template): Record<string, Resource> {
  return template.findResources('AWS::CodeBuild::Project') as Record<string, Resource>;
}

function projectNamed(template: Template, name: string): [string, Resource] {
  const entry = Object.entries(projects(template)).find(([, p]) => p.Properties.Name === name);
  if (!entry) throw new Error(`no project ${name}`);
  return entry;
}

function environmentVariables(project: Resource): Record<string, { Type: string; Value: unknown }> {
  const env = (project.Properties.Environment as { EnvironmentVariables: { Name: string; Type: string; Value: unknown }[] }).EnvironmentVariables;
  return Object.fromEntries(env.map((v) => [v.Name, { Type: v.Type, Value: v.Value }]));
}

/** The statements of the policies attached to one role (by the role's logical id). */
function statementsOfRole(template: Template, roleId: string): Record<string, unknown>[] {
  return Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>)
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement);
}

function roleOf(project: Resource): string {
  return (project.Properties.ServiceRole as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
}

function parameterOf(template: Template, ref: unknown): string {
  const name = (ref as { Ref: string }).Ref;
  return (template.toJSON().Parameters as Record<string, { Default: string }>)[name]!.Default;
}

describe('pipeline stages', () => {
  it('run Source → Scan → Deploy-Staging → DAST → Approval → Deploy-Production', () => {
    expect(stages(pipeline).map((s) => s.Name)).toEqual([...STAGE_ORDER]);
    expect(stages(altPipeline).map((s) => s.Name)).toEqual([...STAGE_ORDER]);
  });

  it('is a V2 pipeline with a predictable name and an encrypted artifact bucket of its own', () => {
    const resource = only(pipeline, 'AWS::CodePipeline::Pipeline');
    expect(resource.Properties).toMatchObject({ Name: 'devsecops-pipeline', PipelineType: 'V2', ArtifactStore: { Type: 'S3', Location: { Ref: expect.stringMatching(/^ArtifactsBucket/) } } });
  });

  it('runs SCA and SAST in parallel CodeBuild actions, each on its own project', () => {
    const scan = stages(pipeline)[1]!;

    expect(scan.Actions.map((a) => [a.Name, a.ActionTypeId.Provider, a.RunOrder])).toEqual([
      ['SCA-DependencyCheck', 'CodeBuild', 1],
      ['SAST', 'CodeBuild', 1],
    ]);
    expect(new Set(scan.Actions.map((a) => JSON.stringify(a.Configuration.ProjectName))).size).toBe(2);
  });

  it('hands the source commit to every scan action', () => {
    for (const stage of stages(pipeline).filter((s) => ['Scan', 'DAST'].includes(s.Name))) {
      for (const action of stage.Actions) {
        expect(JSON.parse(action.Configuration.EnvironmentVariables as string)).toEqual([{ name: 'SCAN_COMMIT', type: 'PLAINTEXT', value: '#{SourceVariables.CommitId}' }]);
      }
    }
  });

  it('deploys staging and production to the configured Elastic Beanstalk application and environments', () => {
    const [, , staging, , , production] = stages(pipeline);

    expect(staging!.Actions[0]).toMatchObject({ ActionTypeId: { Category: 'Deploy', Provider: 'ElasticBeanstalk' }, Configuration: { ApplicationName: 'sample-php-app', EnvironmentName: 'sample-php-app-staging' } });
    expect(production!.Actions[0]).toMatchObject({ ActionTypeId: { Category: 'Deploy', Provider: 'ElasticBeanstalk' }, Configuration: { ApplicationName: 'sample-php-app', EnvironmentName: 'sample-php-app-production' } });
  });

  it('asks for approval through the Foundation approval topic (which triggers the notifier), with a timeout', () => {
    const approval = stages(pipeline)[4]!.Actions[0]!;

    expect(approval).toMatchObject({ Name: 'ManualApproval', ActionTypeId: { Category: 'Approval', Provider: 'Manual' }, TimeoutInMinutes: 10080, Configuration: { ExternalEntityLink: 'https://staging.example.com' } });
    expect(parameterOf(pipeline, approval.Configuration.NotificationArn)).toBe('/devsecops/foundation/approval-topic-arn');
    expect(stages(altPipeline)[4]!.Actions[0]).toMatchObject({ TimeoutInMinutes: 2880 });
  });
});

describe('scanner-token watch', () => {
  it("sends changes to this application's token parameters, by name or ARN, to the shared alerter, which this rule alone may invoke", () => {
    const rules = Object.values(pipeline.findResources('AWS::Events::Rule') as Record<string, Resource>).filter((r) => JSON.stringify(r.Properties.EventPattern).includes('aws.ssm'));
    expect(rules).toHaveLength(1);
    const pattern = rules[0]!.Properties.EventPattern as { source: string[]; detail: { $or: { eventName: string[]; requestParameters: Record<string, unknown[]> }[] } };

    expect(pattern.source).toEqual(['aws.ssm']);
    expect(pattern.detail.$or.map((a) => Object.keys(a.requestParameters))).toEqual([['name'], ['names']]);
    expect(pattern.detail.$or[0]!.requestParameters.name).toEqual(expect.arrayContaining(['/devsecops/nvd/api-key', '/devsecops/sonarqube/token']));
    expect(pattern.detail.$or[1]!.eventName).toEqual(['DeleteParameters']);
    const target = (rules[0]!.Properties.Targets as { Arn: unknown }[])[0]!;
    expect(parameterOf(pipeline, target.Arn)).toBe('/devsecops/functions/cloudtrail-alerter/arn');
    const permission = only(pipeline, 'AWS::Lambda::Permission');
    expect(permission.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' } });
    expect(permission.Properties.SourceArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ScannerSecretsRule/), 'Arn'] });
  });
});

describe('source', () => {
  it('CodeCommit: creates the configured repository and triggers on the configured branch through EventBridge', () => {
    pipeline.hasResourceProperties('AWS::CodeCommit::Repository', { RepositoryName: 'sample-php-app' });
    // Deleting the stack must not delete the code and its history.
    pipeline.hasResource('AWS::CodeCommit::Repository', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(stages(pipeline)[0]!.Actions[0]).toMatchObject({ ActionTypeId: { Provider: 'CodeCommit' }, Configuration: { BranchName: 'main', PollForSourceChanges: false }, Namespace: 'SourceVariables' });
    pipeline.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.codecommit'], 'detail-type': ['CodeCommit Repository State Change'], detail: { referenceName: ['main'] } },
    });
  });

  it('CodeStar connection: uses the configured connection, repository and branch', () => {
    altPipeline.resourceCountIs('AWS::CodeCommit::Repository', 0);
    expect(stages(altPipeline)[0]!.Actions[0]).toMatchObject({
      ActionTypeId: { Owner: 'AWS', Provider: 'CodeStarSourceConnection' },
      Configuration: {
        ConnectionArn: CONNECTION_ARN,
        FullRepositoryId: 'acme/shop',
        BranchName: 'release/2026',
      },
    });
  });
});

describe('scan projects', () => {
  it('each has its own role, a KMS key, a KMS-encrypted log group and no privileged mode except in-build DAST', () => {
    const all = Object.values(projects(pipeline));
    expect(all.map((p) => p.Properties.Name).sort()).toEqual(['devsecops-dast', 'devsecops-sast', 'devsecops-sca']);
    expect(new Set(all.map((p) => JSON.stringify(p.Properties.ServiceRole))).size).toBe(3);
    for (const project of all) {
      expect(project.Properties.EncryptionKey).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ArtifactsKey/), 'Arn'] });
      expect(project.Properties.LogsConfig).toMatchObject({ CloudWatchLogs: { Status: 'ENABLED', GroupName: { Ref: expect.stringMatching(/LogGroup/) } } });
      const privileged = (project.Properties.Environment as { PrivilegedMode: boolean }).PrivilegedMode;
      expect([project.Properties.Name, privileged]).toEqual([project.Properties.Name, project.Properties.Name === 'devsecops-dast']);
    }
    for (const project of Object.values(projects(altPipeline))) expect((project.Properties.Environment as { PrivilegedMode: boolean }).PrivilegedMode).toBe(false);
    pipeline.allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: { Ref: Match.stringLikeRegexp('logskeyarn') }, RetentionInDays: 90 });
  });

  it('Dependency-Check reads the NVD key from Parameter Store and keeps its data in an S3 cache', () => {
    const [, sca] = projectNamed(pipeline, 'devsecops-sca');
    const env = environmentVariables(sca);

    expect(env.NVD_API_KEY).toEqual({ Type: 'PARAMETER_STORE', Value: '/devsecops/nvd/api-key' });
    expect(sca.Properties.Cache).toEqual({ Type: 'S3', Location: { 'Fn::Join': ['/', [{ Ref: expect.stringMatching(/^ArtifactsBucket/) }, 'build-cache/sca']] } });
    const spec = YAML.parse((sca.Properties.Source as { BuildSpec: string }).BuildSpec) as { cache: { paths: string[] } };
    expect(spec.cache.paths).toEqual(['/root/.devsecops-cache/dependency-check/**/*']);
  });

  it('reads scanner tokens only as Parameter Store / Secrets Manager references', () => {
    const [, sast] = projectNamed(pipeline, 'devsecops-sast');
    expect(environmentVariables(sast).SONAR_TOKEN).toEqual({ Type: 'PARAMETER_STORE', Value: '/devsecops/sonarqube/token' });
    const [, altSca] = projectNamed(altPipeline, 'shop-sca');
    expect(environmentVariables(altSca).NVD_API_KEY).toEqual({ Type: 'SECRETS_MANAGER', Value: 'shop/nvd:apiKey' });

    for (const synthesized of [example, alternative]) {
      for (const [id, template] of Object.entries(synthesized.json())) {
        // Every CloudFormation parameter is an SSM-resolved value (shared names, CDK's bootstrap version): no secret is ever a parameter value.
        for (const [name, parameter] of Object.entries((template.Parameters ?? {}) as Record<string, { Type: string }>)) {
          expect([id, name, parameter.Type]).toEqual([id, name, 'AWS::SSM::Parameter::Value<String>']);
          expect(parameter).not.toHaveProperty('NoEcho');
        }
      }
    }
  });

  it('passes the scan identity and its parser, found through the function stack SSM parameter', () => {
    for (const [name, tool, parser] of [
      ['devsecops-sca', 'dependency-check', 'sca-parser'],
      ['devsecops-sast', 'sonarqube', 'sast-parser'],
      ['devsecops-dast', 'zap', 'dast-parser'],
    ] as const) {
      const env = environmentVariables(projectNamed(pipeline, name)[1]);
      expect(env).toMatchObject({
        SCAN_TOOL: { Type: 'PLAINTEXT', Value: tool },
        SCAN_REPOSITORY: { Type: 'PLAINTEXT', Value: 'sample-php-app' },
        SCAN_BRANCH: { Type: 'PLAINTEXT', Value: 'main' },
        GATE_FAIL_ON: { Type: 'PLAINTEXT', Value: 'HIGH' },
        INVOKE_READ_TIMEOUT: { Type: 'PLAINTEXT', Value: '960' },
      });
      expect(parameterOf(pipeline, env.PARSER_FUNCTION!.Value)).toBe(`/devsecops/functions/${parser}/arn`);
      expect(parameterOf(pipeline, env.REPORTS_BUCKET!.Value)).toBe('/devsecops/foundation/reports-bucket-name');
      expect(parameterOf(pipeline, env.REPORTS_KMS_KEY_ARN!.Value)).toBe('/devsecops/foundation/data-key-arn');
    }
    expect(environmentVariables(projectNamed(pipeline, 'devsecops-dast')[1]).SCAN_TARGET).toEqual({ Type: 'PLAINTEXT', Value: 'https://staging.example.com' });
  });

  it('each scan role may upload only its own tool prefix and invoke only its own parser', () => {
    for (const [name, tool, parser] of [
      ['devsecops-sca', 'dependency-check', 'sca'],
      ['devsecops-sast', 'sonarqube', 'sast'],
      ['devsecops-dast', 'zap', 'dast'],
    ] as const) {
      const own = statementsOfRole(pipeline, roleOf(projectNamed(pipeline, name)[1]));
      expect(own.find((s) => s.Sid === 'UploadReports')).toMatchObject({
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ Ref: expect.stringMatching(/reportsbucketarn/) }, `/reports/${tool}/*`]] },
      });
      const invoke = own.find((s) => s.Sid === 'InvokeParser')!;
      expect(invoke.Action).toBe('lambda:InvokeFunction');
      expect(parameterOf(pipeline, invoke.Resource)).toBe(`/devsecops/functions/${parser}-parser/arn`);
    }
  });

  it("each scan project's findings go to its own managed test report group, read back from its own outputs prefix", () => {
    const groups = Object.values(pipeline.findResources('AWS::CodeBuild::ReportGroup')) as Resource[];
    for (const [name, tool] of [
      ['devsecops-sca', 'dependency-check'],
      ['devsecops-sast', 'sonarqube'],
      ['devsecops-dast', 'zap'],
    ] as const) {
      const [id, project] = projectNamed(pipeline, name);
      // The buildspec names the group `findings`: CodeBuild uses `<project>-findings`, the group created here.
      expect(groups.map((g) => g.Properties.Name)).toContain(`${name}-findings`);
      expect(JSON.stringify(project.Properties.Source)).toContain('findings.junit.xml');
      expect((pipeline.toJSON().Resources[id] as { DependsOn?: string[] }).DependsOn?.some((d) => /FindingsReportGroup/.test(d))).toBe(true);
      const own = statementsOfRole(pipeline, roleOf(project));
      expect(own.find((s) => s.Sid === 'ReadScanOutputs')).toMatchObject({
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ Ref: expect.stringMatching(/reportsbucketarn/) }, `/outputs/${tool}/*`]] },
      });
    }
    for (const group of groups) expect(group).toMatchObject({ Type: 'AWS::CodeBuild::ReportGroup', Properties: { Type: 'TEST', DeleteReports: true, ExportConfig: { ExportConfigType: 'NO_EXPORT' } }, DeletionPolicy: 'Delete' });
  });

  it('in zap-server mode the DAST build gets findings-cli from an asset and may read only the ZAP key parameter', () => {
    const [, dast] = projectNamed(altPipeline, 'shop-dast');
    const env = environmentVariables(dast);
    expect(env.FINDINGS_CLI_BUCKET!.Value).toEqual({ 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' });
    expect(env.FINDINGS_CLI_KEY!.Value).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(env.ZAP_API_KEY_PARAMETER).toEqual({ Type: 'PLAINTEXT', Value: '/shop/zap/api-key' });
    const own = statementsOfRole(altPipeline, roleOf(dast));
    expect(own.find((s) => s.Sid === 'ReadZapApiKey')).toEqual({
      Sid: 'ReadZapApiKey',
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':parameter/shop/zap/api-key']] },
    });
    expect(own.find((s) => s.Sid === 'ReadFindingsCli')).toEqual({
      Sid: 'ReadFindingsCli',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, `/${env.FINDINGS_CLI_KEY!.Value as string}`]] },
    });
    // The in-build alternative reads no ZAP key at all.
    expect(statementsOfRole(pipeline, roleOf(projectNamed(pipeline, 'devsecops-dast')[1])).map((s) => s.Sid)).not.toContain('ReadZapApiKey');
  });

  it('generates the buildspec from configuration (PHPStan in the alternative configuration)', () => {
    const spec = YAML.parse((projectNamed(altPipeline, 'shop-sast')[1].Properties.Source as { BuildSpec: string }).BuildSpec) as {
      phases: { install: { 'runtime-versions': Record<string, string> }; build: { commands: string[] } };
    };
    expect(spec.phases.install['runtime-versions']).toEqual({ php: '8.3' });
    expect(spec.phases.build.commands).toEqual(['bash /tmp/devsecops/run-phpstan.sh', "bash /tmp/devsecops/publish-and-gate.sh 'phpstan-report.json'"]);
  });
});

describe('scan projects: SonarQube export, OSS Index and private networks', () => {
  let privateNetwork: Template;
  beforeAll(() => {
    privateNetwork = synthesize(privateNetworkConfig()).template('Pipeline');
  });

  it('the SonarQube build downloads the findings CLI asset (one asset shared with the DAST build) and may read only it', () => {
    const [, sast] = projectNamed(pipeline, 'devsecops-sast');
    const env = environmentVariables(sast);
    expect(env.FINDINGS_CLI_KEY!.Value).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(statementsOfRole(pipeline, roleOf(sast)).find((s) => s.Sid === 'ReadFindingsCli')).toMatchObject({ Action: 's3:GetObject' });
    // Dependency-Check and in-build ZAP need no CLI.
    for (const name of ['devsecops-sca', 'devsecops-dast']) expect(environmentVariables(projectNamed(pipeline, name)[1])).not.toHaveProperty('FINDINGS_CLI_KEY');
  });

  it('OSS Index credentials reach Dependency-Check as Parameter Store / Secrets Manager variables, which CodeBuild may read', () => {
    const [, sca] = projectNamed(privateNetwork, 'devsecops-sca');
    const env = environmentVariables(sca);
    expect(env.OSS_INDEX_USERNAME).toEqual({ Type: 'PARAMETER_STORE', Value: '/devsecops/ossindex/username' });
    expect(env.OSS_INDEX_TOKEN).toEqual({ Type: 'SECRETS_MANAGER', Value: 'devsecops/ossindex:token' });
    const statements = JSON.stringify(statementsOfRole(privateNetwork, roleOf(sca)));
    expect(statements).toContain('parameter/devsecops/ossindex/username');
    expect(statements).toContain('secret:devsecops/ossindex');
  });

  it('places every scan project in the configured subnets and security groups, with the ENI permission limited to those subnets', () => {
    for (const name of ['devsecops-sca', 'devsecops-sast', 'devsecops-dast']) {
      const [, project] = projectNamed(privateNetwork, name);
      expect(project.Properties.VpcConfig).toEqual({
        VpcId: 'vpc-0a1b2c3d4e5f67890',
        Subnets: ['subnet-0a1b2c3d4e5f67890', 'subnet-1a1b2c3d4e5f67890'],
        SecurityGroupIds: ['sg-0a1b2c3d4e5f67890'],
      });
      const eni = statementsOfRole(privateNetwork, roleOf(project)).find((s) => s.Action === 'ec2:CreateNetworkInterfacePermission')!;
      expect(eni.Condition).toMatchObject({ StringEquals: { 'ec2:AuthorizedService': 'codebuild.amazonaws.com' } });
      expect(JSON.stringify(eni.Condition)).toContain(':subnet/subnet-1a1b2c3d4e5f67890');
    }
    for (const project of Object.values(projects(pipeline))) expect(project.Properties).not.toHaveProperty('VpcConfig');
  });

  it('with failOnQualityGate the SonarQube build checks the gate after publishing', () => {
    const spec = YAML.parse((projectNamed(privateNetwork, 'devsecops-sast')[1].Properties.Source as { BuildSpec: string }).BuildSpec) as { phases: { build: { commands: string[] } } };
    expect(spec.phases.build.commands.slice(-2)).toEqual(["bash /tmp/devsecops/publish-and-gate.sh 'sonarqube-report.json'", 'bash /tmp/devsecops/check-quality-gate.sh']);
  });
});

describe('Elastic Beanstalk deploy permissions', () => {
  it('are scoped to the application instead of AdministratorAccess-AWSElasticBeanstalk', () => {
    const json = JSON.stringify(pipeline.toJSON());
    expect(json).not.toContain('AdministratorAccess-AWSElasticBeanstalk');
    pipeline.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DeployApplicationVersion',
            Action: ['elasticbeanstalk:CreateApplicationVersion', 'elasticbeanstalk:UpdateEnvironment'],
            Resource: Match.arrayWith([
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticbeanstalk:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':environment/sample-php-app/sample-php-app-production']] },
            ]),
          }),
        ]),
      },
    });
  });
});

describe('pipeline state notifications', () => {
  it('match only this pipeline and go to the Foundation notifications topic', () => {
    const rule = Object.values(pipeline.findResources('AWS::Events::Rule')).find((r) => JSON.stringify(r).includes('CodePipeline Pipeline Execution State Change')) as Resource;

    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.codepipeline'],
      'detail-type': ['CodePipeline Pipeline Execution State Change', 'CodePipeline Stage Execution State Change'],
      resources: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':codepipeline:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':', { Ref: expect.stringMatching(/^Pipeline/) }]] }],
      detail: { state: ['FAILED', 'SUCCEEDED', 'CANCELED', 'STOPPED', 'SUPERSEDED'] },
    });
    const targets = rule.Properties.Targets as { Arn: unknown }[];
    expect(targets).toHaveLength(1);
    expect(parameterOf(pipeline, targets[0]!.Arn)).toBe('/devsecops/foundation/notifications-topic-arn');
  });
});

describe('artifact bucket', () => {
  it('is KMS-encrypted, versioned, private, TLS-only and logs access to the Foundation log bucket', () => {
    const bucket = Object.values(pipeline.findResources('AWS::S3::Bucket'))[0] as Resource;
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/accesslogsbucketname/) }, LogFilePrefix: 'artifacts-bucket/' },
    });
    pipeline.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    pipeline.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('the approval action may use the notifications key to publish to the encrypted topic', () => {
    const statements = policyStatements(pipeline.toJSON()).filter((s) => s.resource.startsWith('ApprovalActionRole'));
    expect(statements.map((s) => s.statement)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Sid: 'EncryptApprovalRequest', Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }),
        expect.objectContaining({ Action: 'sns:Publish' }),
      ]),
    );
  });
});

describe('IAM in every stack', () => {
  it('has no "*" action and no service-wide "service:*" action, and nothing allows every action on every resource', () => {
    for (const synthesized of [example, alternative]) {
      for (const [id, template] of Object.entries(synthesized.json())) {
        for (const { resource, statement } of policyStatements(template)) {
          for (const action of asArray(statement.Action as string | string[])) {
            expect({ stack: id, resource, action }).not.toEqual({ stack: id, resource, action: expect.stringMatching(/^(\*|[\w-]+:\*)$/) });
          }
          expect(statement).not.toHaveProperty('NotAction');
        }
      }
    }
  });

  it('uses no AWS managed policy other than the Config recorder role', () => {
    for (const synthesized of [example, alternative]) {
      const managed = Object.entries(synthesized.json()).flatMap(([, t]) =>
        Object.values((t.Resources ?? {}) as Record<string, Resource>)
          .filter((r) => r.Type === 'AWS::IAM::Role')
          .flatMap((r) => asArray(r.Properties.ManagedPolicyArns as unknown[]).map((p) => JSON.stringify(p))),
      );
      expect(managed.every((p) => p.includes('AWS_ConfigRole'))).toBe(true);
    }
  });

  it('hard-codes no partition, account or Region in any ARN', () => {
    for (const synthesized of [example, alternative]) {
      for (const [id, template] of Object.entries(synthesized.json())) {
        // The configured connection ARN is a user input and may name its Region.
        const text = JSON.stringify(template.Resources).replaceAll(CONNECTION_ARN, '<connection>');
        const literals = [...text.matchAll(/"arn:aws[\w-]*:[^"]*"/g)].map((m) => m[0]);
        expect({ id, literals }).toEqual({ id, literals: [] });
        expect(text).not.toMatch(/\b(us|eu|ap|sa|ca|me|af|cn)-(east|west|north|south|central|northeast|southeast|gov-west|gov-east|northwest)-\d\b/);
      }
    }
  });
});
