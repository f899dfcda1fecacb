import {
  APPROVAL_NOTIFIER_PERMISSIONS,
  APPROVAL_NOTIFIER_TOPIC_KEY_PERMISSIONS,
  AUTO_REMEDIATOR_BASE_PERMISSIONS,
  AUTO_REMEDIATOR_PLAYBOOK_PERMISSIONS,
  AUTO_REMEDIATOR_REPORT_PERMISSIONS,
  CLOUDTRAIL_ALERTER_PERMISSIONS,
  CLOUDTRAIL_ALERTER_TOPIC_KEY_PERMISSIONS,
  renderStatements,
  type IamPolicyStatement,
} from './lambda-contracts';
import { Aws } from 'aws-cdk-lib';
import { repositoryIdentity, type ApplicationConfig, type PipelineConfig } from './config';
import type { FunctionName } from './functions';
import { ACTIONS, STAGES, STAGE_ORDER, pipelineNamePatterns } from './names';
import type { FoundationValues } from './shared-parameters';

/**
 * Per function: its environment and the IAM statements it needs, on the resources it uses. Statements come
 * from the function's own library where it publishes them (approval, cloudtrail-alerts), so the code and its
 * permissions change together.
 */

export interface FunctionWiring {
  environment: Record<string, string>;
  statements: IamPolicyStatement[];
}

const PSEUDO = { 'AWS::Partition': Aws.PARTITION, 'AWS::Region': Aws.REGION, 'AWS::AccountId': Aws.ACCOUNT_ID };

const arn = (service: string, resource: string, account: string = Aws.ACCOUNT_ID) => `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${account}:${resource}`;

/** Project names are derived from the prefix, so the alerter can watch exactly them (names.ts scanProjectName). */
export function codeBuildProjectName(prefix: string, scan: string): string {
  return `${prefix}-${scan}`;
}

/** The role the workload stack creates in an application's account, and the parsers assume to import there. */
export function importRoleName(prefix: string): string {
  return `${prefix}-securityhub-import`;
}

/** True when an application's findings belong to another account than the one that runs the pipeline. */
export function inWorkloadAccount(config: Pick<PipelineConfig, 'toolingAccount'>, app: ApplicationConfig): app is ApplicationConfig & { account: string } {
  return app.account !== undefined && app.account !== config.toolingAccount;
}

/** The import role of an application in a workload account (undefined: it imports into the tooling account). */
export function importRoleArnOf(config: Pick<PipelineConfig, 'name' | 'toolingAccount'>, app: ApplicationConfig): string | undefined {
  if (!inWorkloadAccount(config, app)) return undefined;
  return app.importRoleArn ?? `arn:${Aws.PARTITION}:iam::${app.account}:role/${importRoleName(config.name)}`;
}

/**
 * The parsers may assume the import role of any workload account (its trust policy names this account's parser
 * roles, so only those roles can use it); roles given explicitly as importRoleArn are listed as they are. Present
 * only once some application lives in another account, and unchanged by further ones.
 */
function assumeImportRoleStatements(config: PipelineConfig): IamPolicyStatement[] {
  const workload = config.applications.filter((app) => inWorkloadAccount(config, app));
  if (workload.length === 0) return [];
  const pattern = `arn:${Aws.PARTITION}:iam::*:role/${importRoleName(config.name)}`;
  const explicit = [...new Set(workload.flatMap((app) => (app.importRoleArn && !app.importRoleArn.endsWith(`:role/${importRoleName(config.name)}`) ? [app.importRoleArn] : [])))];
  return [{ Sid: 'AssumeWorkloadImportRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [pattern, ...explicit] }];
}

/** Renders a library's statements once per pipeline-name pattern and merges the resources of each statement. */
function forEveryPipeline(patterns: readonly string[], render: (pipelineName: string) => IamPolicyStatement[]): IamPolicyStatement[] {
  const [first, ...others] = patterns.map(render);
  return first!.map((statement, i) => ({ ...statement, Resource: [...new Set([statement.Resource, ...others.map((r) => r[i]!.Resource)].flat())] }));
}

export function trailNameFor(config: PipelineConfig): string {
  return config.cloudTrail.mode === 'existing' ? config.cloudTrail.trailName : `${config.name}-trail`;
}

/** The remediator's name: its Note.UpdatedBy, which the EventBridge pattern uses to skip its own updates. */
export function remediatorName(prefix: string): string {
  return `${prefix}-auto-remediator`;
}

/** Parameter Store path the CodeBuild.2 playbook moves leaked credentials to. */
export function remediationParameterPrefix(prefix: string): string {
  return `/${prefix}/codebuild`;
}

/** Why a statement needs a wildcard resource, by statement Sid; the function stack refuses a wildcard without one. */
export const WILDCARD_REASONS: Readonly<Record<string, string>> = {
  ReadScanReports: 'Scan reports are read under the reports/ prefix of the reports bucket; the rest of each key is the repository, branch, commit and build of the scan.',
  StoreInlineReports: 'Inline reports of reference-pipeline events are stored under inline-reports/ only; keys carry the scan identity.',
  StoreEvidence: 'Whole evidence texts are stored under evidence/sha256/<digest> only: content-addressed, one object per distinct text.',
  StoreScanOutputs: "The JUnit and markdown outputs a build asks for are stored under outputs/ only, beside the build's report; keys carry the scan identity and build.",
  KeepFindingsLedger: 'One ledger object per scan identity under the state/ prefix of the reports bucket; the rest of each key is the account, Region, tool, repository, branch and category.',
  CodeBuild2ReadAndUpdateProject:
    'CodeBuild.2 moves plaintext credentials out of whichever project the failed control names; the remediator acts only on resources tagged with this installation (REQUIRED_RESOURCE_TAG).',
  CodeBuild2WriteParameters: "Moved credentials become SecureString parameters under this installation's /<name>/codebuild/ path only.",
  CodeBuild2VerifyParameters: 'ssm:DescribeParameters supports no resource-level permissions.',
  CodeBuild2GrantRoleRead: "A fixed project reads its moved credentials through an inline policy the remediator adds to the project role; only roles of this installation's pipeline stack match.",
  S35RequireTls: "Bucket names are generated by CloudFormation and start with this installation's stack names; only those buckets match.",
  S38BlockPublicAccess: "Bucket names are generated by CloudFormation and start with this installation's stack names; only those buckets match.",
  Kms4RotateKey: 'Key ids are random; the remediator only rotates keys tagged with this installation (REQUIRED_RESOURCE_TAG) in this account and Region.',
  ReadPipelineExecution: "One notifier serves every application's pipeline; all of them are named <name>-pipeline or <name>-pipeline-<application>.",
  RejectApproval: "One notifier serves every application's pipeline; only the Approval/ManualApproval action of pipelines named <name>-pipeline or <name>-pipeline-<application> matches.",
  AssumeWorkloadImportRole:
    "Workload accounts are the applications' own; only roles named <name>-securityhub-import match, and each one's trust policy admits only this account's parser roles.",
};

/** The gate's GATE_* variables (scan-ingest's gateDefaultsFromEnv); the defaults are left out. */
export function gateEnvironment(config: PipelineConfig): Record<string, string> {
  const gate = config.gate;
  return {
    ...(gate.mode !== 'all' ? { GATE_MODE: gate.mode, GATE_BASE_BRANCH: gate.baseBranch ?? config.applications[0]!.source.branch } : {}),
    ...(gate.slaDays && Object.keys(gate.slaDays).length > 0 ? { GATE_SLA_DAYS: Object.entries(gate.slaDays).map(([k, v]) => `${k}=${v}`).join(',') } : {}),
    ...(gate.kev ? { GATE_KEV_URI: gate.kev } : {}),
    ...(gate.epss ? { GATE_EPSS_URI: gate.epss } : {}),
    ...(gate.failOnEpss !== undefined ? { GATE_FAIL_ON_EPSS: String(gate.failOnEpss) } : {}),
    ...(!gate.failOnKev ? { GATE_FAIL_ON_KEV: 'false' } : {}),
    ...(gate.onDecisionReadError !== 'fail' ? { GATE_ON_DECISION_READ_ERROR: gate.onDecisionReadError } : {}),
  };
}

function gateDataObjects(config: PipelineConfig): string[] {
  return [config.gate.kev, config.gate.epss].filter((u): u is string => u !== undefined).map((uri) => `arn:${Aws.PARTITION}:s3:::${uri.slice('s3://'.length)}`);
}

function parserWiring(config: PipelineConfig, shared: FoundationValues): FunctionWiring {
  // Only events that name no repository (reference-pipeline events) fall back to the first application's.
  const first = config.applications[0]!;
  const dataObjects = gateDataObjects(config);
  return {
    environment: {
      AWS_ACCOUNT_ID: Aws.ACCOUNT_ID,
      REPORTS_BUCKET: shared.reportsBucketName,
      REPORTS_KMS_KEY_ID: shared.dataKeyArn,
      GATE_FAIL_ON: config.lambda.gateFailOn,
      DEFAULT_REPOSITORY: repositoryIdentity(first.source),
      DEFAULT_BRANCH: first.source.branch,
      ...(config.lambda.sourceRoots.length > 0 ? { SOURCE_ROOTS: config.lambda.sourceRoots.join(',') } : {}),
      // The ledger of each scan identity (libs/securityhub): no read-back of the whole scope on every build.
      FINDINGS_STATE: `s3://${shared.reportsBucketName}/state/`,
      // The three parser functions at their reserved concurrency share the account's Security Hub quotas.
      ...(config.lambda.reservedConcurrency ? { IMPORT_RATE_SHARE: String(1 / (3 * config.lambda.reservedConcurrency)) } : {}),
      ...gateEnvironment(config),
    },
    statements: [
      {
        Sid: 'ReadScanReports',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: [`${shared.reportsBucketArn}/reports/*`],
      },
      {
        // Reference-pipeline events carry the report inline; it is stored so each finding links to it.
        Sid: 'StoreInlineReports',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: [`${shared.reportsBucketArn}/inline-reports/*`],
      },
      {
        // The JUnit and markdown renderings a build asks for (`outputs`), beside its report; the build reads them back.
        Sid: 'StoreScanOutputs',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: [`${shared.reportsBucketArn}/outputs/*`],
      },
      {
        // Whole evidence the findings cannot carry (a ZAP alert's megabyte other info), content-addressed, linked from them.
        Sid: 'StoreEvidence',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: [`${shared.reportsBucketArn}/evidence/*`],
      },
      {
        // Conditional PutObject (If-Match / If-None-Match) needs no extra action; the ledger is KMS-encrypted like the reports.
        Sid: 'KeepFindingsLedger',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: [`${shared.reportsBucketArn}/state/*`],
      },
      { Sid: 'UseReportsKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: [shared.dataKeyArn] },
      {
        Sid: 'ImportFindings',
        Effect: 'Allow',
        Action: ['securityhub:BatchImportFindings'],
        Resource: [arn('securityhub', `product/${Aws.ACCOUNT_ID}/default`)],
      },
      // Rebuilds a missing or stale ledger from the scope, reads decisions and the findings to archive.
      { Sid: 'ReadFindings', Effect: 'Allow', Action: ['securityhub:GetFindings'], Resource: [arn('securityhub', 'hub/default')] },
      // Workflow and Note are customer-owned: the repository's suppressions and their expiry are written with BatchUpdateFindings.
      { Sid: 'RecordDecisions', Effect: 'Allow', Action: ['securityhub:BatchUpdateFindings'], Resource: [arn('securityhub', 'hub/default')] },
      ...(dataObjects.length > 0 ? [{ Sid: 'ReadGateData', Effect: 'Allow' as const, Action: ['s3:GetObject'], Resource: dataObjects }] : []),
      ...assumeImportRoleStatements(config),
    ],
  };
}

/**
 * The pipeline shape the CloudTrail alerter checks an UpdatePipeline against: the stages and the security actions,
 * the same for every application's pipeline (`SAST*`: the one SAST action, or each `SAST-<category or tool>`).
 */
export function expectedPipeline(): { stages: string[]; actions: { name: string; stage: string; role: string }[] } {
  return {
    stages: [...STAGE_ORDER],
    actions: [
      { name: ACTIONS.sca, stage: STAGES.scan, role: 'scan' },
      { name: `${ACTIONS.sast}*`, stage: STAGES.scan, role: 'scan' },
      { name: ACTIONS.dast, stage: STAGES.dast, role: 'scan' },
      { name: ACTIONS.approval, stage: STAGES.approval, role: 'approval' },
    ],
  };
}

/** `shared` is read lazily: touching a value declares its SSM parameter in the function's stack. */
export function functionWiring(fn: FunctionName, config: PipelineConfig, shared: FoundationValues): FunctionWiring {
  switch (fn) {
    case 'sca-parser':
    case 'sast-parser':
    case 'dast-parser':
      return parserWiring(config, shared);
    case 'approval-notifier':
      return {
        // Repository and branch come from each pipeline's Source action (REPOSITORY/BRANCH would pin one application).
        environment: {
          AWS_ACCOUNT_ID: Aws.ACCOUNT_ID,
          APPROVERS_TOPIC_ARN: shared.approversTopicArn,
        },
        statements: forEveryPipeline(pipelineNamePatterns(config.name), (pipeline) =>
            renderStatements([...APPROVAL_NOTIFIER_PERMISSIONS, ...APPROVAL_NOTIFIER_TOPIC_KEY_PERMISSIONS], {
              ...PSEUDO,
              PipelineName: pipeline,
              ApprovalStageName: STAGES.approval,
              ApprovalActionName: ACTIONS.approval,
              ApproversTopicArn: shared.approversTopicArn,
              ApproversTopicKeyArn: shared.notificationsKeyArn,
            }),
        ),
      };
    case 'cloudtrail-alerter':
      return {
        environment: {
          AWS_ACCOUNT_ID: Aws.ACCOUNT_ID,
          ALERT_TOPIC_ARN: shared.notificationsTopicArn,
          WATCHED_PIPELINES: pipelineNamePatterns(config.name).join(','),
          WATCHED_PROJECTS: `${config.name}-*`,
          WATCHED_TRAILS: trailNameFor(config),
          // No WATCHED_PARAMETERS: parameter events reach the alerter only through the pipeline stacks' rules, each
          // naming its own application's scanner tokens.
          EXPECTED_PIPELINE: JSON.stringify(expectedPipeline()),
        },
        statements: renderStatements([...CLOUDTRAIL_ALERTER_PERMISSIONS, ...CLOUDTRAIL_ALERTER_TOPIC_KEY_PERMISSIONS], {
          ...PSEUDO,
          AlertTopicArn: shared.notificationsTopicArn,
          AlertTopicKeyArn: shared.notificationsKeyArn,
        }),
      };
    case 'auto-remediator': {
      const p = Aws.PARTITION;
      const r = Aws.REGION;
      const a = Aws.ACCOUNT_ID;
      const playbooks = config.remediation.playbooks;
      return {
        environment: {
          REMEDIATOR_NAME: remediatorName(config.name),
          DRY_RUN: String(config.remediation.dryRun),
          ALLOWED_PLAYBOOKS: playbooks.join(','),
          ALLOWED_ACCOUNTS: a,
          REQUIRED_RESOURCE_TAG: `Application=${config.name}`,
          CODEBUILD_PARAMETER_PREFIX: remediationParameterPrefix(config.name),
          REPORT_TOPIC_ARN: shared.notificationsTopicArn,
        },
        statements: [
          ...renderStatements(
            [...AUTO_REMEDIATOR_BASE_PERMISSIONS, ...playbooks.flatMap((id) => AUTO_REMEDIATOR_PLAYBOOK_PERMISSIONS[id]), ...AUTO_REMEDIATOR_REPORT_PERMISSIONS],
            {
              ...PSEUDO,
              CodeBuildParameterPrefix: remediationParameterPrefix(config.name).slice(1),
              CodeBuildServiceRoleArnPattern: `arn:${p}:iam::${a}:role/${config.name}-pipeline-*`,
              BucketName: `${config.name}-*`,
              KeyArn: `arn:${p}:kms:${r}:${a}:key/*`,
              TrailArn: `arn:${p}:cloudtrail:${r}:${a}:trail/${trailNameFor(config)}`,
              ReportTopicArn: shared.notificationsTopicArn,
            },
          ),
          // The report topic is encrypted with the notifications key.
          { Sid: 'PublishToEncryptedTopic', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [shared.notificationsKeyArn] },
        ],
      };
    }
  }
}
