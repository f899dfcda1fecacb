import type { IamPolicyStatement } from '@devsecops/aws-conventions';

/**
 * What the cloudtrail-alerter calls. Placeholders (Fn::Sub syntax): `${AlertTopicArn}` and the pseudo parameters.
 * It reads nothing from the services it watches: everything comes from the event.
 */
export const CLOUDTRAIL_ALERTER_PERMISSIONS: readonly IamPolicyStatement[] = [
  {
    Sid: 'ImportAlertFindings',
    Effect: 'Allow',
    Action: ['securityhub:BatchImportFindings'],
    Resource: ['arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:product/${AWS::AccountId}/default'],
  },
  {
    Sid: 'PublishAlerts',
    Effect: 'Allow',
    Action: ['sns:Publish'],
    Resource: ['${AlertTopicArn}'],
  },
];

/** Add when the alert topic is encrypted with a customer managed key (`${AlertTopicKeyArn}`). */
export const CLOUDTRAIL_ALERTER_TOPIC_KEY_PERMISSIONS: readonly IamPolicyStatement[] = [
  {
    Sid: 'PublishToEncryptedTopic',
    Effect: 'Allow',
    Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
    Resource: ['${AlertTopicKeyArn}'],
  },
];
