import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { RemediationClients } from '../playbook';

/** Real client classes (aws-sdk-client-mock replaces their send), one per call. */
export function testClients(): RemediationClients & { regions: string[] } {
  const regions: string[] = [];
  const at = <T>(make: (region: string) => T) => (region: string) => {
    regions.push(region);
    return make(region);
  };
  return {
    regions,
    codeBuild: at((region) => new CodeBuildClient({ region })),
    ssm: at((region) => new SSMClient({ region })),
    iam: () => new IAMClient({ region: 'us-east-1' }),
    cloudTrail: at((region) => new CloudTrailClient({ region })),
    s3: at((region) => new S3Client({ region })),
    kms: at((region) => new KMSClient({ region })),
  };
}
