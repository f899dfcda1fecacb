import { SEVERITY_LABELS, severityRank, type SeverityLabel } from '@devsecops/asff';
import type { AlerterConfig, ExpectedAction, PipelineExpectation } from './config';
import { expectationFor, matchesPattern } from './config';
import type { ChangeDescription } from './describe';

export interface Judgement {
  severity: SeverityLabel;
  /** Why, in words a person reads in the mail and the finding. */
  reasons: string[];
  /** ASFF Types. */
  types: string[];
  remediation: string;
}

const DEFENSE_EVASION = 'TTPs/Defense Evasion';
const PIPELINE_CHANGE = 'Software and Configuration Checks/AWS Security Best Practices/Pipeline Change';
const BUILD_CHANGE = 'Software and Configuration Checks/AWS Security Best Practices/Build Project Change';
const TRAIL_CHANGE = 'Software and Configuration Checks/AWS Security Best Practices/Audit Trail Change';
const SECRET_CHANGE = 'Software and Configuration Checks/AWS Security Best Practices/Scanner Secret Change';
const PLAINTEXT_SECRET = 'Sensitive Data Identifications/Passwords';
const BEST_PRACTICES = 'Software and Configuration Checks/AWS Security Best Practices';
/** ASFF Types namespaces/categories (ASFF "Types taxonomy"): TTPs are tactics, Effects what a call brings about. */
const EXECUTION = 'TTPs/Execution';
const CREDENTIAL_ACCESS = 'TTPs/Credential Access';
const IMPACT = 'TTPs/Impact';

/**
 * Calls the alerter has no row for get a type from what they do, not from the service they belong to: running
 * commands or builds is Execution, reading secrets is Credential Access, stopping or blocking the pipeline is
 * Impact. Anything else keeps the service's change type.
 */
const UNLISTED_CALL_TYPES: Record<string, string> = {
  SendCommand: EXECUTION,
  StartSession: EXECUTION,
  ResumeSession: EXECUTION,
  StartAutomationExecution: EXECUTION,
  StartChangeRequestExecution: EXECUTION,
  CreateAssociation: EXECUTION,
  UpdateAssociation: EXECUTION,
  StartBuild: EXECUTION,
  StartBuildBatch: EXECUTION,
  RetryBuild: EXECUTION,
  StartPipelineExecution: EXECUTION,
  RetryStageExecution: EXECUTION,
  GetParameter: CREDENTIAL_ACCESS,
  GetParameters: CREDENTIAL_ACCESS,
  GetParametersByPath: CREDENTIAL_ACCESS,
  GetParameterHistory: CREDENTIAL_ACCESS,
  StopPipelineExecution: IMPACT,
  StopBuild: IMPACT,
  DisableStageTransition: IMPACT,
};

/** Names of environment variables that hold secrets when PLAINTEXT (CodeBuild.2 looks at the first two). */
const SECRET_ENV_NAME = /(^AWS_ACCESS_KEY_ID$|^AWS_SECRET_ACCESS_KEY$|^AWS_SESSION_TOKEN$|PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
const AWS_KEY_VALUE = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/;

interface PipelineAction {
  name?: string;
  actionTypeId?: { category?: string; provider?: string };
}
interface PipelineStage {
  name?: string;
  actions?: PipelineAction[];
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stagesOf(parameters: Record<string, unknown> | null | undefined): PipelineStage[] | undefined {
  const stages = asRecord(asRecord(parameters).pipeline).stages;
  return Array.isArray(stages) ? (stages as PipelineStage[]) : undefined;
}

function actionLabel(expected: ExpectedAction): string {
  return `${expected.role ? `${expected.role} ` : ''}action ${expected.name}${expected.stage ? ` (stage ${expected.stage})` : ''}`;
}

/**
 * What a new pipeline definition lost compared with what it must contain: missing stages, stages out of their
 * expected order (a scan moved after a deploy), missing actions, actions whose category changed (an approval
 * replaced by something else).
 */
export function comparePipeline(stages: readonly PipelineStage[], expected: PipelineExpectation): string[] {
  const problems: string[] = [];
  const stageNames = stages.map((s) => s.name ?? '');
  const missingStages = expected.stages.filter((name) => !stageNames.includes(name));
  for (const name of missingStages) problems.push(`removes stage ${name}`);
  const presentInOrder = expected.stages.filter((name) => stageNames.includes(name));
  const positions = presentInOrder.map((name) => stageNames.indexOf(name));
  if (positions.some((pos, i) => i > 0 && pos < positions[i - 1]!)) {
    problems.push(`reorders stages: expected ${presentInOrder.join(' → ')}, found ${[...presentInOrder].sort((a, b) => stageNames.indexOf(a) - stageNames.indexOf(b)).join(' → ')}`);
  }
  for (const action of expected.actions) {
    const candidates = stages
      .filter((s) => action.stage === undefined || s.name === action.stage)
      .flatMap((s) => s.actions ?? [])
      // A name ending in `*` is a prefix: `SAST*` is kept by one SAST action or by several (SAST-semgrep, SAST-phpstan).
      .filter((a) => matchesPattern(a.name ?? '', [action.name]));
    if (candidates.length === 0) {
      problems.push(`removes ${actionLabel(action)}`);
      continue;
    }
    if (action.category && !candidates.some((a) => a.actionTypeId?.category === action.category)) {
      problems.push(`changes ${actionLabel(action)} from category ${action.category} to ${candidates[0]!.actionTypeId?.category ?? 'none'}`);
    }
  }
  return problems;
}

interface EnvironmentVariable {
  name?: unknown;
  value?: unknown;
  type?: unknown;
}

/** Plaintext environment variables that hold secrets, by name (and AWS keys by value): names only are returned. */
export function plaintextSecrets(parameters: Record<string, unknown> | null | undefined): string[] {
  const p = asRecord(parameters);
  const vars = [...(asRecord(p.environment).environmentVariables as unknown[] | undefined ?? []), ...((p.environmentVariablesOverride as unknown[] | undefined) ?? [])];
  return vars
    .map((v) => asRecord(v) as EnvironmentVariable)
    .filter((v) => (v.type === undefined || v.type === 'PLAINTEXT') && typeof v.name === 'string')
    .filter((v) => SECRET_ENV_NAME.test(v.name as string) || (typeof v.value === 'string' && AWS_KEY_VALUE.test(v.value)))
    .map((v) => v.name as string);
}

/** The trail after a change, as UpdateTrail/CreateTrail return it in responseElements (GetTrail would read the same). */
export interface TrailState {
  name?: string;
  s3BucketName?: string;
  kmsKeyId?: string;
  logFileValidationEnabled?: boolean;
  isMultiRegionTrail?: boolean;
  includeGlobalServiceEvents?: boolean;
  cloudWatchLogsLogGroupArn?: string;
}

/**
 * The trail as a CloudTrail record's responseElements carry it: UpdateTrail and CreateTrail answer with the trail
 * after the call (API reference "UpdateTrail" response elements: Name, S3BucketName, KmsKeyId,
 * LogFileValidationEnabled, IsMultiRegionTrail, IncludeGlobalServiceEvents, TrailARN, …; camelCase in the record).
 * Undefined when the record has none (a failed call: `responseElements: null`).
 */
export function trailStateOf(responseElements: unknown): TrailState | undefined {
  const r = asRecord(responseElements);
  if (r.trailARN === undefined && r.name === undefined) return undefined;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const flag = (v: unknown) => (typeof v === 'boolean' ? v : undefined);
  const state: TrailState = {
    name: text(r.name),
    s3BucketName: text(r.s3BucketName),
    kmsKeyId: text(r.kmsKeyId),
    logFileValidationEnabled: flag(r.logFileValidationEnabled),
    isMultiRegionTrail: flag(r.isMultiRegionTrail),
    includeGlobalServiceEvents: flag(r.includeGlobalServiceEvents),
    cloudWatchLogsLogGroupArn: text(r.cloudWatchLogsLogGroupArn),
  };
  return Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined)) as TrailState;
}

/**
 * What an UpdateTrail switches off or redirects. A console edit sends every field again, unchanged ones included, so
 * a field's mere presence says nothing: only a value that weakens the trail counts, and the trail after the call
 * (responseElements) must agree. The state before the call is in neither the event nor GetTrail (which returns the
 * same post-update trail), so a bucket is a redirection only against the buckets the trail may use (TRAIL_LOG_BUCKETS).
 */
export function trailWeakenings(parameters: Record<string, unknown> | null | undefined, after?: TrailState, logBuckets: readonly string[] = []): string[] {
  const p = asRecord(parameters);
  const out: string[] = [];
  const confirmed = (field: keyof TrailState, weak: unknown) => after === undefined || after[field] === undefined || after[field] === weak;
  if (p.enableLogFileValidation === false && confirmed('logFileValidationEnabled', false)) out.push('turns log file validation off');
  if (p.isMultiRegionTrail === false && confirmed('isMultiRegionTrail', false)) out.push('makes the trail single-Region');
  if (p.includeGlobalServiceEvents === false && confirmed('includeGlobalServiceEvents', false)) out.push('stops recording global service events');
  if (p.kmsKeyId === '' && after?.kmsKeyId === undefined) out.push('removes the KMS encryption of the logs (kmsKeyId cleared)');
  if (p.cloudWatchLogsLogGroupArn === '' && after?.cloudWatchLogsLogGroupArn === undefined) out.push('stops delivery to CloudWatch Logs');
  const bucket = typeof p.s3BucketName === 'string' && p.s3BucketName !== '' ? p.s3BucketName : undefined;
  if (bucket && logBuckets.length > 0 && !matchesPattern(bucket, logBuckets)) out.push(`sends the logs to bucket ${bucket}, not one of the trail's log buckets (${logBuckets.join(', ')})`);
  return out;
}

/** What a CreateTrail leaves out: the settings CloudTrail.1/.2/.4 (multi-Region, KMS, validation) check. */
function createdTrailGaps(after: TrailState | undefined, parameters: Record<string, unknown> | null | undefined): string[] {
  const p = asRecord(parameters);
  const state: TrailState = after ?? {
    logFileValidationEnabled: p.enableLogFileValidation === true,
    isMultiRegionTrail: p.isMultiRegionTrail === true,
    ...(typeof p.kmsKeyId === 'string' && p.kmsKeyId !== '' ? { kmsKeyId: p.kmsKeyId } : {}),
  };
  return [
    state.logFileValidationEnabled !== true ? 'without log file validation' : undefined,
    state.isMultiRegionTrail !== true ? 'single-Region' : undefined,
    state.kmsKeyId === undefined ? 'without KMS encryption' : undefined,
  ].filter((g): g is string => !!g);
}

/** Event selectors that stop recording management events or write events. */
export function selectorWeakenings(parameters: Record<string, unknown> | null | undefined): string[] {
  const p = asRecord(parameters);
  const out: string[] = [];
  for (const s of (p.eventSelectors as unknown[] | undefined) ?? []) {
    const selector = asRecord(s);
    if (selector.includeManagementEvents === false) out.push('excludes management events');
    if (selector.readWriteType === 'ReadOnly') out.push('records read-only events only');
    const excluded = selector.excludeManagementEventSources;
    if (Array.isArray(excluded) && excluded.length > 0) out.push(`excludes events from ${excluded.join(', ')}`);
  }
  return [...new Set(out)];
}

function lower(label: SeverityLabel): SeverityLabel {
  return SEVERITY_LABELS[Math.max(severityRank('LOW'), severityRank(label) - 1)]!;
}

function atLeast(label: SeverityLabel, floor: SeverityLabel): SeverityLabel {
  return severityRank(label) >= severityRank(floor) ? label : floor;
}

type BaseJudgement = Omit<Judgement, 'severity'> & { severity: SeverityLabel };

function judgePipeline(change: ChangeDescription, raw: Record<string, unknown> | null | undefined, config: AlerterConfig): BaseJudgement {
  const name = change.resources[0]?.name ?? 'unknown';
  const remediation = 'Confirm the change with its author; restore the pipeline definition from infrastructure as code if it was not intended.';
  switch (change.eventName) {
    case 'DeletePipeline':
      return { severity: 'HIGH', reasons: [`deletes pipeline ${name}`], types: [PIPELINE_CHANGE], remediation };
    case 'UpdatePipeline':
    case 'CreatePipeline': {
      const expected = expectationFor(config, name);
      const stages = stagesOf(raw);
      const verb = change.eventName === 'CreatePipeline' ? 'creates' : 'updates';
      if (!expected) {
        return { severity: 'LOW', reasons: [`${verb} pipeline ${name} (no expected definition configured, so stages were not checked)`], types: [PIPELINE_CHANGE], remediation };
      }
      if (!stages) {
        return { severity: 'MEDIUM', reasons: [`${verb} pipeline ${name}, but the event carries no stages to check`], types: [PIPELINE_CHANGE], remediation };
      }
      const problems = comparePipeline(stages, expected);
      if (problems.length > 0) {
        return { severity: 'CRITICAL', reasons: problems.map((p) => `${verb} pipeline ${name}: ${p}`), types: [DEFENSE_EVASION, PIPELINE_CHANGE], remediation };
      }
      return {
        severity: change.eventName === 'CreatePipeline' ? 'MEDIUM' : 'LOW',
        reasons: [`${verb} pipeline ${name}; every expected stage and action is still there`],
        types: [PIPELINE_CHANGE],
        remediation,
      };
    }
    default:
      return unlisted(change, `${change.eventName} on pipeline ${name}`, PIPELINE_CHANGE);
  }
}

/**
 * The project a CreateProject/UpdateProject made: the request, or the response's `project` when the request does
 * not carry the spec (CodeBuild's documented record has requestParameters `{"awsActId": …}` only). CodeBuild hides
 * access key ids and Parameter Store/Secrets Manager strings in its records; names and types stay, which is what is read.
 */
export function projectSpecOf(parameters: Record<string, unknown> | null | undefined, responseElements: unknown): Record<string, unknown> {
  const p = asRecord(parameters);
  if (p.environment !== undefined || p.source !== undefined || p.environmentVariablesOverride !== undefined) return p;
  const project = asRecord(asRecord(responseElements).project);
  return Object.keys(project).length > 0 ? project : p;
}

function judgeProject(change: ChangeDescription, raw: Record<string, unknown> | null | undefined, responseElements: unknown): BaseJudgement {
  const name = change.resources[0]?.name ?? 'unknown';
  const remediation = 'Confirm the change with its author; keep secrets in Parameter Store or Secrets Manager, never as PLAINTEXT environment variables.';
  if (change.eventName === 'DeleteProject') return { severity: 'HIGH', reasons: [`deletes build project ${name}`], types: [BUILD_CHANGE], remediation };
  if (!['CreateProject', 'UpdateProject'].includes(change.eventName)) return unlisted(change, `${change.eventName} on build project ${name}`, BUILD_CHANGE);
  const spec = projectSpecOf(raw, responseElements);
  const secrets = plaintextSecrets(spec);
  const reasons: string[] = [];
  const types = [BUILD_CHANGE];
  let severity: SeverityLabel = 'LOW';
  if (secrets.length > 0) {
    severity = 'HIGH';
    types.push(PLAINTEXT_SECRET);
    reasons.push(`puts secrets in PLAINTEXT environment variables: ${secrets.join(', ')}`);
  }
  const p = spec;
  const sensitive = [
    asRecord(p.source).buildspec !== undefined ? 'the buildspec' : undefined,
    p.serviceRole !== undefined && change.eventName === 'UpdateProject' ? 'the service role' : undefined,
    asRecord(p.environment).image !== undefined && change.eventName === 'UpdateProject' ? 'the build image' : undefined,
    asRecord(p.environment).privilegedMode === true ? 'privileged mode (on)' : undefined,
  ].filter((s): s is string => !!s);
  if (sensitive.length > 0) {
    severity = atLeast(severity, 'MEDIUM');
    reasons.push(`sets ${sensitive.join(', ')}`);
  }
  const verb = change.eventName === 'CreateProject' ? 'creates' : 'updates';
  return { severity, reasons: [`${verb} build project ${name}`, ...reasons], types, remediation };
}

/** A call without a row of its own: typed by what it does (UNLISTED_CALL_TYPES), else the service's change type. */
function unlisted(change: ChangeDescription, reason: string, serviceType: string): BaseJudgement {
  const type = UNLISTED_CALL_TYPES[change.eventName];
  const severity: SeverityLabel = type === EXECUTION && change.service === 'ssm' ? 'MEDIUM' : 'LOW';
  const remediation =
    type === EXECUTION
      ? 'Confirm with its author what was run and on what; stop it if it was not expected.'
      : type === CREDENTIAL_ACCESS
        ? 'Confirm who read the secret and why; rotate it if the read was not expected.'
        : type === IMPACT
          ? 'Confirm why the pipeline or build was stopped or blocked, and restart it if that was not intended.'
          : 'Review the change.';
  return { severity, reasons: [reason], types: type ? [type] : [serviceType], remediation };
}

function judgeTrail(change: ChangeDescription, raw: Record<string, unknown> | null | undefined, responseElements: unknown, config: AlerterConfig): BaseJudgement {
  const name = change.resources[0]?.name ?? 'unknown';
  const remediation = 'Turn logging back on (StartLogging) or restore the trail, and find out who changed it and why.';
  const after = trailStateOf(responseElements);
  switch (change.eventName) {
    case 'StopLogging':
      return { severity: 'CRITICAL', reasons: [`stops logging on trail ${name}`], types: [`${DEFENSE_EVASION}/StopLogging`], remediation };
    case 'DeleteTrail':
      return { severity: 'CRITICAL', reasons: [`deletes trail ${name}`], types: [`${DEFENSE_EVASION}/DeleteTrail`], remediation };
    case 'StartLogging':
      return {
        severity: 'LOW',
        reasons: [`turns logging back on for trail ${name}; events between the StopLogging and now were not recorded`],
        types: [TRAIL_CHANGE],
        remediation: 'Find out why logging was off (look for the StopLogging alert) and review what happened while it was.',
      };
    case 'CreateTrail': {
      const gaps = createdTrailGaps(after, raw);
      return gaps.length > 0
        ? { severity: 'MEDIUM', reasons: [`creates trail ${name} ${gaps.join(', ')}`], types: [TRAIL_CHANGE], remediation: 'Turn on log file validation, multi-Region and KMS encryption for the trail (CloudTrail.4, .1, .2).' }
        : { severity: 'LOW', reasons: [`creates trail ${name}`], types: [TRAIL_CHANGE], remediation: 'Confirm the new trail with its author.' };
    }
    case 'UpdateTrail': {
      const weakenings = trailWeakenings(raw, after, config.trailLogBuckets);
      if (weakenings.length > 0) {
        return { severity: 'HIGH', reasons: weakenings.map((w) => `updates trail ${name}: ${w}`), types: [`${DEFENSE_EVASION}/UpdateTrail`, TRAIL_CHANGE], remediation };
      }
      const bucket = asRecord(raw).s3BucketName;
      const unchecked =
        typeof bucket === 'string' && bucket !== '' && config.trailLogBuckets.length === 0
          ? [`updates trail ${name}: logs go to bucket ${bucket} (not checked against a previous bucket: set TRAIL_LOG_BUCKETS)`]
          : [];
      return {
        severity: 'MEDIUM',
        reasons: [`updates trail ${name}; nothing that weakens it (validation, multi-Region, global events, KMS, bucket) is switched off or redirected`, ...unchecked],
        types: [TRAIL_CHANGE],
        remediation: 'Confirm the change with its author.',
      };
    }
    case 'PutEventSelectors': {
      const weakenings = selectorWeakenings(raw);
      return weakenings.length > 0
        ? { severity: 'HIGH', reasons: weakenings.map((w) => `changes what trail ${name} records: ${w}`), types: [`${DEFENSE_EVASION}/PutEventSelectors`, TRAIL_CHANGE], remediation }
        : { severity: 'MEDIUM', reasons: [`changes what trail ${name} records`], types: [TRAIL_CHANGE], remediation };
    }
    default:
      return { ...unlisted(change, `${change.eventName} on trail ${name}`, TRAIL_CHANGE), severity: 'MEDIUM' };
  }
}

function judgeParameter(change: ChangeDescription, raw: Record<string, unknown> | null | undefined): BaseJudgement {
  const names = change.resources.map((r) => r.name).join(', ') || 'unknown';
  const remediation = 'Confirm the scanner token change with its owner; rotate the token if the change was not expected.';
  switch (change.eventName) {
    case 'DeleteParameter':
    case 'DeleteParameters':
      return { severity: 'HIGH', reasons: [`deletes scanner secret parameter(s) ${names}`], types: [SECRET_CHANGE], remediation };
    case 'PutParameter': {
      const type = asRecord(raw).type;
      return type === 'String' || type === 'StringList'
        ? { severity: 'HIGH', reasons: [`writes scanner secret ${names} as a plaintext ${type}, not a SecureString`], types: [SECRET_CHANGE, PLAINTEXT_SECRET], remediation }
        : { severity: 'MEDIUM', reasons: [`replaces the value of scanner secret ${names}`], types: [SECRET_CHANGE], remediation };
    }
    case 'LabelParameterVersion':
    case 'UnlabelParameterVersion':
      return { severity: 'MEDIUM', reasons: [`moves version labels of scanner secret ${names}`], types: [SECRET_CHANGE], remediation };
    default:
      // A Systems Manager call that names no parameter (SendCommand, StartSession…) is not about a scanner secret.
      return change.resources.length > 0
        ? unlisted(change, `${change.eventName} on scanner secret ${names}`, SECRET_CHANGE)
        : unlisted(change, `${change.eventName} (Systems Manager)`, BEST_PRACTICES);
  }
}

/**
 * Severity of one change (the full table is in README.md). Two adjustments apply to every row:
 * a call that failed (errorCode) is an attempt and counts one level lower (never below LOW);
 * a call made by the root user is at least HIGH.
 */
export function judgeChange(
  change: ChangeDescription,
  rawParameters: Record<string, unknown> | null | undefined,
  config: AlerterConfig,
  responseElements?: unknown,
): Judgement {
  let base: BaseJudgement;
  switch (change.service) {
    case 'codepipeline':
      base = judgePipeline(change, rawParameters, config);
      break;
    case 'codebuild':
      base = judgeProject(change, rawParameters, responseElements);
      break;
    case 'cloudtrail':
      base = judgeTrail(change, rawParameters, responseElements, config);
      break;
    case 'ssm':
      base = judgeParameter(change, rawParameters);
      break;
    default:
      base = unlisted(change, `${change.eventName} (${change.eventSource})`, BEST_PRACTICES);
  }
  let severity = base.severity;
  const reasons = [...base.reasons];
  if (change.failure) {
    severity = lower(severity);
    reasons.push(`the call failed (${change.failure.code}): an attempt, not a change`);
  }
  if (change.actor.type === 'Root') {
    severity = atLeast(severity, 'HIGH');
    reasons.push('made with the root user');
  }
  return { ...base, severity, reasons };
}
