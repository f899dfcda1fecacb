import { partitionForRegion } from '@devsecops/asff';
import type { CloudTrailDetail } from './event';
import { redactRequestParameters, redactText } from './redact';

export type ResourceKind = 'pipeline' | 'project' | 'trail' | 'parameter' | 'other';

export interface ChangedResource {
  kind: ResourceKind;
  name: string;
  arn: string;
}

/** Who made the call. */
export interface Actor {
  /** The principal ARN as CloudTrail recorded it (for an assumed role: the STS assumed-role ARN). */
  arn?: string;
  type?: string;
  accountId?: string;
  principalId?: string;
  /** For assumed roles: the role (the session issuer) and the role session name. */
  roleArn?: string;
  sessionName?: string;
  userName?: string;
  /** An AWS service that made the call on someone's behalf (cloudformation.amazonaws.com). */
  invokedBy?: string;
  mfaAuthenticated?: boolean;
}

/** One CloudTrail API call, described with every secret removed. */
export interface ChangeDescription {
  eventId: string;
  eventName: string;
  eventSource: string;
  /** `codepipeline`, `codebuild`, `cloudtrail`, `ssm`… */
  service: string;
  time: string;
  region: string;
  accountId: string;
  actor: Actor;
  sourceIp?: string;
  userAgent?: string;
  /** Set when the call failed (an attempt, not a change). */
  failure?: { code: string; message?: string };
  resources: ChangedResource[];
  /** requestParameters after redactRequestParameters. */
  requestParameters?: Record<string, unknown>;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** `arn:aws:sts::123:assumed-role/RoleName/session` → role name and session. */
export function assumedRoleParts(arn: string | undefined): { roleName?: string; sessionName?: string } {
  const match = /:assumed-role\/(.+)\/([^/]+)$/.exec(arn ?? '');
  return match ? { roleName: match[1]!.split('/').pop()!, sessionName: match[2]! } : {};
}

export function describeActor(identity: CloudTrailDetail['userIdentity'], partition: string): Actor {
  const issuer = identity.sessionContext?.sessionIssuer;
  const { roleName, sessionName } = assumedRoleParts(identity.arn);
  const roleArn =
    identity.type === 'AssumedRole'
      ? (str(issuer?.arn) ?? (roleName && identity.accountId ? `arn:${partition}:iam::${identity.accountId}:role/${roleName}` : undefined))
      : undefined;
  const mfa = identity.sessionContext?.attributes?.mfaAuthenticated;
  return {
    ...(str(identity.arn) ? { arn: identity.arn } : {}),
    ...(str(identity.type) ? { type: identity.type } : {}),
    ...(str(identity.accountId) ? { accountId: identity.accountId } : {}),
    ...(str(identity.principalId) ? { principalId: identity.principalId } : {}),
    ...(roleArn ? { roleArn } : {}),
    ...(sessionName ? { sessionName } : {}),
    ...(str(identity.userName) ? { userName: identity.userName } : {}),
    ...(str(identity.invokedBy) ? { invokedBy: identity.invokedBy } : {}),
    ...(mfa !== undefined ? { mfaAuthenticated: mfa === 'true' } : {}),
  };
}

/** The ARN of a resource named in a request: kept when already an ARN, built otherwise. */
function arnOf(kind: ResourceKind, name: string, scope: { partition: string; region: string; accountId: string }): string {
  if (name.startsWith('arn:')) return name;
  const base = (service: string) => `arn:${scope.partition}:${service}:${scope.region}:${scope.accountId}`;
  switch (kind) {
    case 'pipeline':
      return `${base('codepipeline')}:${name}`;
    case 'project':
      return `${base('codebuild')}:project/${name}`;
    case 'trail':
      return `${base('cloudtrail')}:trail/${name}`;
    case 'parameter':
      return `${base('ssm')}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
    default:
      return name;
  }
}

/** Last segment of an ARN's resource part (`…:trail/name` → name, `…:parameter/a/b` → /a/b for parameters). */
function nameOf(kind: ResourceKind, value: string): string {
  if (!value.startsWith('arn:')) return value;
  const resource = value.split(':').slice(5).join(':');
  if (kind === 'parameter') return resource.replace(/^parameter/, '') || resource;
  if (kind === 'pipeline') return resource;
  return resource.split('/').slice(1).join('/') || resource;
}

const KIND_BY_SOURCE: Record<string, ResourceKind> = {
  'codepipeline.amazonaws.com': 'pipeline',
  'codebuild.amazonaws.com': 'project',
  'cloudtrail.amazonaws.com': 'trail',
  'ssm.amazonaws.com': 'parameter',
};

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * The names a request acts on, by service and operation (events.md §4; CloudTrail/SSM request shapes). When the
 * request does not name the resource, the response does: CodeBuild's CreateProject record can carry only
 * `{"awsActId": …}` as requestParameters, with the project (name, arn, environment…) in `responseElements.project`
 * (CodeBuild User Guide, "About AWS CodeBuild log file entries"); CreatePipeline and CreateTrail/UpdateTrail answer
 * with the pipeline declaration and the trail (`name`, `trailARN`).
 */
export function resourceNames(eventSource: string, eventName: string, parameters: Record<string, unknown> | null | undefined, responseElements?: unknown): string[] {
  const p = parameters ?? {};
  const r = objectOf(responseElements) ?? {};
  const pipeline = p.pipeline as Record<string, unknown> | undefined;
  switch (KIND_BY_SOURCE[eventSource]) {
    case 'pipeline':
      return [str(pipeline?.name) ?? str(p.name) ?? str(p.pipelineName) ?? str(objectOf(r.pipeline)?.name)].filter((n): n is string => !!n);
    case 'project':
      return [str(p.name) ?? str(p.projectName) ?? str(objectOf(r.project)?.arn) ?? str(objectOf(r.project)?.name)].filter((n): n is string => !!n);
    case 'trail':
      return [str(p.name) ?? str(p.trailName) ?? str(r.trailARN) ?? str(r.name)].filter((n): n is string => !!n);
    case 'parameter':
      if (eventName === 'DeleteParameters' && Array.isArray(p.names)) return p.names.filter((n): n is string => typeof n === 'string');
      return [str(p.name)].filter((n): n is string => !!n);
    default:
      return [];
  }
}

/** Describes one CloudTrail record: who, what, on which resource, when, from where, with what agent, and whether it failed. */
export function describeChange(detail: CloudTrailDetail, fallbackAccountId: string): ChangeDescription {
  const partition = partitionForRegion(detail.awsRegion);
  const accountId = detail.recipientAccountId ?? detail.userIdentity.accountId ?? fallbackAccountId;
  const kind = KIND_BY_SOURCE[detail.eventSource] ?? 'other';
  const scope = { partition, region: detail.awsRegion, accountId };
  const resources = resourceNames(detail.eventSource, detail.eventName, detail.requestParameters, detail.responseElements).map((value) => ({
    kind,
    name: nameOf(kind, value),
    arn: arnOf(kind, value, scope),
  }));
  const requestParameters = redactRequestParameters(detail.eventSource, detail.requestParameters);
  return {
    eventId: detail.eventID,
    eventName: detail.eventName,
    eventSource: detail.eventSource,
    service: detail.eventSource.replace(/\.amazonaws\.com$/, ''),
    time: new Date(detail.eventTime).toISOString(),
    region: detail.awsRegion,
    accountId,
    actor: describeActor(detail.userIdentity, partition),
    ...(detail.sourceIPAddress ? { sourceIp: detail.sourceIPAddress } : {}),
    ...(detail.userAgent ? { userAgent: redactText(detail.userAgent)! } : {}),
    ...(detail.errorCode ? { failure: { code: detail.errorCode, ...(detail.errorMessage ? { message: redactText(detail.errorMessage)! } : {}) } } : {}),
    resources,
    ...(requestParameters ? { requestParameters } : {}),
  };
}

/** One line naming the actor: `role/Deployer (session alice)`, `user/bob`, `root`, or the raw ARN. */
export function actorLabel(actor: Actor): string {
  if (actor.type === 'Root') return 'the root user';
  if (actor.roleArn) return `role ${actor.roleArn.split('/').pop()}${actor.sessionName ? ` (session ${actor.sessionName})` : ''}`;
  if (actor.userName) return `user ${actor.userName}`;
  return actor.arn ?? actor.invokedBy ?? actor.principalId ?? 'an unknown principal';
}
