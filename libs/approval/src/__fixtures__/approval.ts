import { buildFinding, type AwsSecurityFinding, type AwsTarget, type FindingDraft, type SeverityLabel } from '@devsecops/asff';
import { FIXED_NOW, testScope } from '@devsecops/test-support';
import type { ApprovalMessage } from '../message';

export const TOKEN = '1a2b3c4d-573f-4ea7-a67e-0123456789ab';
export const COMMIT = '0123456789abcdef0123456789abcdef01234567';
export const EXECUTION_ID = '3137f7cb-7cf7-039j-s83l-d7eu3EXAMPLE';
export const TARGET: AwsTarget = { awsAccountId: '123456789012', region: 'us-east-1', partition: 'aws' };
export const APPROVERS_TOPIC = 'arn:aws:sns:us-east-1:123456789012:approvers';

/** The message CodePipeline publishes for a manual approval (AWS doc "approvals-json-format"), for our pipeline. */
export function approvalMessage(overrides: Partial<ApprovalMessage['approval']> = {}): ApprovalMessage {
  return {
    region: 'us-east-1',
    consoleLink: 'https://console.aws.amazon.com/codepipeline/home?region=us-east-1#/view/patient-portal-pipeline',
    approval: {
      pipelineName: 'patient-portal-pipeline',
      stageName: 'Manual-Approval',
      actionName: 'ApprovalRequired',
      token: TOKEN,
      expires: '2026-11-29T12:00Z',
      externalEntityLink: 'https://wiki.example.com/release-checklist',
      approvalReviewLink: `https://console.aws.amazon.com/codepipeline/home?region=us-east-1#/view/patient-portal-pipeline/Manual-Approval/ApprovalRequired/approve/${TOKEN}`,
      customData: 'Check the scan results before approving.',
      ...overrides,
    },
  };
}

/** An SNS → Lambda event carrying `message` (as Lambda delivers it). */
export function snsEvent(message: unknown = approvalMessage()): Record<string, unknown> {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:approval-requests:0b1c2d3e-aaaa-bbbb-cccc-1234567890ab',
        Sns: {
          Type: 'Notification',
          MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
          TopicArn: 'arn:aws:sns:us-east-1:123456789012:approval-requests',
          Subject: 'APPROVAL NEEDED: AWS CodePipeline patient-portal-pipeline for action ApprovalRequired',
          Message: typeof message === 'string' ? message : JSON.stringify(message),
          Timestamp: '2026-11-22T12:00:00.000Z',
          SignatureVersion: '1',
          Signature: 'EXAMPLE',
          SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
          UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:approval-requests:0b1c',
          MessageAttributes: {},
        },
      },
    ],
  };
}

/** GetPipelineState output with the approval waiting on `token` in execution EXECUTION_ID. */
export function pipelineState(token: string | null = TOKEN) {
  return {
    pipelineName: 'patient-portal-pipeline',
    stageStates: [
      { stageName: 'Source', latestExecution: { pipelineExecutionId: EXECUTION_ID, status: 'Succeeded' as const } },
      {
        stageName: 'Manual-Approval',
        latestExecution: { pipelineExecutionId: EXECUTION_ID, status: 'InProgress' as const },
        actionStates: [{ actionName: 'ApprovalRequired', latestExecution: { status: 'InProgress' as const, ...(token ? { token } : {}) } }],
      },
    ],
  };
}

export function pipelineExecution(revisionId = COMMIT) {
  return {
    pipelineExecution: {
      pipelineName: 'patient-portal-pipeline',
      pipelineExecutionId: EXECUTION_ID,
      status: 'InProgress' as const,
      artifactRevisions: [
        {
          name: 'SourceOutput',
          revisionId,
          revisionSummary: 'Upgrade log4j',
          revisionUrl: `https://us-east-1.console.aws.amazon.com/codesuite/codecommit/repositories/patient-portal/commit/${revisionId}`,
        },
      ],
    },
  };
}

export function pipelineDeclaration() {
  return {
    pipeline: {
      name: 'patient-portal-pipeline',
      roleArn: 'arn:aws:iam::123456789012:role/pipeline',
      stages: [
        {
          name: 'Source',
          actions: [
            {
              name: 'Source',
              actionTypeId: { category: 'Source' as const, owner: 'AWS' as const, provider: 'CodeCommit', version: '1' },
              configuration: { RepositoryName: 'patient-portal', BranchName: 'main' },
              outputArtifacts: [{ name: 'SourceOutput' }],
            },
          ],
        },
      ],
    },
  };
}

function draft(n: number, severity: SeverityLabel, overrides: Partial<FindingDraft> = {}): FindingDraft {
  return {
    ruleId: `RULE-${n}`,
    location: `src/file-${n}.php`,
    title: `Problem ${n} (${severity.toLowerCase()})`,
    description: `Description ${n}`,
    severity: { label: severity, original: severity },
    resources: [{ Type: 'Other', Id: `patient-portal/src/file-${n}.php` }],
    ...overrides,
  };
}

/** A finding of our own product for the commit under approval, as the scan Lambdas import it. */
export function scanFinding(n: number, severity: SeverityLabel, options: { tool?: string; commit?: string; branch?: string; draft?: Partial<FindingDraft> } = {}): AwsSecurityFinding {
  return buildFinding(
    draft(n, severity, options.draft),
    testScope({ tool: options.tool ?? 'dependency-check', repository: 'patient-portal', branch: options.branch ?? 'main', commit: options.commit ?? COMMIT }),
    FIXED_NOW,
  );
}
