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

/** What an UpdateTrail request switches off or redirects. */
export function trailWeakenings(parameters: Record<string, unknown> | null | undefined): string[] {
  const p = asRecord(parameters);
  const out: string[] = [];
  if (p.enableLogFileValidation === false) out.push('turns log file validation off');
  if (p.isMultiRegionTrail === false) out.push('makes the trail single-Region');
  if (p.includeGlobalServiceEvents === false) out.push('stops recording global service events');
  if (p.kmsKeyId === '') out.push('removes the KMS encryption');
  if (p.cloudWatchLogsLogGroupArn === '') out.push('stops delivery to CloudWatch Logs');
  if (typeof p.s3BucketName === 'string') out.push(`sends the logs to bucket ${p.s3BucketName}`);
  return out;
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
      return { severity: 'LOW', reasons: [`${change.eventName} on pipeline ${name}`], types: [PIPELINE_CHANGE], remediation };
  }
}

function judgeProject(change: ChangeDescription, raw: Record<string, unknown> | null | undefined): BaseJudgement {
  const name = change.resources[0]?.name ?? 'unknown';
  const remediation = 'Confirm the change with its author; keep secrets in Parameter Store or Secrets Manager, never as PLAINTEXT environment variables.';
  if (change.eventName === 'DeleteProject') return { severity: 'HIGH', reasons: [`deletes build project ${name}`], types: [BUILD_CHANGE], remediation };
  const secrets = plaintextSecrets(raw);
  const reasons: string[] = [];
  const types = [BUILD_CHANGE];
  let severity: SeverityLabel = 'LOW';
  if (secrets.length > 0) {
    severity = 'HIGH';
    types.push(PLAINTEXT_SECRET);
    reasons.push(`puts secrets in PLAINTEXT environment variables: ${secrets.join(', ')}`);
  }
  const p = asRecord(raw);
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
  const verb = change.eventName === 'CreateProject' ? 'creates' : change.eventName === 'UpdateProject' ? 'updates' : change.eventName;
  return { severity, reasons: [`${verb} build project ${name}`, ...reasons], types, remediation };
}

function judgeTrail(change: ChangeDescription, raw: Record<string, unknown> | null | undefined): BaseJudgement {
  const name = change.resources[0]?.name ?? 'unknown';
  const remediation = 'Turn logging back on (StartLogging) or restore the trail, and find out who changed it and why.';
  switch (change.eventName) {
    case 'StopLogging':
      return { severity: 'CRITICAL', reasons: [`stops logging on trail ${name}`], types: [`${DEFENSE_EVASION}/StopLogging`], remediation };
    case 'DeleteTrail':
      return { severity: 'CRITICAL', reasons: [`deletes trail ${name}`], types: [`${DEFENSE_EVASION}/DeleteTrail`], remediation };
    case 'UpdateTrail': {
      const weakenings = trailWeakenings(raw);
      return weakenings.length > 0
        ? { severity: 'HIGH', reasons: weakenings.map((w) => `updates trail ${name}: ${w}`), types: [`${DEFENSE_EVASION}/UpdateTrail`, TRAIL_CHANGE], remediation }
        : { severity: 'MEDIUM', reasons: [`updates trail ${name}`], types: [TRAIL_CHANGE], remediation };
    }
    case 'PutEventSelectors': {
      const weakenings = selectorWeakenings(raw);
      return weakenings.length > 0
        ? { severity: 'HIGH', reasons: weakenings.map((w) => `changes what trail ${name} records: ${w}`), types: [`${DEFENSE_EVASION}/PutEventSelectors`, TRAIL_CHANGE], remediation }
        : { severity: 'MEDIUM', reasons: [`changes what trail ${name} records`], types: [TRAIL_CHANGE], remediation };
    }
    default:
      return { severity: 'MEDIUM', reasons: [`${change.eventName} on trail ${name}`], types: [TRAIL_CHANGE], remediation };
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
      return { severity: 'LOW', reasons: [`${change.eventName} on scanner secret ${names}`], types: [SECRET_CHANGE], remediation };
  }
}

/**
 * Severity of one change (the full table is in README.md). Two adjustments apply to every row:
 * a call that failed (errorCode) is an attempt and counts one level lower (never below LOW);
 * a call made by the root user is at least HIGH.
 */
export function judgeChange(change: ChangeDescription, rawParameters: Record<string, unknown> | null | undefined, config: AlerterConfig): Judgement {
  let base: BaseJudgement;
  switch (change.service) {
    case 'codepipeline':
      base = judgePipeline(change, rawParameters, config);
      break;
    case 'codebuild':
      base = judgeProject(change, rawParameters);
      break;
    case 'cloudtrail':
      base = judgeTrail(change, rawParameters);
      break;
    case 'ssm':
      base = judgeParameter(change, rawParameters);
      break;
    default:
      base = { severity: 'LOW', reasons: [`${change.eventName} (${change.eventSource})`], types: [PIPELINE_CHANGE], remediation: 'Review the change.' };
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
