import type { ControlId } from '../config';
import type { Playbook } from '../playbook';
import { cloudTrail4 } from './cloudtrail-4';
import { codeBuild2 } from './codebuild-2';
import { kms4 } from './kms-4';
import { s35, s38 } from './s3';

export * from './cloudtrail-4';
export * from './codebuild-2';
export * from './kms-4';
export * from './s3';

export const PLAYBOOKS: Readonly<Record<ControlId, Playbook<unknown>>> = {
  'CodeBuild.2': codeBuild2 as Playbook<unknown>,
  'CloudTrail.4': cloudTrail4 as Playbook<unknown>,
  'S3.5': s35 as Playbook<unknown>,
  'S3.8': s38 as Playbook<unknown>,
  'KMS.4': kms4 as Playbook<unknown>,
};
