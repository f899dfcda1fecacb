import { Match, type Template } from 'aws-cdk-lib/assertions';
import { FOUNDATION_VALUES, foundationParameterName } from '../shared-parameters';
import { alternativeConfig, exampleConfig, synthesize } from '../testing/synth';

let foundation: Template;
let audit: Template;
let altAudit: Template;

beforeAll(() => {
  const example = synthesize(exampleConfig());
  const alternative = synthesize(alternativeConfig());
  foundation = example.template('Foundation');
  audit = example.template('Audit');
  altAudit = alternative.template('Audit');
});

type Resource = { Type: string; Properties: Record<string, unknown> };

function keyPolicyStatements(template: Template, descriptionPart: string): Record<string, unknown>[] {
  const key = Object.values(template.findResources('AWS::KMS::Key') as Record<string, Resource>).find((k) => String(k.Properties.Description).includes(descriptionPart));
  if (!key) throw new Error(`no key "${descriptionPart}"`);
  return (key.Properties.KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;
}

const ACCOUNT_CONDITION = { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } };

describe('Foundation stack', () => {
  it('creates three customer-managed keys, each rotated', () => {
    foundation.resourceCountIs('AWS::KMS::Key', 3);
    foundation.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('lets CloudWatch Logs use the logs key for log groups of this account and Region only', () => {
    expect(keyPolicyStatements(foundation, 'CloudWatch Logs')).toContainEqual(
      expect.objectContaining({
        Sid: 'AllowCloudWatchLogs',
        Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] } },
        Condition: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:*']] },
          },
        },
      }),
    );
  });

  const arnJoin = (...rest: unknown[]) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ...rest]] });
  const NOTIFICATIONS_TOPIC_ARN = arnJoin(':sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':devsecops-notifications');

  it('lets EventBridge use the notifications key for the notifications topic, with no aws:SourceAccount/SourceArn (unsupported for EventBridge → encrypted SNS)', () => {
    const statement = keyPolicyStatements(foundation, 'SNS topics').find((s) => JSON.stringify(s.Principal) === '{"Service":"events.amazonaws.com"}');

    expect(statement).toEqual({
      Sid: 'AllowEventBridgeToNotificationsTopic',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': NOTIFICATIONS_TOPIC_ARN } },
    });
    expect(JSON.stringify(statement)).not.toMatch(/aws:Source(Account|Arn)/);
    foundation.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'devsecops-notifications' });
  });

  it("lets CloudWatch alarms of this account use the notifications key for that topic (the SNS guide's conditions)", () => {
    expect(keyPolicyStatements(foundation, 'SNS topics')).toContainEqual({
      Sid: 'AllowCloudWatchAlarmsToNotificationsTopic',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        ArnLike: { 'aws:SourceArn': arnJoin(':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*') },
        StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': NOTIFICATIONS_TOPIC_ARN },
      },
    });
  });

  it("lets EventBridge use the data key for this account's dead-letter queues only (SQS's encryption context), without aws:SourceAccount", () => {
    expect(keyPolicyStatements(foundation, 'dead-letter queues')).toContainEqual({
      Sid: 'AllowEventBridgeDeadLetterQueues',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:sqs:arn': arnJoin(':sqs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':*') } },
    });
  });

  it('grants no service principal a key without a condition', () => {
    for (const descriptionPart of ['SNS topics', 'dead-letter queues', 'CloudWatch Logs']) {
      for (const statement of keyPolicyStatements(foundation, descriptionPart).filter((s) => JSON.stringify(s.Principal).includes('Service'))) {
        expect(statement.Condition).toBeDefined();
      }
    }
  });

  it('lets EventBridge and CloudWatch alarms of this account publish to the notifications topic (topic policy)', () => {
    foundation.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Condition: ACCOUNT_CONDITION }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: ACCOUNT_CONDITION }),
        ]),
      },
    });
  });

  it('encrypts every topic with the notifications key, requires TLS and subscribes the configured emails', () => {
    foundation.resourceCountIs('AWS::SNS::Topic', 3);
    foundation.allResourcesProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotificationsKey'), 'Arn'] } });
    const policies = Object.values(foundation.findResources('AWS::SNS::TopicPolicy') as Record<string, Resource>);
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      expect((policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
    foundation.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'security@example.com', TopicArn: { Ref: Match.stringLikeRegexp('^NotificationsTopic') } });
    foundation.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'approvers@example.com', TopicArn: { Ref: Match.stringLikeRegexp('^ApproversTopic') } });
  });

  it('blocks public access, enforces TLS, versions and logs every bucket (access logs stay SSE-S3 as S3 requires)', () => {
    const buckets = foundation.findResources('AWS::S3::Bucket') as Record<string, Resource>;
    expect(Object.keys(buckets)).toHaveLength(2);
    for (const [id, bucket] of Object.entries(buckets)) {
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
      const sse = (bucket.Properties.BucketEncryption as { ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { SSEAlgorithm: string } }[] }).ServerSideEncryptionConfiguration[0]!;
      expect([id, sse.ServerSideEncryptionByDefault.SSEAlgorithm]).toEqual([id, id.startsWith('AccessLogs') ? 'AES256' : 'aws:kms']);
    }
    const reports = Object.entries(buckets).find(([id]) => id.startsWith('ReportsBucket'))![1];
    expect(reports.Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: expect.stringMatching(/^AccessLogsBucket/) }, LogFilePrefix: 'reports-bucket/' });
    for (const policy of Object.values(foundation.findResources('AWS::S3::BucketPolicy') as Record<string, Resource>)) {
      expect((policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('refuses report uploads encrypted with another key and admits S3 access logs from this account only', () => {
    foundation.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^ReportsBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DenyOtherEncryptionKeys',
            Effect: 'Deny',
            Action: 's3:PutObject',
            Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] } } },
          }),
        ]),
      },
    });
    foundation.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^AccessLogsBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'S3ServerAccessLogsFromThisAccount', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Condition: ACCOUNT_CONDITION }),
        ]),
      },
    });
  });

  it('publishes what the other stacks use as SSM parameters under /<name>/foundation/', () => {
    const names = Object.values(foundation.findResources('AWS::SSM::Parameter') as Record<string, Resource>).map((p) => p.Properties.Name);
    expect(names.sort()).toEqual(FOUNDATION_VALUES.map((v) => foundationParameterName('devsecops', v)).sort());
    expect(foundation.toJSON().Outputs ?? {}).toEqual({});
  });
});

describe('Audit stack', () => {
  it('creates a multi-Region trail with log file validation, KMS encryption and CloudWatch Logs delivery', () => {
    audit.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'devsecops-trail',
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      IsLogging: true,
      KMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditKey'), 'Arn'] },
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrailLogGroup'), 'Arn'] },
      S3KeyPrefix: 'cloudtrail',
    });
    audit.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { Ref: Match.stringLikeRegexp('logskeyarn') }, RetentionInDays: 365 });
  });

  it("lets CloudTrail encrypt with the audit key only for this trail", () => {
    audit.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudTrailToEncryptLogs',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'kms:GenerateDataKey*',
            Condition: {
              StringEquals: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':trail/devsecops-trail']] } },
            },
          }),
        ]),
      },
    });
  });

  it('uses an existing trail instead when configured, and still checks it', () => {
    altAudit.resourceCountIs('AWS::CloudTrail::Trail', 0);
    altAudit.resourceCountIs('AWS::Config::ConfigRule', 3);
  });

  it('deploys the three managed Config rules, scoped as the reference pipeline did', () => {
    audit.hasResourceProperties('AWS::Config::ConfigRule', {
      Source: { Owner: 'AWS', SourceIdentifier: 'CODEBUILD_PROJECT_ENVVAR_AWSCRED_CHECK' },
      Scope: { ComplianceResourceTypes: ['AWS::CodeBuild::Project'] },
    });
    audit.hasResourceProperties('AWS::Config::ConfigRule', {
      Source: { Owner: 'AWS', SourceIdentifier: 'CODEBUILD_PROJECT_SOURCE_REPO_URL_CHECK' },
      Scope: { ComplianceResourceTypes: ['AWS::CodeBuild::Project'] },
    });
    audit.hasResourceProperties('AWS::Config::ConfigRule', {
      Source: { Owner: 'AWS', SourceIdentifier: 'CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED' },
      MaximumExecutionFrequency: 'TwentyFour_Hours',
    });
    audit.resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
  });

  it('optionally adds a recorder (only the resource types the rules need) that the rules depend on', () => {
    altAudit.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: false, IncludeGlobalResourceTypes: false, ResourceTypes: ['AWS::CodeBuild::Project', 'AWS::CloudTrail::Trail'] },
    });
    altAudit.hasResourceProperties('AWS::Config::DeliveryChannel', { S3KeyPrefix: 'config', S3KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditKey'), 'Arn'] } });
    const recorderId = Object.keys(altAudit.findResources('AWS::Config::ConfigurationRecorder'))[0]!;
    for (const rule of Object.values(altAudit.findResources('AWS::Config::ConfigRule') as Record<string, { DependsOn?: string[] }>)) {
      expect(rule.DependsOn).toContain(recorderId);
    }
  });

  it('enables Security Hub only when configured', () => {
    audit.resourceCountIs('AWS::SecurityHub::Hub', 0);
    altAudit.hasResourceProperties('AWS::SecurityHub::Hub', { EnableDefaultStandards: true, ControlFindingGenerator: 'SECURITY_CONTROL' });
  });
});
