import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CodeBuildClient } from '@aws-sdk/client-codebuild';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { Partition } from '@devsecops/asff';
import type { ControlId, RemediationConfig } from './config';

/** SDK clients by Region: resources live in the finding's Region (a trail in its home Region). */
export interface RemediationClients {
  codeBuild(region: string): CodeBuildClient;
  ssm(region: string): SSMClient;
  iam(): IAMClient;
  cloudTrail(region: string): CloudTrailClient;
  s3(region: string): S3Client;
  kms(region: string): KMSClient;
}

/** The resource a finding is about. */
export interface RemediationTarget {
  controlId: ControlId;
  /** ASFF resource Type (AwsCodeBuildProject, AwsCloudTrailTrail, AwsS3Bucket, AwsKmsKey). */
  resourceType: string;
  /** The resource ARN from the finding. */
  arn: string;
  /** Project, trail, bucket name or key id. */
  name: string;
  region: string;
  accountId: string;
  partition: Partition;
}

/** One change of a plan, described for people (logs, notes): API action and what it does, never a secret value. */
export interface PlannedStep {
  action: string;
  description: string;
}

export interface Plan<S = unknown> {
  target: RemediationTarget;
  /** Nothing to change: the resource already passes the check. */
  compliant: boolean;
  steps: PlannedStep[];
  /** What a person must still do (e.g. rotate a leaked access key). */
  followUps: string[];
  /** Values that must never appear in any text (moved secrets); scrubbed from notes, logs and errors. */
  secrets: string[];
  /** Playbook-specific data for apply; never logged. */
  state: S;
}

export interface Verification {
  ok: boolean;
  detail: string;
}

export interface PlaybookContext {
  clients: RemediationClients;
  config: RemediationConfig;
}

/**
 * A remediation for one Security Hub control. `plan` reads the resource and decides (idempotent: a resource already
 * fixed plans no step), `apply` makes the planned changes, `verify` reads again and checks the control would pass.
 */
export interface Playbook<S = unknown> {
  controlId: ControlId;
  /** Config rule behind the control. */
  configRule: string;
  resourceType: string;
  title: string;
  /** The resource's tags, read from the service (when the finding does not carry them). */
  readTags(target: RemediationTarget, ctx: PlaybookContext): Promise<Record<string, string>>;
  plan(target: RemediationTarget, ctx: PlaybookContext): Promise<Plan<S>>;
  apply(plan: Plan<S>, ctx: PlaybookContext): Promise<void>;
  verify(plan: Plan<S>, ctx: PlaybookContext): Promise<Verification>;
}

/** The AWS error name, for "not found" branches. */
export function errorName(error: unknown): string {
  return (error as { name?: string })?.name ?? '';
}

/** Resource part of an ARN after the `type/` prefix: `…:trail/name` → name, `…:key/id` → id. */
export function resourceIdOf(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const slash = resource.indexOf('/');
  return slash >= 0 ? resource.slice(slash + 1) : resource;
}
