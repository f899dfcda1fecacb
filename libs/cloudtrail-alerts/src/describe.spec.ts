import { deleteParameters, deletePipeline, putParameter, stopLogging, updatePipeline } from './__fixtures__/events';
import { actorLabel, describeActor, describeChange } from './describe';

describe('describeChange', () => {
  it('says who, what, on which resource, when, from where and with which agent', () => {
    // Act
    const change = describeChange(stopLogging(), '999999999999');
    // Assert
    expect(change).toMatchObject({
      eventId: 'evt-StopLogging-0001',
      eventName: 'StopLogging',
      service: 'cloudtrail',
      time: '2026-11-22T11:58:03.000Z',
      region: 'us-east-1',
      accountId: '123456789012',
      sourceIp: '198.51.100.23',
      userAgent: expect.stringMatching(/^aws-cli\/2\.27\.50/),
      actor: {
        arn: 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com',
        type: 'AssumedRole',
        roleArn: 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef',
        sessionName: 'alice@example.com',
        mfaAuthenticated: false,
      },
      resources: [{ kind: 'trail', name: 'patient-portal-trail', arn: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/patient-portal-trail' }],
    });
    expect(change.failure).toBeUndefined();
  });

  it('records a failed call', () => {
    const change = describeChange(stopLogging({ errorCode: 'AccessDenied', errorMessage: 'User is not authorized to perform cloudtrail:StopLogging' }), '1');
    expect(change.failure).toEqual({ code: 'AccessDenied', message: 'User is not authorized to perform cloudtrail:StopLogging' });
  });

  it.each([
    [updatePipeline(), [{ kind: 'pipeline', name: 'patient-portal-pipeline', arn: 'arn:aws:codepipeline:us-east-1:123456789012:patient-portal-pipeline' }]],
    [deletePipeline(), [{ kind: 'pipeline', name: 'patient-portal-pipeline', arn: 'arn:aws:codepipeline:us-east-1:123456789012:patient-portal-pipeline' }]],
    [putParameter(), [{ kind: 'parameter', name: '/devsecops/scanners/sonar-token', arn: 'arn:aws:ssm:us-east-1:123456789012:parameter/devsecops/scanners/sonar-token' }]],
    [
      deleteParameters(),
      [
        { kind: 'parameter', name: '/devsecops/scanners/sonar-token', arn: 'arn:aws:ssm:us-east-1:123456789012:parameter/devsecops/scanners/sonar-token' },
        { kind: 'parameter', name: '/devsecops/scanners/zap-api-key', arn: 'arn:aws:ssm:us-east-1:123456789012:parameter/devsecops/scanners/zap-api-key' },
      ],
    ],
  ])('names the resources of %#', (detail, resources) => {
    expect(describeChange(detail, '1').resources).toEqual(resources);
  });

  it('uses the partition of the Region in built ARNs', () => {
    const change = describeChange({ ...deletePipeline(), awsRegion: 'us-gov-west-1', recipientAccountId: '111122223333' }, '1');
    expect(change.resources[0]!.arn).toBe('arn:aws-us-gov:codepipeline:us-gov-west-1:111122223333:patient-portal-pipeline');
  });
});

describe('describeActor', () => {
  it('builds the role ARN from an assumed-role ARN when the session issuer is missing', () => {
    const actor = describeActor({ type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/Deployer/ci-build-42', accountId: '123456789012' }, 'aws');
    expect(actor).toMatchObject({ roleArn: 'arn:aws:iam::123456789012:role/Deployer', sessionName: 'ci-build-42' });
    expect(actorLabel(actor)).toBe('role Deployer (session ci-build-42)');
  });

  it.each([
    [{ type: 'IAMUser', arn: 'arn:aws:iam::1:user/bob', userName: 'bob' }, 'user bob'],
    [{ type: 'Root', arn: 'arn:aws:iam::1:root' }, 'the root user'],
    [{ type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' }, 'cloudformation.amazonaws.com'],
  ])('labels %j', (identity, label) => {
    expect(actorLabel(describeActor(identity, 'aws'))).toBe(label);
  });
});
