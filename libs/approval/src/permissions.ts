import type { IamPolicyStatement } from '@devsecops/aws-conventions';

/**
 * Everything the approval notifier calls, as IAM statements. Placeholders (CloudFormation Fn::Sub syntax):
 * `${PipelineName}`, `${ApprovalStageName}`, `${ApprovalActionName}`, `${ApproversTopicArn}`, plus the pseudo
 * parameters `${AWS::Partition}`, `${AWS::Region}`, `${AWS::AccountId}`.
 */
export const APPROVAL_NOTIFIER_PERMISSIONS: readonly IamPolicyStatement[] = [
  {
    Sid: 'ReadPipelineExecution',
    Effect: 'Allow',
    Action: ['codepipeline:GetPipelineState', 'codepipeline:GetPipelineExecution', 'codepipeline:GetPipeline', 'codepipeline:ListActionExecutions'],
    Resource: ['arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${PipelineName}'],
  },
  {
    Sid: 'RejectApproval',
    Effect: 'Allow',
    Action: ['codepipeline:PutApprovalResult'],
    Resource: ['arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${PipelineName}/${ApprovalStageName}/${ApprovalActionName}'],
  },
  {
    Sid: 'ReadFindings',
    Effect: 'Allow',
    Action: ['securityhub:GetFindings'],
    Resource: ['arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:hub/default'],
  },
  {
    Sid: 'MailApprovers',
    Effect: 'Allow',
    Action: ['sns:Publish'],
    Resource: ['${ApproversTopicArn}'],
  },
];

/** Add when the approvers' topic is encrypted with a customer managed key (`${ApproversTopicKeyArn}`). */
export const APPROVAL_NOTIFIER_TOPIC_KEY_PERMISSIONS: readonly IamPolicyStatement[] = [
  {
    Sid: 'PublishToEncryptedTopic',
    Effect: 'Allow',
    Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
    Resource: ['${ApproversTopicKeyArn}'],
  },
];

/** The SNS subscription that triggers the notifier: the approval action's NotificationArn topic. */
export const APPROVAL_NOTIFIER_TRIGGER = {
  kind: 'sns-subscription',
  /** The topic configured as NotificationArn on the manual approval action. */
  topic: '${ApprovalTopicArn}',
} as const;
