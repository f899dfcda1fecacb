import { parseSeverityLabel, type SeverityLabel } from '@devsecops/asff';
import * as z from 'zod';

/** An action the pipeline must keep: by name, optionally in a given stage and of a given category. */
export interface ExpectedAction {
  name: string;
  stage?: string;
  /** CodePipeline action category (Source, Build, Test, Approval, Deploy, Invoke, Compute). */
  category?: string;
  /** What the action is for, used in the alert text: e.g. "scan", "approval", "gate". */
  role?: string;
}

/** What a pipeline's definition must contain (EXPECTED_PIPELINE). */
export interface PipelineExpectation {
  /** Stage names that must be present, in this order (other stages may sit between them). */
  stages: string[];
  actions: ExpectedAction[];
}

/** Name patterns: exact names, or prefixes ending in `*`. An empty list watches every resource of that kind. */
export interface WatchList {
  pipelines: string[];
  projects: string[];
  trails: string[];
  parameters: string[];
}

export interface AlerterConfig {
  alertTopicArn: string;
  watch: WatchList;
  /** Expectation for every watched pipeline, or per pipeline name. */
  expectations: { all?: PipelineExpectation; byPipeline: Record<string, PipelineExpectation> };
  /**
   * Buckets the watched trails may deliver to (TRAIL_LOG_BUCKETS; names, or prefixes ending in `*`). An UpdateTrail
   * naming another bucket redirects the logs. Empty: not checked, because neither the event nor GetTrail says which
   * bucket the trail used before the update.
   */
  trailLogBuckets: string[];
  /** Alerts below this severity are imported into Security Hub but not mailed. */
  minMailSeverity: SeverityLabel;
  importFindings: boolean;
}

const name = z.string().trim().min(1);
const ExpectedActionSchema = z.union([
  name.transform((n): ExpectedAction => ({ name: n })),
  z.strictObject({ name, stage: name.optional(), category: name.optional(), role: name.optional() }),
]);
const ExpectationSchema = z.strictObject({
  stages: z.array(name).default([]),
  actions: z.array(ExpectedActionSchema).default([]),
});
const ExpectationsSchema = z.union([
  z.strictObject({ byPipeline: z.record(name, ExpectationSchema) }).transform((v) => ({ byPipeline: v.byPipeline })),
  ExpectationSchema.transform((all) => ({ all, byPipeline: {} as Record<string, PipelineExpectation> })),
]);

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Reads the alerter's configuration; throws an Error naming every bad variable. */
export function alerterConfigFromEnv(env: NodeJS.ProcessEnv): AlerterConfig {
  const problems: string[] = [];
  const alertTopicArn = env.ALERT_TOPIC_ARN?.trim() ?? '';
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(alertTopicArn)) problems.push('ALERT_TOPIC_ARN: must be an SNS topic ARN');
  let expectations: AlerterConfig['expectations'] = { byPipeline: {} };
  if (env.EXPECTED_PIPELINE?.trim()) {
    try {
      const parsed = ExpectationsSchema.safeParse(JSON.parse(env.EXPECTED_PIPELINE));
      if (parsed.success) expectations = parsed.data;
      else problems.push(`EXPECTED_PIPELINE: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    } catch {
      problems.push('EXPECTED_PIPELINE: is not valid JSON');
    }
  }
  const minMailSeverity = env.ALERT_MIN_SEVERITY?.trim() ? parseSeverityLabel(env.ALERT_MIN_SEVERITY) : 'LOW';
  if (!minMailSeverity) problems.push(`ALERT_MIN_SEVERITY: must be a severity label, got "${env.ALERT_MIN_SEVERITY}"`);
  const importFlag = (env.IMPORT_FINDINGS ?? 'true').trim().toLowerCase();
  if (!['true', 'false'].includes(importFlag)) problems.push('IMPORT_FINDINGS: must be true or false');
  if (problems.length > 0) throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  return {
    alertTopicArn,
    watch: {
      pipelines: list(env.WATCHED_PIPELINES),
      projects: list(env.WATCHED_PROJECTS),
      trails: list(env.WATCHED_TRAILS),
      parameters: list(env.WATCHED_PARAMETERS),
    },
    expectations,
    trailLogBuckets: list(env.TRAIL_LOG_BUCKETS),
    minMailSeverity: minMailSeverity!,
    importFindings: importFlag === 'true',
  };
}

/** True when `name` matches a pattern: exactly, or by prefix for a pattern ending in `*`. */
export function matchesPattern(name: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
}

export function expectationFor(config: AlerterConfig, pipelineName: string): PipelineExpectation | undefined {
  return config.expectations.byPipeline[pipelineName] ?? config.expectations.all;
}
