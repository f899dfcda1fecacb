import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { SEVERITY_LABELS } from '@devsecops/asff';
import { z } from 'zod';
import { PLAYBOOK_CONTROL_IDS } from './lambda-contracts';

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

/**
 * Optional VPC placement of a scan project, to reach a private SonarQube, a ZAP daemon or a staging site. The
 * subnets must be private with a route to the internet (NAT) for the scanner downloads, NVD and GitHub.
 */
const VpcSchema = z.strictObject({
  vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'a VPC id such as vpc-0a1b2c3d4e5f67890'),
  subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'a subnet id such as subnet-0a1b2c3d4e5f67890')).min(1),
  securityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'a security group id such as sg-0a1b2c3d4e5f67890')).min(1).max(5),
});
export type VpcConfig = z.infer<typeof VpcSchema>;

/**
 * The default Dependency-Check release and the SHA-256 of its release zip (the GitHub release digest, also pinned by
 * Homebrew). 12.1.0 cannot parse current NVD data (DependencyCheck #7576, #7762, fixed in 12.1.1); from 12.1.6 the
 * OSS Index analyzer is disabled when it has no credentials.
 */
export const DEPENDENCY_CHECK_DEFAULT = { version: '12.2.2', sha256: 'bf07fefd81af3094c5f6850423b014df44db62ce2dbad0f79079a90df675e44a' } as const;

const ScaSchema = z
  .strictObject({
    /** OWASP Dependency-Check CLI release, downloaded in the build and kept in the S3 cache. */
    dependencyCheckVersion: z.string().regex(/^\d+\.\d+\.\d+$/).default(DEPENDENCY_CHECK_DEFAULT.version),
    /** SHA-256 of the release zip; required for any version other than the default (whose digest is built in). */
    dependencyCheckSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    /** false skips the checksum (not recommended: the zip is then trusted over TLS only). */
    verifyChecksum: z.boolean().default(true),
    nvdApiKey: SecretRefSchema,
    /**
     * Sonatype OSS Index requires an account since September 2025. With username and token the analyzer runs;
     * without them (or with enabled: false) it is disabled and the build says so.
     */
    ossIndex: z
      .strictObject({
        enabled: z.boolean().default(true),
        username: SecretRefSchema.optional(),
        /** The OSS Index API token (used as the password). */
        token: SecretRefSchema.optional(),
      })
      .refine((o) => (o.username === undefined) === (o.token === undefined), 'give both username and token, or neither')
      .prefault({}),
    /** Experimental analyzers (composer.lock, go.mod, pip, …): "auto" enables them when the scanned source has a composer.lock. */
    enableExperimental: z.union([z.boolean(), z.literal('auto')]).default('auto'),
    /** Paths inside the checkout to scan. */
    scanPaths: z.array(nonBlank).min(1).default(['.']),
    excludes: z.array(nonBlank).default([]),
    failOn: gateThreshold.default('HIGH'),
    buildImage: imageOverride,
    vpc: VpcSchema.optional(),
  })
  .transform((sca, ctx) => {
    if (sca.dependencyCheckSha256 || !sca.verifyChecksum) return sca;
    if (sca.dependencyCheckVersion === DEPENDENCY_CHECK_DEFAULT.version) return { ...sca, dependencyCheckSha256: DEPENDENCY_CHECK_DEFAULT.sha256 };
    ctx.addIssue({
      code: 'custom',
      path: ['dependencyCheckSha256'],
      message: `Dependency-Check ${sca.dependencyCheckVersion} needs its release zip's SHA-256 (dependencyCheckSha256), or verifyChecksum: false`,
    });
    return z.NEVER;
  });

const SonarQubeSchema = z.strictObject({
  tool: z.literal('sonarqube'),
  serverUrl: z.url({ protocol: /^https?$/ }),
  projectKey: z.string().regex(/^[\w.:-]+$/, 'a SonarQube project key'),
  token: SecretRefSchema,
  /** SonarScanner CLI version (binaries.sonarsource.com). */
  scannerVersion: z.string().regex(/^\d+(\.\d+){2,3}$/).default('7.1.0.4889'),
  /** Fail the build when the project's SonarQube quality gate is ERROR (after the findings are imported). */
  failOnQualityGate: z.boolean().default(false),
  failOn: gateThreshold.default('HIGH'),
  buildImage: imageOverride,
  vpc: VpcSchema.optional(),
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
  vpc: VpcSchema.optional(),
});

const SarifSchema = z.strictObject({
  tool: z.literal('sarif'),
  /** Commands that install the scanner (pinned versions). */
  install: z.array(nonBlank).default([]),
  /** The command that writes a SARIF 2.1.0 report. */
  command: nonBlank,
  reportFile: nonBlank,
  /**
   * Exit codes of the command that mean "report written": many tools exit 1 when they find something (bandit,
   * checkov, gosec, semgrep --error, trivy --exit-code 1). 0 always counts; the others count only when the report
   * file exists. Any other code fails the build.
   */
  reportExitCodes: z.array(z.int().min(0).max(255)).min(1).default([0, 1]),
  /** CodeBuild runtime-versions, e.g. {"python": "3.12"}. */
  runtimes: z.record(z.string(), z.string()).default({}),
  failOn: gateThreshold.default('HIGH'),
  buildImage: imageOverride,
  vpc: VpcSchema.optional(),
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
    /** The whole scan; on time-out the scan is stopped on the daemon and what it found is published, marked partial. */
    timeoutMinutes: z.int().min(5).max(480).default(60),
    failOn: gateThreshold.default('HIGH'),
    vpc: VpcSchema.optional(),
  }),
  z.strictObject({
    /** Run ZAP's packaged scan in Docker inside the build (the only privileged project). */
    mode: z.literal('in-build'),
    image: z.string().regex(/^[\w./-]+(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/).default('ghcr.io/zaproxy/zaproxy:stable'),
    scan: z.enum(['baseline', 'full']).default('baseline'),
    /** Budget of the scan, split into ZAP's own bounds (start-up/passive, spider, active scan) so a report is always written. */
    timeoutMinutes: z.int().min(5).max(480).default(60),
    failOn: gateThreshold.default('HIGH'),
    vpc: VpcSchema.optional(),
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

export const ConfigSchema = z.strictObject({
  /** Prefix of stack names and SSM parameter paths; lets two installations share an account. */
  name: namePrefix.default('devsecops'),
  source: SourceSchema,
  sca: ScaSchema,
  sast: SastSchema,
  staging: ElasticBeanstalkTarget.extend({ url: z.url({ protocol: /^https?$/ }) }),
  dast: DastSchema,
  approval: z
    .strictObject({
      emails: z.array(email).default([]),
      timeoutMinutes: z.int().min(5).max(10080).default(10080),
    })
    .prefault({}),
  production: ElasticBeanstalkTarget,
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
});

export type PipelineConfig = z.infer<typeof ConfigSchema>;
export type SourceConfig = PipelineConfig['source'];
export type SastConfig = PipelineConfig['sast'];
export type DastConfig = PipelineConfig['dast'];
export type GateThreshold = z.infer<typeof gateThreshold>;

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

/** Validates raw configuration; every problem is reported with its path, not only the first. */
export function parseConfig(raw: unknown, source = 'configuration'): PipelineConfig {
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`),
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

/** Every scanner secret the configuration references: the CloudTrail rule watches changes to exactly these. */
export function scannerSecrets(config: PipelineConfig): SecretRef[] {
  const refs: SecretRef[] = [config.sca.nvdApiKey];
  if (config.sca.ossIndex.username) refs.push(config.sca.ossIndex.username);
  if (config.sca.ossIndex.token) refs.push(config.sca.ossIndex.token);
  if (config.sast.tool === 'sonarqube') refs.push(config.sast.token);
  if (config.dast.mode === 'zap-server') refs.push(config.dast.apiKey);
  return refs;
}
