import type { AwsSecurityFinding, Resource } from '@aws-sdk/client-securityhub';
import { findingConsoleUrl, redactSecrets, snsSubject } from '@devsecops/aws-conventions';
import { LIMITS, buildFinding, truncate, type AwsTarget, type FindingDraft } from '@devsecops/asff';
import { actorLabel, type ChangeDescription, type ChangedResource } from './describe';
import type { Judgement } from './severity';

export const ALERTER_TOOL = 'cloudtrail-alerter';

/**
 * ASFF resource for a changed resource: the modeled types where Security Hub has them (asff.md §5);
 * CodePipeline and SSM parameters have none, so `Other` with the ARN and a few attributes in Details.Other.
 */
export function findingResource(resource: ChangedResource, change: ChangeDescription): Resource {
  switch (resource.kind) {
    case 'project':
      return { Type: 'AwsCodeBuildProject', Id: resource.arn, Details: { AwsCodeBuildProject: { Name: resource.name } } };
    case 'trail':
      return { Type: 'AwsCloudTrailTrail', Id: resource.arn, Details: { AwsCloudTrailTrail: { Name: resource.name, TrailArn: resource.arn } } };
    default:
      return {
        Type: 'Other',
        Id: resource.arn,
        Details: { Other: { service: change.service, kind: resource.kind, name: truncate(resource.name, LIMITS.detailsOtherValue - 1, '…') } },
      };
  }
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** CloudTrail's sourceIPAddress is an IP address, or a service name when a service called on someone's behalf. */
function callerType(sourceIp: string | undefined): 'remoteip' | 'domain' | undefined {
  if (!sourceIp) return undefined;
  return IPV4.test(sourceIp) || sourceIp.includes(':') ? 'remoteip' : 'domain';
}

/** The text every channel shares: who, what, where, when, from where, with what, and why it matters. */
export function changeSummaryLines(change: ChangeDescription, judgement: Judgement): string[] {
  const a = change.actor;
  return [
    `What: ${change.eventName} (${change.eventSource})${change.failure ? ' - FAILED' : ''}`,
    `Resource: ${change.resources.map((r) => r.arn).join(', ') || 'not named in the request'}`,
    `Who: ${a.arn ?? 'unknown'}${a.type ? ` (${a.type})` : ''}`,
    ...(a.roleArn ? [`Role: ${a.roleArn}${a.sessionName ? `, session ${a.sessionName}` : ''}`] : []),
    ...(a.invokedBy ? [`Invoked by: ${a.invokedBy}`] : []),
    ...(a.mfaAuthenticated !== undefined ? [`MFA: ${a.mfaAuthenticated ? 'yes' : 'no'}`] : []),
    `When: ${change.time}`,
    `Where: account ${change.accountId}, Region ${change.region}`,
    `From: ${change.sourceIp ?? 'unknown'}`,
    `User agent: ${change.userAgent ?? 'unknown'}`,
    ...(change.failure ? [`Error: ${change.failure.code}${change.failure.message ? `: ${change.failure.message}` : ''}`] : []),
    `Severity: ${judgement.severity}`,
    `Why: ${judgement.reasons.join('; ')}`,
    `CloudTrail event id: ${change.eventId}`,
  ];
}

export function alertTitle(change: ChangeDescription): string {
  const target = change.resources.map((r) => r.name).join(', ') || change.service;
  return `${change.failure ? 'Failed attempt: ' : ''}${change.eventName} on ${change.resources[0]?.kind ?? change.service} ${target} by ${actorLabel(change.actor)}`;
}

/**
 * The ASFF finding for one alert. Id: deterministic per CloudTrail event id, so a redelivered event updates the
 * same finding; CreatedAt = UpdatedAt = the event time, so the redelivery is even ignored. Nothing in it comes from
 * unredacted request parameters.
 */
export function buildAlertFinding(change: ChangeDescription, judgement: Judgement, target: AwsTarget): AwsSecurityFinding {
  const resources = change.resources.length > 0 ? change.resources.map((r) => findingResource(r, change)) : [{ Type: 'Other', Id: `${change.service}:${change.eventName}` }];
  const draft: FindingDraft = {
    ruleId: `${change.service}:${change.eventName}`,
    location: change.resources[0]?.arn ?? change.service,
    identity: `cloudtrail-event/${change.eventId}`,
    title: alertTitle(change),
    description: changeSummaryLines(change, judgement).join('\n'),
    severity: { label: judgement.severity, original: truncate(`${change.eventName}${change.failure ? ' (failed)' : ''}`, LIMITS.severityOriginal, '…') },
    types: judgement.types,
    resources,
    remediation: { text: judgement.remediation },
    productFields: {
      EventId: change.eventId,
      EventName: change.eventName,
      EventSource: change.eventSource,
      EventTime: change.time,
      Principal: change.actor.arn,
      PrincipalType: change.actor.type,
      RoleArn: change.actor.roleArn,
      RoleSession: change.actor.sessionName,
      SourceIp: change.sourceIp,
      UserAgent: change.userAgent,
      ErrorCode: change.failure?.code,
      Reasons: judgement.reasons.join('; '),
    },
  };
  const finding = buildFinding(draft, { tool: ALERTER_TOOL, repository: '', branch: '', ...target }, change.time);
  const caller = callerType(change.sourceIp);
  finding.FirstObservedAt = change.time;
  finding.LastObservedAt = change.time;
  finding.Action = {
    ActionType: 'AWS_API_CALL',
    AwsApiCallAction: {
      Api: change.eventName,
      ServiceName: change.eventSource,
      FirstSeen: change.time,
      LastSeen: change.time,
      ...(caller ? { CallerType: caller } : {}),
      ...(caller === 'remoteip' && IPV4.test(change.sourceIp!) ? { RemoteIpDetails: { IpAddressV4: change.sourceIp! } } : {}),
      ...(caller === 'domain' ? { DomainDetails: { Domain: change.sourceIp! } } : {}),
    },
  };
  return finding;
}

export interface AlertMessage {
  subject: string;
  body: string;
}

/** The SNS alert: subject ≤ 99 printable ASCII characters, plain text body with the redacted request. */
export function composeAlertMessage(change: ChangeDescription, judgement: Judgement, finding: AwsSecurityFinding | undefined, target: AwsTarget): AlertMessage {
  const subject = snsSubject(`[${judgement.severity}] ${alertTitle(change)}`);
  const request = change.requestParameters ? truncate(JSON.stringify(change.requestParameters, null, 2), 8_000) : '(none)';
  const lines = [
    ...changeSummaryLines(change, judgement),
    ...(finding?.Id ? ['', `Security Hub: ${findingConsoleUrl(finding.Id, target.region, target.partition)}`] : []),
    '',
    `What to do: ${judgement.remediation}`,
    '',
    'Request parameters (secrets redacted):',
    request,
  ];
  return { subject, body: redactSecrets(lines.join('\n')) };
}
