/**
 * Other messages the approval topic carries, shaped as real ones are delivered (captured CodeStar Notifications
 * messages of pipelines on a manual-approval topic; AWS CodeStar Notifications "notification concepts"): the SNS
 * `Message` is the event as JSON with `detailType` (camel case), `notificationRuleArn` and `additionalAttributes`.
 * Our own names and ids; the structure is the real one.
 */

/** The pipeline's notification rule reporting the approval action itself starting (the same topic as the approval). */
export const CODESTAR_APPROVAL_ACTION_STARTED = {
  account: '123456789012',
  detailType: 'CodePipeline Action Execution State Change',
  region: 'us-east-1',
  source: 'aws.codepipeline',
  time: '2026-11-22T11:59:58Z',
  notificationRuleArn: 'arn:aws:codestar-notifications:us-east-1:123456789012:notificationrule/5d2c9a61f0e84b7aa0c1e3f4b5a6978812345678',
  detail: {
    pipeline: 'patient-portal-pipeline',
    'execution-id': '3137f7cb-7cf7-4a2b-9c3d-d7e5f3a1b2c4',
    stage: 'Manual-Approval',
    action: 'ApprovalRequired',
    state: 'STARTED',
    region: 'us-east-1',
    type: { owner: 'AWS', provider: 'Manual', category: 'Approval', version: '1' },
    version: 7.0,
  },
  resources: ['arn:aws:codepipeline:us-east-1:123456789012:patient-portal-pipeline'],
  additionalAttributes: { externalEntityLink: 'https://wiki.example.com/release-checklist', customData: 'Check the scan results before approving.' },
};

/** A pipeline execution state change from the same kind of rule. */
export const CODESTAR_PIPELINE_SUCCEEDED = {
  account: '123456789012',
  detailType: 'CodePipeline Pipeline Execution State Change',
  region: 'us-east-1',
  source: 'aws.codepipeline',
  time: '2026-11-22T12:31:41Z',
  notificationRuleArn: 'arn:aws:codestar-notifications:us-east-1:123456789012:notificationrule/5d2c9a61f0e84b7aa0c1e3f4b5a6978812345678',
  detail: {
    pipeline: 'patient-portal-pipeline',
    'execution-id': '3137f7cb-7cf7-4a2b-9c3d-d7e5f3a1b2c4',
    'execution-trigger': { 'trigger-type': 'StartPipelineExecution', 'trigger-detail': 'arn:aws:sts::123456789012:assumed-role/Deployer/alice' },
    state: 'SUCCEEDED',
    version: 7.0,
  },
  resources: ['arn:aws:codepipeline:us-east-1:123456789012:patient-portal-pipeline'],
  additionalAttributes: {},
};

/** An EventBridge rule targeting the topic directly: the event as EventBridge writes it (`detail-type`). */
export const EVENTBRIDGE_STAGE_FAILED = {
  version: '0',
  id: '9a7b6c5d-1234-4e5f-8a9b-0c1d2e3f4a5b',
  'detail-type': 'CodePipeline Stage Execution State Change',
  source: 'aws.codepipeline',
  account: '123456789012',
  time: '2026-11-22T12:10:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:codepipeline:us-east-1:123456789012:patient-portal-pipeline'],
  detail: { pipeline: 'patient-portal-pipeline', 'execution-id': '3137f7cb-7cf7-4a2b-9c3d-d7e5f3a1b2c4', stage: 'Deploy', state: 'FAILED', version: 7 },
};

/** Someone testing the topic from the console ("Publish message"). */
export const PLAIN_TEXT = 'Test message from the SNS console';
