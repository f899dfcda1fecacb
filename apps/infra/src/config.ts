import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { SEVERITY_LABELS } from '@devsecops/asff';
import { z } from 'zod';
import { PLAYBOOK_CONTROL_IDS } from './lambda-contracts';
import { applicationResourceNames, scanSlug } from './names';

/**
 * Deployment configuration: everything that differs between installations lives here, so nothing
 * (branch, names, partition, account) is hard-coded in the stacks.
 */

const nonBlank = z.string().trim().min(1);

/** CloudFormation-safe name fragment used for stack names and SSM paths. */
const namePrefix = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,30}$/, 'lower-case letters, digits and hyphens, starting with a letter, at most 31 characters');

const gateThreshold = z
  .string()
  .transform((v) => v.trim().toUpperCase())
  .pipe(z.enum(['NONE', ...SEVERITY_LABELS]));

/** An SSM parameter name as CloudFormation and IAM see it: absolute path or plain name, no ARN. */
const parameterName = z
  .string()
  .trim()
  .regex(/^\/?[A-Za-z0-9_.\-/]+$/, 'an SSM parameter name such as /devsecops/sonarqube/token (not an ARN)')
  .refine((v) => !v.startsWith('/aws/') && !v.startsWith('aws/'), 'the aws/ namespace is reserved');

/**
 * A secret is never a value in the configuration: it is a reference that CodeBuild resolves at build time,
 * from Parameter Store (a SecureString) or Secrets Manager.
 */
export const SecretRefSchema = z.union([
  z.strictObject({ parameter: parameterName }),
  z.strictObject({
    secret: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9/_+=.@-]+$/, 'a Secrets Manager secret name (not an ARN)'),
    jsonKey: nonBlank.optional(),
  }),
]);
export type SecretRef = z.infer<typeof SecretRefSchema>;

const branchName = z
  .string()
  .trim()
  .min(1)
  .refine((v) => !v.startsWith('refs/') && !/[\s~^:?*[\\]/.test(v), 'a branch name such as main (no refs/ prefix, no spaces or glob characters)');

const SourceSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('codecommit'),
    repositoryName: z.string().regex(/^[\w.-]{1,100}$/, 'a CodeCommit repository name'),
    /** true: the stack creates the repository; false: it must exist already. */
    create: z.boolean().default(false),
    branch: branchName,
  }),
  z.strictObject({
    type: z.literal('connection'),
    /** A CodeStar / CodeConnections connection (GitHub, GitHub Enterprise, GitLab, Bitbucket), created and authorised beforehand. */
    connectionArn: z.string().regex(/^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[\w-]+$/, 'a CodeStar/CodeConnections connection ARN'),
    provider: z.enum(['GitHub', 'GitHubEnterpriseServer', 'GitLab', 'GitLabSelfManaged', 'Bitbucket']),
    /** owner/repository (GitLab groups may nest: group/subgroup/repository). */
    repository: z.string().regex(/^[\w.-]+(\/[\w.-]+)+$/, 'owner/repository'),
    branch: branchName,
  }),
]);

const imageOverride = z.string().trim().min(1).optional();

const ScaSchema = z.strictObject({
  /** OWASP Dependency-Check CLI release, downloaded in the build and kept in the S3 cache. */
  dependencyCheckVersion: z.string().regex(/^\d+\.\d+\.\d+$/).default('12.1.0'),
  /** SHA-256 of the release zip; when set the build refuses a download that does not match. */
  dependencyCheckSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  nvdApiKey: SecretRefSchema,
  /** Paths inside the checkout to scan. */
  scanPaths: z.array(nonBlank).min(1).default(['.']),
  excludes: z.array(nonBlank).default([]),
  failOn: gateThreshold.default('HIGH'),
  buildImage: imageOverride,
});

const SonarQubeSchema = z.strictObject({
  tool: z.literal('sonarqube'),
  serverUrl: z.url({ protocol: /^https?$/ }),
  projectKey: z.string().regex(/^[\w.:-]+$/, 'a SonarQube project key'),
  token: SecretRefSchema,
  /** SonarScanner CLI version (binaries.sonarsource.com). */
  scannerVersion: z.string().regex(/^\d+(\.\d+){2,3}$/).default('7.1.0.4889'),
  failOn: gateThreshold.default('HIGH'),
  buildImage: imageOverride,
});

const PhpStanSchema = z.strictObject({
  tool: z.literal('phpstan'),
  phpstanVersion: z.string().regex(/^\d+\.\d+(\.\d+)?$/).default('2.1.17'),
  level: z.union([z.int().min(0).max(10), z.literal('max')]).default(5),
  paths: z.array(nonBlank).min(1).default(['src']),
  /** A phpstan.neon in the repository; when set, level and paths come from it. */
  configFile: nonBlank.optional(),
  phpVersion: z.string().regex(/^8\.\d$/).default('8.3'),
  failOn: gateThreshold.default('HIGH'),
  buildImage: imageOverride,
});

const SarifSchema = z.strictObject({
  tool: z.literal('sarif'),
  /** Commands that install the scanner (pinned versions). */
  install: z.array(nonBlank).default([]),
  /** The command that writes a SARIF 2.1.0 report; its exit code is honoured. */
  command: nonBlank,
  reportFile: nonBlank,
  /** CodeBuild runtime-versions, e.g. {"python": "3.12"}. */
  runtimes: z.record(z.string(), z.string()).default({}),
  failOn: gateThreshold.default('HIGH'),
  buildImage: imageOverride,
});

const SastSchema = z.discriminatedUnion('tool', [SonarQubeSchema, PhpStanSchema, SarifSchema]);

/** Elastic Beanstalk's deployment policies (aws:elasticbeanstalk:command DeploymentPolicy). */
export const EB_DEPLOYMENT_POLICIES = ['AllAtOnce', 'Rolling', 'RollingWithAdditionalBatch', 'Immutable', 'TrafficSplitting'] as const;
export type EbDeploymentPolicy = (typeof EB_DEPLOYMENT_POLICIES)[number];

const ElasticBeanstalkTarget = z.strictObject({
  applicationName: z.string().min(1).max(100),
  environmentName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,38}[A-Za-z0-9]$/, 'an Elastic Beanstalk environment name (4-40 characters)'),
  /** The environment's DeploymentPolicy; the deploy action's role gets what that policy needs (AllAtOnce is Beanstalk's API default). */
  deploymentPolicy: z.enum(EB_DEPLOYMENT_POLICIES).default('AllAtOnce'),
  /** The role of the environment's EC2 instance profile: deployments that launch instances pass it to EC2. */
  instanceRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name').default('aws-elasticbeanstalk-ec2-role'),
});

const DastSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    /** Drive a long-running ZAP daemon through its API (findings-cli zap-scan). */
    mode: z.literal('zap-server'),
    zapUrl: z.url({ protocol: /^https?$/ }),
    apiKey: z.strictObject({ parameter: parameterName }),
    baseline: z.boolean().default(false),
    /** Start from an empty ZAP session, so the report holds this scan's alerts only (false for a shared daemon). */
    newSession: z.boolean().default(true),
    timeoutMinutes: z.int().min(5).max(480).default(60),
    failOn: gateThreshold.default('HIGH'),
  }),
  z.strictObject({
    /** Run ZAP's packaged scan in Docker inside the build (the only privileged project). */
    mode: z.literal('in-build'),
    image: z.string().regex(/^[\w./-]+(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/).default('ghcr.io/zaproxy/zaproxy:stable'),
    scan: z.enum(['baseline', 'full']).default('baseline'),
    timeoutMinutes: z.int().min(5).max(480).default(60),
    failOn: gateThreshold.default('HIGH'),
  }),
]);

const email = z.email();

const NOTIFIED_STATES = ['STARTED', 'SUCCEEDED', 'FAILED', 'CANCELED', 'STOPPED', 'STOPPING', 'SUPERSEDED', 'RESUMED'] as const;

const CloudTrailSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('create'),
    /** Also deliver to CloudWatch Logs (KMS-encrypted), needed by NIST/HIPAA checks and metric filters. */
    cloudWatchLogs: z.boolean().default(true),
    retentionDays: z.int().min(1).default(365),
  }),
  z.strictObject({
    /** An organisation or account trail that already exists; only its name is recorded. */
    mode: z.literal('existing'),
    trailName: nonBlank,
  }),
]);

/** 12-digit AWS account id. */
const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id');

const roleArn = z
  .string()
  .trim()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'an IAM role ARN such as arn:aws:iam::111122223333:role/devsecops-securityhub-import');

/**
 * An application's name: part of its pipeline's stack id, stack name, pipeline name and CodeBuild project names.
 * The application named like the installation keeps the single-application names (see names.ts).
 */
const applicationName = z
  .string()
  .regex(/^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/, 'lower-case letters, digits and inner hyphens, starting with a letter, at most 32 characters');

/**
 * A scan's category (GitHub code scanning's `category`): with tool, repository and branch it identifies a scan, so two
 * scans of one repository with the same tool (backend and frontend, two ZAP targets) never archive each other's
 * findings. A scan without a category keeps the Ids and scope it had before categories existed.
 */
export const ScanCategorySchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][\w./:@-]{0,99}$/, 'a category of letters, digits and . _ / : @ - (at most 100 characters, no spaces)');

/**
 * A scanner's own schema plus the application-only `category`: the scanner schema stays the single source of its
 * settings (a tool added to it is a tool applications can use), the category is taken off before it validates.
 */
function withScanCategory<T extends z.ZodType<object>>(schema: T) {
  return z.unknown().transform((value, ctx): z.output<T> & { category?: string } => {
    let rest = value;
    let category: string | undefined;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'category' in value) {
      const { category: raw, ...others } = value as Record<string, unknown>;
      rest = others;
      const parsed = ScanCategorySchema.safeParse(raw);
      if (parsed.success) category = parsed.data;
      else for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: ['category'] });
    }
    const parsed = schema.safeParse(rest);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[] });
      return z.NEVER;
    }
    return { ...parsed.data, ...(category !== undefined ? { category } : {}) };
  });
}

/** The SCA scan of an application: the Dependency-Check settings, plus its category. */
const ApplicationScaSchema = withScanCategory(ScaSchema);
/** One SAST scan of an application: any SAST tool, plus its category. */
const ApplicationSastSchema = withScanCategory(SastSchema);

/** Approvers of one application's releases, and how long its approval waits. */
const ApplicationApprovalSchema = z
  .strictObject({
    /** Mailed only this application's approval requests (an SNS filter on the pipeline name). */
    emails: z.array(email).default([]),
    timeoutMinutes: z.int().min(5).max(10080).default(10080),
  })
  .prefault({});

/**
 * The gate of one application. `failOn` is the threshold of each of its scans that sets none of its own (else the
 * scan's default, HIGH). Other gate settings belong here too: this object is the place to extend.
 */
export const ApplicationGateSchema = z.strictObject({
  failOn: gateThreshold.optional(),
});

const ApplicationObjectSchema = z
  .strictObject({
    name: applicationName,
    /**
     * The workload account the application lives in, when it is not the tooling account that runs the pipeline:
     * its findings are imported into that account's Security Hub through `importRoleArn`.
     */
    account: accountId.optional(),
    /** The role the parser functions assume to import into `account` (default: `<name>-securityhub-import` there). */
    importRoleArn: roleArn.optional(),
    source: SourceSchema,
    sca: ApplicationScaSchema,
    /** One SAST tool, or several that run in parallel, each its own CodeBuild action. */
    sast: z.preprocess((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? [v] : v), z.array(ApplicationSastSchema).min(1)),
    staging: ElasticBeanstalkTarget.extend({ url: z.url({ protocol: /^https?$/ }) }),
    dast: DastSchema,
    approval: ApplicationApprovalSchema,
    production: ElasticBeanstalkTarget,
    gate: ApplicationGateSchema.prefault({}),
  })
  .superRefine((app, ctx) => {
    const seen = new Map<string, number>();
    // Several SAST scans are named by category or tool (names.ts scanSlots): those names must differ.
    app.sast.forEach((scan, i) => {
      const key = scanSlug(scan.category ?? scan.tool);
      const first = seen.get(key);
      if (first !== undefined) {
        const what = app.sast[first]!.tool === scan.tool && !scan.category ? `both "${scan.tool}"` : `both named "${key}"`;
        ctx.addIssue({ code: 'custom', path: ['sast', i, 'category'], message: `SAST scans ${first} and ${i} are ${what}: give each scan of the same tool its own category` });
      } else seen.set(key, i);
    });
    if (app.importRoleArn && !app.account) ctx.addIssue({ code: 'custom', path: ['importRoleArn'], message: 'needs the application\'s account' });
    if (app.importRoleArn && app.account && roleAccount(app.importRoleArn) !== app.account) {
      ctx.addIssue({ code: 'custom', path: ['importRoleArn'], message: `is in account ${roleAccount(app.importRoleArn)}, not the application's account ${app.account}` });
    }
  });

function roleAccount(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/** Lets `gate.failOn` default the threshold of each scan that sets none (the scan schemas default to HIGH). */
function applyGateDefaults(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const app = raw as Record<string, unknown>;
  const failOn = (app.gate as { failOn?: unknown } | undefined)?.failOn;
  if (typeof failOn !== 'string') return raw;
  const withDefault = (scan: unknown) =>
    scan !== null && typeof scan === 'object' && !Array.isArray(scan) && !('failOn' in scan) ? { ...scan, failOn } : scan;
  return {
    ...app,
    ...('sca' in app ? { sca: withDefault(app.sca) } : {}),
    ...('sast' in app ? { sast: Array.isArray(app.sast) ? app.sast.map(withDefault) : withDefault(app.sast) } : {}),
    ...('dast' in app ? { dast: withDefault(app.dast) } : {}),
  };
}

export const ApplicationSchema = z.preprocess(applyGateDefaults, ApplicationObjectSchema);

const s3ObjectUri = z.string().trim().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/, 'an S3 object URI, s3://bucket/key');

/** The scans' gate beyond its threshold (README "Triage and the gate"); the parser Lambdas get it as GATE_* variables. */
const GateSchema = z.strictObject({
  /** new: block only findings that are not open on baseBranch. */
  mode: z.enum(['all', 'new']).default('all'),
  /** Default: the pipeline's own branch. */
  baseBranch: branchName.optional(),
  /** Days an existing finding may stay open, per severity, e.g. {"CRITICAL": 7, "HIGH": 30}. */
  slaDays: z.partialRecord(z.enum(SEVERITY_LABELS), z.int().min(0)).optional(),
  /** CISA KEV catalogue (JSON) and FIRST EPSS scores (CSV or .csv.gz), kept in S3: builds may not reach the internet. */
  kev: s3ObjectUri.optional(),
  epss: s3ObjectUri.optional(),
  failOnEpss: z.number().min(0).max(1).optional(),
  failOnKev: z.boolean().default(true),
  /** fail: a gate that cannot read Security Hub's decisions fails; ignore: it gates without them. */
  onDecisionReadError: z.enum(['fail', 'ignore']).default('fail'),
});

/** The account-wide part: created once, whatever the number of applications. */
const installationShape = {
  /** Prefix of stack names and SSM parameter paths; lets two installations share an account. */
  name: namePrefix.default('devsecops'),
  /**
   * The account that runs the pipelines and the functions. Needed only when an application names another
   * account: the import role there trusts the parser functions of this account.
   */
  toolingAccount: accountId.optional(),
  /** Approvers mailed every application's approval requests (the Foundation's approvers topic). */
  approval: z.strictObject({ emails: z.array(email).default([]) }).prefault({}),
  notifications: z
    .strictObject({
      emails: z.array(email).default([]),
      states: z.array(z.enum(NOTIFIED_STATES)).min(1).default(['FAILED', 'SUCCEEDED', 'CANCELED', 'STOPPED', 'SUPERSEDED']),
    })
    .prefault({}),
  cloudTrail: CloudTrailSchema.default({ mode: 'create', cloudWatchLogs: true, retentionDays: 365 }),
  awsConfig: z.strictObject({ createRecorder: z.boolean().default(false) }).prefault({}),
  securityHub: z.strictObject({ enable: z.boolean().default(false) }).prefault({}),
  /** The auto-remediator: dry run (plan, mark NOTIFIED, change nothing) until you switch it off. */
  remediation: z
    .strictObject({
      dryRun: z.boolean().default(true),
      /** Security Hub controls whose playbook may run; the EventBridge rule and the IAM policy follow this list. */
      playbooks: z.array(z.enum(PLAYBOOK_CONTROL_IDS)).min(1).default([...PLAYBOOK_CONTROL_IDS]),
    })
    .prefault({}),
  lambda: z
    .strictObject({
      logRetentionDays: z.int().min(1).default(90),
      /** Lambda runtime of the six functions; nodejs22.x stays selectable while AWS supports it (deprecated 2027-04-30). */
      runtime: z.enum(['nodejs24.x', 'nodejs22.x']).default('nodejs24.x'),
      tracing: z.boolean().default(true),
      /** Reserved concurrency per function; unset keeps the account pool (new accounts cannot reserve any). */
      reservedConcurrency: z.int().min(1).max(1000).optional(),
      gateFailOn: gateThreshold.default('HIGH'),
      sourceRoots: z.array(nonBlank).default([]),
    })
    .prefault({}),
  reports: z.strictObject({ retentionDays: z.int().min(1).default(400) }).prefault({}),
  /** The scans' gate beyond its threshold, for every application (the parser functions are shared). */
  gate: GateSchema.prefault({}),
};

export const ConfigSchema = z
  .strictObject({
    ...installationShape,
    /** One pipeline each; everything else is shared. */
    applications: z.array(ApplicationSchema).min(1),
  })
  .superRefine((config, ctx) => {
    const byName = new Map<string, number>();
    config.applications.forEach((app, i) => {
      if (byName.has(app.name)) ctx.addIssue({ code: 'custom', path: ['applications', i, 'name'], message: `"${app.name}" is already the name of application ${byName.get(app.name)}` });
      else byName.set(app.name, i);
      if (app.account && app.account !== config.toolingAccount && !config.toolingAccount) {
        ctx.addIssue({ code: 'custom', path: ['toolingAccount'], message: `is required when an application names an account (application ${app.name}): the import role there trusts this account's parser functions` });
      }
    });
    // Derived names must not collide either (an application "sast" beside one with several SAST scans, say).
    const owners = new Map<string, string>();
    for (const [i, app] of config.applications.entries()) {
      for (const name of applicationResourceNames(config.name, app)) {
        const owner = owners.get(name);
        // Within one application the scan names are checked above.
        if (owner !== undefined && owner !== app.name) {
          ctx.addIssue({ code: 'custom', path: ['applications', i, 'name'], message: `derives the ${name.replace(':', ' ')}, which application ${owner} uses already` });
        }
        owners.set(name, app.name);
      }
    }
  });

export type PipelineConfig = z.infer<typeof ConfigSchema>;
export type ApplicationConfig = PipelineConfig['applications'][number];
export type SourceConfig = z.infer<typeof SourceSchema>;
export type ScaConfig = z.infer<typeof ScaSchema>;
export type SastConfig = z.infer<typeof SastSchema>;
export type DastConfig = z.infer<typeof DastSchema>;
export type GateThreshold = z.infer<typeof gateThreshold>;
/** A scan as an application holds it: the scanner's settings plus the application-only `category`. */
export type ApplicationScaConfig = ApplicationConfig['sca'];
export type ApplicationSastConfig = ApplicationConfig['sast'][number];

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }

  /** What a command line prints: one line per problem, each naming the file, never a stack trace. */
  report(): string {
    return this.problems.map((p) => `invalid configuration: ${this.file}: ${p}`).join('\n');
  }
}

/** The keys of the single-application layout that belong to its one application. */
export const SINGLE_APPLICATION_KEYS = ['source', 'sca', 'sast', 'staging', 'dast', 'production'] as const;

interface Normalised {
  raw: unknown;
  /** The input used the single-application layout: paths under applications.0 are reported as they were written. */
  single: boolean;
  /** Per application: its `sast` was one object, so `sast.0.x` is reported as `sast.x`. */
  singleSast: boolean[];
}

/**
 * The single-application layout (`source`, `sca`, `sast`… at the top) is read as a list of one application named like
 * the installation, which keeps every stack, pipeline and project name it had. Its `approval.emails` stay
 * installation-wide (the Foundation's subscriptions), its `approval.timeoutMinutes` is the application's.
 */
function normalise(raw: unknown): Normalised | { problems: string[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { raw, single: false, singleSast: [] };
  const input = raw as Record<string, unknown>;
  const present = SINGLE_APPLICATION_KEYS.filter((k) => k in input);
  const sastShape = (app: unknown) => {
    const sast = (app as Record<string, unknown> | null)?.sast;
    return sast !== null && typeof sast === 'object' && !Array.isArray(sast);
  };
  if ('applications' in input) {
    if (present.length > 0) {
      return { problems: present.map((k) => `${k}: belongs inside an application when the configuration has "applications"`) };
    }
    const apps = Array.isArray(input.applications) ? input.applications : [];
    return { raw, single: false, singleSast: apps.map(sastShape) };
  }
  const { source, sca, sast, staging, dast, production, approval, ...installation } = input;
  const app: Record<string, unknown> = { name: typeof input.name === 'string' ? input.name : 'devsecops', source, sca, sast, staging, dast, production };
  for (const [k, v] of Object.entries(app)) if (v === undefined) delete app[k];
  const out: Record<string, unknown> = { ...installation, applications: [app] };
  if (approval !== null && typeof approval === 'object' && !Array.isArray(approval)) {
    const { emails, ...perApplication } = approval as Record<string, unknown>;
    out.approval = emails === undefined ? {} : { emails };
    app.approval = perApplication;
  } else if (approval !== undefined) {
    out.approval = approval;
  }
  return { raw: out, single: true, singleSast: [sastShape(app)] };
}

function issuePath(path: readonly PropertyKey[], normalised: Normalised): string {
  let segments = [...path];
  if (segments[0] === 'applications' && typeof segments[1] === 'number') {
    const index = segments[1];
    if (normalised.singleSast[index] && segments[2] === 'sast' && segments[3] === 0) segments.splice(3, 1);
    if (normalised.single) segments = segments.slice(2);
  }
  return segments.length > 0 ? segments.map(String).join('.') : '(root)';
}

/** Validates raw configuration; every problem is reported with its path, not only the first. */
export function parseConfig(raw: unknown, source = 'configuration'): PipelineConfig {
  const normalised = normalise(raw);
  if ('problems' in normalised) throw new ConfigError(source, normalised.problems);
  const parsed = ConfigSchema.safeParse(normalised.raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issuePath(issue.path, normalised)}: ${issue.message}`);
    // In the single layout the installation's name is also its application's: report a bad name once.
    const firstNameProblem = problems.findIndex((p) => p.startsWith('name: '));
    throw new ConfigError(
      source,
      problems.filter((p, i) => !(normalised.single && p.startsWith('name: ') && i !== firstNameProblem)).filter((p, i, all) => all.indexOf(p) === i),
    );
  }
  return parsed.data;
}

/**
 * Reads and validates a configuration file. A relative path is tried against each base directory in turn
 * (the CDK app passes apps/infra, then the workspace root, so both `config/mine.json` and
 * `apps/infra/config/mine.json` work); the first that exists is read.
 */
export function loadConfigFile(path: string, baseDir: string | readonly string[] = process.cwd()): PipelineConfig {
  const bases = typeof baseDir === 'string' ? [baseDir] : baseDir;
  const candidates = isAbsolute(path) ? [path] : bases.map((b) => resolve(b, path));
  const file = candidates.find((c) => existsSync(c)) ?? candidates[0]!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const tried = candidates.length > 1 ? ` (also looked for ${candidates.slice(1).join(', ')})` : '';
    throw new ConfigError(file, [`cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}${tried}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [`is not JSON: ${(error as Error).message}`]);
  }
  return parseConfig(raw, file);
}

/** Repository identity the scans report under (matches what the parser Lambdas scope findings by). */
export function repositoryIdentity(source: SourceConfig): string {
  return source.type === 'codecommit' ? source.repositoryName : source.repository;
}

/** Every scanner secret an application references: its pipeline's CloudTrail rule watches changes to exactly these. */
export function scannerSecrets(app: ApplicationConfig): SecretRef[] {
  const refs: SecretRef[] = [app.sca.nvdApiKey];
  for (const sast of app.sast) if (sast.tool === 'sonarqube') refs.push(sast.token);
  if (app.dast.mode === 'zap-server') refs.push(app.dast.apiKey);
  // One reference per secret, in first-seen order (two SonarQube scans may share a token).
  return refs.filter((ref, i) => refs.findIndex((r) => JSON.stringify(r) === JSON.stringify(ref)) === i);
}
