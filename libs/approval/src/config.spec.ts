import { approvalConfigFromEnv } from './config';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:approvers';

describe('approvalConfigFromEnv', () => {
  it('reads every variable', () => {
    // Act
    const config = approvalConfigFromEnv({
      APPROVERS_TOPIC_ARN: TOPIC,
      REPOSITORY: 'hospital/portal',
      BRANCH: 'main',
      SOURCE_ARTIFACT: 'SourceOutput',
      APPROVAL_POLICY: '{"maxActive":{"CRITICAL":0,"HIGH":5},"autoReject":false}',
      TOP_FINDINGS: '5',
      MAX_FINDING_PAGES: '20',
    });
    // Assert
    expect(config).toEqual({
      approversTopicArn: TOPIC,
      repository: 'hospital/portal',
      branch: 'main',
      sourceArtifact: 'SourceOutput',
      policy: { autoReject: false, maxActive: { CRITICAL: 0, HIGH: 5 } },
      topFindings: 5,
      maxFindingPages: 20,
    });
  });

  it('has safe defaults: reject on any CRITICAL, ten findings listed', () => {
    expect(approvalConfigFromEnv({ APPROVERS_TOPIC_ARN: TOPIC })).toEqual({
      approversTopicArn: TOPIC,
      policy: { autoReject: true, maxActive: { CRITICAL: 0 } },
      topFindings: 10,
      maxFindingPages: 100,
    });
  });

  it('names every bad variable at once', () => {
    expect(() => approvalConfigFromEnv({ APPROVAL_POLICY: '{maxActive', TOP_FINDINGS: 'ten' })).toThrow(
      /APPROVERS_TOPIC_ARN: is required.*APPROVAL_POLICY: is not valid JSON.*TOP_FINDINGS: must be an integer/,
    );
  });

  it('explains a policy that is JSON but not a policy', () => {
    expect(() => approvalConfigFromEnv({ APPROVERS_TOPIC_ARN: TOPIC, APPROVAL_POLICY: '{"maxActive":{"URGENT":0}}' })).toThrow(/URGENT: is not a severity/);
  });
});
