import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../config';
import { gateEnvironment } from '../function-wiring';
import { FUNCTION_NAMES, PARSER_FUNCTIONS, functionStackId } from '../functions';
import { PLAYBOOK_CONTROL_IDS } from '../lambda-contracts';
import { acknowledgementsUnder } from '../nag';
import { alternativeConfig, exampleConfig, synthesize, type Synthesized } from '../testing/synth';

let example: Synthesized;
let alternative: Synthesized;

beforeAll(() => {
  example = synthesize(exampleConfig());
  alternative = synthesize(alternativeConfig());
});

type Resource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, string> };

const fnTemplate = (s: Synthesized, fn: string): Template => s.template(functionStackId(fn as never));

function lambdaOf(template: Template): Resource {
  const found = Object.values(template.findResources('AWS::Lambda::Function') as Record<string, Resource>);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function parameterOf(template: Template, ref: unknown): string {
  const name = (ref as { Ref: string }).Ref;
  return (template.toJSON().Parameters as Record<string, { Default: string }>)[name]!.Default;
}

function roleStatements(template: Template): Record<string, unknown>[] {
  return Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>).flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
  );
}

const arnOf = (service: string, resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:`, { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]],
});

describe.each(FUNCTION_NAMES)('%s function stack', (fn) => {
  it('runs the Nx bundle on nodejs24.x arm64 with handler main.handler, without re-bundling', () => {
    const template = fnTemplate(example, fn);
    const lambda = lambdaOf(template);

    expect(lambda.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'main.handler',
      Code: { S3Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, S3Key: expect.stringMatching(/^[0-9a-f]{64}\.zip$/) },
    });
    const hash = String((lambda.Properties.Code as { S3Key: string }).S3Key).replace('.zip', '');
    const manifest = JSON.parse(readFileSync(join(example.app.outdir, `${functionStackId(fn)}.assets.json`), 'utf8')) as { files: Record<string, { source: { path: string } }> };
    const assetDir = join(example.app.outdir, manifest.files[hash]!.source.path);
    expect(readdirSync(assetDir).sort()).toEqual(['main.mjs']);
    expect(existsSync(join(assetDir, 'meta.json'))).toBe(false);
    template.resourceCountIs('AWS::Lambda::LayerVersion', 0);
  });

  it('keeps nodejs22.x selectable (lambda.runtime) and acknowledges AwsSolutions-L1 only then', () => {
    // Arrange
    const l1Paths = (s: Synthesized) =>
      acknowledgementsUnder(s.app)
        .filter((a) => a.id === 'AwsSolutions-L1' && a.path.startsWith(`${functionStackId(fn as never)}/`))
        .map((a) => a.path);

    // Act
    const chosen = lambdaOf(fnTemplate(alternative, fn));

    // Assert
    expect(chosen.Properties.Runtime).toBe('nodejs22.x');
    expect(l1Paths(alternative)).toHaveLength(1);
    expect(l1Paths(example)).toEqual([]);
  });

  it('logs JSON to its own KMS-encrypted log group with a retention period, traced with X-Ray', () => {
    const template = fnTemplate(example, fn);
    const lambda = lambdaOf(template);

    expect(lambda.Properties.LoggingConfig).toEqual({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN', LogGroup: { Ref: expect.stringMatching(/^LogGroup/) } });
    expect(lambda.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { Ref: Match.stringLikeRegexp('logskeyarn') }, RetentionInDays: 90 });
    expect((lambda.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({ NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: fn });
  });

  it('sends failed asynchronous events to an encrypted dead-letter queue it may write to', () => {
    const template = fnTemplate(example, fn);

    expect(lambdaOf(template).Properties.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^DeadLetterQueue/), 'Arn'] } });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: { Ref: Match.stringLikeRegexp('datakeyarn') }, MessageRetentionPeriod: 1209600 });
    expect(roleStatements(template)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: 'sqs:SendMessage' }),
        expect.objectContaining({ Sid: 'EncryptDeadLetters', Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }),
      ]),
    );
  });

  it('raises alarms on errors, throttles and dead letters to the notifications topic', () => {
    const template = fnTemplate(example, fn);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>);

    const parser = (PARSER_FUNCTIONS as readonly string[]).includes(fn);
    expect(alarms.map((a) => a.Properties.MetricName).sort()).toEqual(['ApproximateNumberOfMessagesVisible', 'Errors', ...(parser ? ['FindingsFailed'] : []), 'Throttles']);
    if (parser) {
      // The parsers' Embedded Metric Format: one alarm per function on failed > 0.
      expect(alarms.find((a) => a.Properties.MetricName === 'FindingsFailed')!.Properties).toMatchObject({
        Namespace: 'DevSecOps/Findings',
        Dimensions: [{ Name: 'service', Value: fn }],
        Statistic: 'Sum',
      });
    }
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 0, TreatMissingData: 'notBreaching' });
      expect((alarm.Properties.AlarmActions as unknown[]).map((a) => parameterOf(template, a))).toEqual(['/devsecops/foundation/notifications-topic-arn']);
    }
  });

  it('writes only to its own log group, and publishes its ARN for the pipeline stack', () => {
    const template = fnTemplate(example, fn);

    expect(roleStatements(template)).toContainEqual({
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^LogGroup/), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: `/devsecops/functions/${fn}/arn`, Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Function'), 'Arn'] } });
  });

  it('is deployable on its own: no CloudFormation export or import, only SSM-resolved shared values', () => {
    const single = synthesize(exampleConfig(), { functions: [fn], shared: false });

    expect(Object.keys(single.templates)).toEqual([functionStackId(fn)]);
    const text = JSON.stringify(single.template(functionStackId(fn)).toJSON());
    expect(text).not.toContain('Fn::ImportValue');
    expect(single.template(functionStackId(fn)).toJSON().Outputs ?? {}).toEqual({});
  });
});

describe('parser functions', () => {
  it.each(PARSER_FUNCTIONS)('%s gets the environment contract of libs/scan-ingest', (fn) => {
    const variables = (lambdaOf(fnTemplate(example, fn)).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    const template = fnTemplate(example, fn);

    expect(variables).toMatchObject({ AWS_ACCOUNT_ID: { Ref: 'AWS::AccountId' }, GATE_FAIL_ON: 'HIGH', DEFAULT_REPOSITORY: 'sample-php-app', DEFAULT_BRANCH: 'main' });
    expect(parameterOf(template, variables.REPORTS_BUCKET)).toBe('/devsecops/foundation/reports-bucket-name');
    expect(parameterOf(template, variables.REPORTS_KMS_KEY_ID)).toBe('/devsecops/foundation/data-key-arn');
    expect(variables).not.toHaveProperty('SOURCE_ROOTS');
    const alt = (lambdaOf(fnTemplate(alternative, fn)).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(alt).toMatchObject({ GATE_FAIL_ON: 'MEDIUM', DEFAULT_REPOSITORY: 'acme/shop', DEFAULT_BRANCH: 'release/2026', SOURCE_ROOTS: '/workspace' });
  });

  it.each(PARSER_FUNCTIONS)('%s may read reports, store inline reports, outputs and evidence, keep its ledger and import findings of its own account only', (fn) => {
    const statements = roleStatements(fnTemplate(example, fn)).filter((s) => typeof s.Sid === 'string' && !['WriteOwnLogs', 'EncryptDeadLetters'].includes(s.Sid));
    const bucketArn = { Ref: expect.stringMatching(/reportsbucketarn/) };

    expect(statements).toEqual([
      { Sid: 'ReadScanReports', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: { 'Fn::Join': ['', [bucketArn, '/reports/*']] } },
      { Sid: 'StoreInlineReports', Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [bucketArn, '/inline-reports/*']] } },
      { Sid: 'StoreScanOutputs', Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [bucketArn, '/outputs/*']] } },
      { Sid: 'StoreEvidence', Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [bucketArn, '/evidence/*']] } },
      { Sid: 'KeepFindingsLedger', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: { 'Fn::Join': ['', [bucketArn, '/state/*']] } },
      { Sid: 'UseReportsKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: { Ref: expect.stringMatching(/datakeyarn/) } },
      {
        Sid: 'ImportFindings',
        Effect: 'Allow',
        Action: 'securityhub:BatchImportFindings',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':securityhub:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':product/', { Ref: 'AWS::AccountId' }, '/default']] },
      },
      { Sid: 'ReadFindings', Effect: 'Allow', Action: 'securityhub:GetFindings', Resource: arnOf('securityhub', 'hub/default') },
      { Sid: 'RecordDecisions', Effect: 'Allow', Action: 'securityhub:BatchUpdateFindings', Resource: arnOf('securityhub', 'hub/default') },
    ]);
  });

  it('passes the gate configuration as GATE_* variables, leaving the defaults out', () => {
    const base = exampleConfig();
    const configured = parseConfig({
      ...JSON.parse(readFileSync(join(__dirname, '../../config/example.json'), 'utf8')),
      gate: { mode: 'new', slaDays: { CRITICAL: 7, HIGH: 30 }, kev: 's3://threat-data-bucket/kev/known_exploited_vulnerabilities.json', epss: 's3://threat-data-bucket/epss/epss_scores-current.csv.gz', failOnEpss: 0.5, failOnKev: false, onDecisionReadError: 'ignore' },
    });
    expect(gateEnvironment(configured)).toEqual({
      GATE_MODE: 'new',
      GATE_BASE_BRANCH: base.applications[0]!.source.branch,
      GATE_SLA_DAYS: 'CRITICAL=7,HIGH=30',
      GATE_KEV_URI: 's3://threat-data-bucket/kev/known_exploited_vulnerabilities.json',
      GATE_EPSS_URI: 's3://threat-data-bucket/epss/epss_scores-current.csv.gz',
      GATE_FAIL_ON_EPSS: '0.5',
      GATE_FAIL_ON_KEV: 'false',
      GATE_ON_DECISION_READ_ERROR: 'ignore',
    });
    expect(gateEnvironment(base)).toEqual({});
    expect(() => parseConfig({ ...JSON.parse(readFileSync(join(__dirname, '../../config/example.json'), 'utf8')), gate: { kev: 'https://www.cisa.gov/kev.json' } })).toThrow(/gate\.kev: an S3 object URI/);
  });

  it('reserve concurrency only when configured and trace only when enabled', () => {
    expect(lambdaOf(fnTemplate(example, 'sca-parser')).Properties.ReservedConcurrentExecutions).toBeUndefined();
    const alt = lambdaOf(fnTemplate(alternative, 'sca-parser')).Properties;
    expect(alt.ReservedConcurrentExecutions).toBe(5);
    expect(alt.TracingConfig).toBeUndefined();
    // 3 parser functions × 5 invocations share the account's Security Hub quotas
    expect((alt.Environment as { Variables: Record<string, unknown> }).Variables.IMPORT_RATE_SHARE).toBe(String(1 / 15));
    expect((lambdaOf(fnTemplate(example, 'sca-parser')).Properties.Environment as { Variables: Record<string, unknown> }).Variables).not.toHaveProperty('IMPORT_RATE_SHARE');
  });
});

describe('approval-notifier', () => {
  it('is subscribed to the approval topic, which may invoke it', () => {
    const template = fnTemplate(example, 'approval-notifier');

    const subscription = Object.values(template.findResources('AWS::SNS::Subscription') as Record<string, Resource>)[0]!;
    expect(subscription.Properties.Protocol).toBe('lambda');
    expect(parameterOf(template, subscription.Properties.TopicArn)).toBe('/devsecops/foundation/approval-topic-arn');
    const permission = Object.values(template.findResources('AWS::Lambda::Permission') as Record<string, Resource>)[0]!;
    expect(permission.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' });
    expect(parameterOf(template, permission.Properties.SourceArn)).toBe('/devsecops/foundation/approval-topic-arn');
  });

  it("may reject only the approval action of this installation's pipelines and mail only the approvers topic", () => {
    const statements = roleStatements(fnTemplate(example, 'approval-notifier'));

    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: 'RejectApproval',
        Action: 'codepipeline:PutApprovalResult',
        Resource: expect.arrayContaining([arnOf('codepipeline', 'devsecops-pipeline/Approval/ManualApproval'), arnOf('codepipeline', 'devsecops-pipeline-*/Approval/ManualApproval')]),
      }),
    );
    // Each pipeline's Source action names its repository and branch; nothing pins the notifier to one application.
    const variables = (lambdaOf(fnTemplate(example, 'approval-notifier')).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables).not.toHaveProperty('REPOSITORY');
    expect(variables).not.toHaveProperty('BRANCH');
    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'MailApprovers', Action: 'sns:Publish', Resource: { Ref: expect.stringMatching(/approverstopicarn/) } }));
  });
});

describe('cloudtrail-alerter', () => {
  it('is driven by an EventBridge rule on the CloudTrail API calls of the issue; the scanner tokens are left to each pipeline stack', () => {
    const template = fnTemplate(example, 'cloudtrail-alerter');
    const rule = Object.values(template.findResources('AWS::Events::Rule') as Record<string, Resource>)[0]!;
    const pattern = rule.Properties.EventPattern as { source: string[]; 'detail-type': string[]; detail: { $or: { eventSource: string[]; eventName: string[]; requestParameters?: Record<string, unknown[]> }[] } };

    expect(pattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
    expect(pattern.source).toEqual(['aws.codepipeline', 'aws.codebuild', 'aws.cloudtrail']);
    const names = (source: string) => pattern.detail.$or.filter((a) => a.eventSource[0] === source).flatMap((a) => a.eventName);
    expect(names('codepipeline.amazonaws.com')).toEqual(expect.arrayContaining(['UpdatePipeline', 'DeletePipeline', 'CreatePipeline']));
    expect(names('codebuild.amazonaws.com')).toEqual(expect.arrayContaining(['CreateProject', 'DeleteProject', 'UpdateProject']));
    expect(names('cloudtrail.amazonaws.com')).toEqual(expect.arrayContaining(['StopLogging', 'DeleteTrail', 'UpdateTrail']));
    expect(pattern.detail.$or.filter((a) => a.eventSource[0] === 'ssm.amazonaws.com')).toEqual([]);
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^Function/), 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^DeadLetterQueue/), 'Arn'] } }, RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 } }),
    ]);
  });

  it("watches exactly this installation's pipelines, its projects and its trail (the token parameters arrive through the pipelines' rules)", () => {
    const variables = (lambdaOf(fnTemplate(example, 'cloudtrail-alerter')).Properties.Environment as { Variables: Record<string, string> }).Variables;

    expect(variables).toMatchObject({
      WATCHED_PIPELINES: 'devsecops-pipeline,devsecops-pipeline-*',
      WATCHED_PROJECTS: 'devsecops-*',
      WATCHED_TRAILS: 'devsecops-trail',
    });
    expect(variables).not.toHaveProperty('WATCHED_PARAMETERS');
    expect(JSON.parse(variables.EXPECTED_PIPELINE!)).toMatchObject({
      stages: ['Source', 'Scan', 'Deploy-Staging', 'DAST', 'Approval', 'Deploy-Production'],
      actions: expect.arrayContaining([expect.objectContaining({ name: 'SAST*', stage: 'Scan' })]),
    });
    const alt = (lambdaOf(fnTemplate(alternative, 'cloudtrail-alerter')).Properties.Environment as { Variables: Record<string, string> }).Variables;
    expect(alt).toMatchObject({ WATCHED_TRAILS: 'organization-trail', WATCHED_PIPELINES: 'shop-pipeline,shop-pipeline-*' });
  });
});

describe('auto-remediator', () => {
  it('is driven by Security Hub Findings - Imported, filtered to ACTIVE, Workflow NEW, Compliance FAILED of its playbooks', () => {
    const rule = Object.values(fnTemplate(example, 'auto-remediator').findResources('AWS::Events::Rule') as Record<string, Resource>)[0]!;

    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.securityhub'],
      'detail-type': ['Security Hub Findings - Imported'],
      detail: {
        findings: {
          ProductArn: [{ suffix: '::product/aws/securityhub' }],
          RecordState: ['ACTIVE'],
          Workflow: { Status: ['NEW'] },
          Compliance: { Status: ['FAILED'], SecurityControlId: [...PLAYBOOK_CONTROL_IDS] },
          $or: [{ Note: { UpdatedBy: [{ exists: false }] } }, { Note: { UpdatedBy: [{ 'anything-but': ['devsecops-auto-remediator'] }] } }],
        },
      },
    });
  });

  it('starts in dry run, limited to this account and to resources tagged with this installation', () => {
    const variables = (lambdaOf(fnTemplate(example, 'auto-remediator')).Properties.Environment as { Variables: Record<string, unknown> }).Variables;

    expect(variables).toMatchObject({
      REMEDIATOR_NAME: 'devsecops-auto-remediator',
      DRY_RUN: 'true',
      ALLOWED_PLAYBOOKS: PLAYBOOK_CONTROL_IDS.join(','),
      ALLOWED_ACCOUNTS: { Ref: 'AWS::AccountId' },
      REQUIRED_RESOURCE_TAG: 'Application=devsecops',
      CODEBUILD_PARAMETER_PREFIX: '/devsecops/codebuild',
    });
  });

  it('may only touch the trail this installation watches and the roles of its own pipeline stack', () => {
    const statements = roleStatements(fnTemplate(example, 'auto-remediator'));

    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'CloudTrail4ValidateLogs', Resource: arnOf('cloudtrail', 'trail/devsecops-trail') }));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: 'CodeBuild2GrantRoleRead',
        Action: ['iam:GetRolePolicy', 'iam:PutRolePolicy'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/devsecops-pipeline-*']] },
      }),
    );
  });
});
