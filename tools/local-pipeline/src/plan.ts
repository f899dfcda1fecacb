import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '@aws-sdk/client-codebuild';
import type { PipelineDeclaration } from '@aws-sdk/client-codepipeline';
import type { ToolId } from '@devsecops/report-input';
import type { FakeAwsWorld } from './fake-aws/service';

/** The six bundled functions, by their dist/apps/<name> directory. */
export const LAMBDAS = ['sca-parser', 'sast-parser', 'dast-parser', 'approval-notifier', 'cloudtrail-alerter', 'auto-remediator'] as const;
export type LambdaName = (typeof LAMBDAS)[number];
export type ScanLambda = Extract<LambdaName, 'sca-parser' | 'sast-parser' | 'dast-parser'>;

export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';

/** One scanner run: which CodeBuild action produces which report, and which Lambda reads it. */
export interface ScanSpec {
  lambda: ScanLambda;
  stage: 'Scan' | 'DAST';
  action: string;
  tool: ToolId;
  label: string;
  /** Sample files read; several are uploaded together as one JSON array (SonarQube's issues and hotspots pages). */
  files: readonly string[];
  objectName: string;
}

/** The scans of one pipeline execution, in pipeline order (stage and action names as apps/infra defines them). */
export const SCANS: readonly ScanSpec[] = [
  { lambda: 'sca-parser', stage: 'Scan', action: 'SCA-DependencyCheck', tool: 'dependency-check', label: 'SCA: OWASP Dependency-Check', files: ['dependency-check-report.json'], objectName: 'dependency-check-report.json' },
  { lambda: 'sast-parser', stage: 'Scan', action: 'SAST', tool: 'sonarqube', label: 'SAST: SonarQube issues and hotspots', files: ['sonarqube-issues.json', 'sonarqube-hotspots.json'], objectName: 'sonarqube.json' },
  { lambda: 'sast-parser', stage: 'Scan', action: 'SAST', tool: 'phpstan', label: 'SAST: PHPStan', files: ['phpstan.json'], objectName: 'phpstan.json' },
  { lambda: 'sast-parser', stage: 'Scan', action: 'SAST', tool: 'sarif', label: 'SAST: Semgrep (SARIF)', files: ['semgrep.sarif'], objectName: 'semgrep.sarif' },
  { lambda: 'dast-parser', stage: 'DAST', action: 'DAST-ZAP', tool: 'zap', label: 'DAST: OWASP ZAP', files: ['zap-report.json'], objectName: 'zap-report.json' },
];

export interface PreparedScan extends ScanSpec {
  /** The object's bytes, exactly as the CodeBuild action would upload them. */
  body: Buffer;
  /** Sample files actually read, relative to samples/. */
  sources: string[];
  buildId: string;
}

/** One build of the sample application. */
export interface BuildIdentity {
  sample: 'patient-portal' | 'patient-portal-fixed';
  commit: string;
  commitMessage: string;
  pipelineExecutionId: string;
  /** Suffix of every CodeBuild build id of this execution. */
  buildUuid: string;
}

export const BUILDS: Readonly<Record<'original' | 'fixed', BuildIdentity>> = {
  original: {
    sample: 'patient-portal',
    commit: 'a11ce0de00000000000000000000000000000001',
    commitMessage: 'Add the appointment export to the admin module',
    pipelineExecutionId: '4d3c2b1a-0f9e-4d8c-b7a6-000000000001',
    buildUuid: '9f8e7d6c-5b4a-4392-8170-000000000001',
  },
  fixed: {
    sample: 'patient-portal-fixed',
    commit: 'b7e1c0de00000000000000000000000000000002',
    commitMessage: 'Upgrade lodash to 4.17.21; make the session cookie HttpOnly',
    pipelineExecutionId: '4d3c2b1a-0f9e-4d8c-b7a6-000000000002',
    buildUuid: '9f8e7d6c-5b4a-4392-8170-000000000002',
  },
};

export interface PipelinePlan extends BuildIdentity {
  fixed: boolean;
  accountId: string;
  region: string;
  repository: string;
  branch: string;
  pipelineName: string;
  reportsBucket: string;
  stagingUrl: string;
  approversTopicArn: string;
  notificationsTopicArn: string;
  scans: PreparedScan[];
  pipeline: PipelineDeclaration;
  codeBuildProjects: Project[];
  events: {
    /** SNS → Lambda event carrying CodePipeline's approval notification. */
    approval: Record<string, unknown>;
    /** EventBridge "AWS API Call via CloudTrail" for UpdatePipeline. */
    cloudTrail: Record<string, unknown>;
    /** EventBridge "Security Hub Findings - Imported" with one control finding. */
    findingsImported: Record<string, unknown>;
  };
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}

/**
 * The next build's directory holds only the reports that changed; every other report is the same as in
 * patient-portal and is read from there.
 */
function sampleFile(samplesDir: string, sample: string, file: string): string {
  const own = join(sample, file);
  if (existsSync(join(samplesDir, own))) return own;
  const fallback = join('patient-portal', file);
  if (existsSync(join(samplesDir, fallback))) return fallback;
  throw new Error(`samples/${own} is missing`);
}

export function prepareScan(spec: ScanSpec, samplesDir: string, build: BuildIdentity): PreparedScan {
  const sources = spec.files.map((f) => sampleFile(samplesDir, build.sample, f));
  const bytes = sources.map((s) => readFileSync(join(samplesDir, s)));
  // Several API pages of one scan are saved as one JSON array, a shape the SonarQube parser reads as one scan.
  const body = bytes.length === 1 ? bytes[0]! : Buffer.from(JSON.stringify(bytes.map((b) => JSON.parse(b.toString('utf8')) as unknown)));
  const project = spec.lambda === 'sca-parser' ? 'sca' : spec.lambda === 'sast-parser' ? 'sast' : 'dast';
  return { ...spec, body, sources, buildId: `patient-portal-${project}:${build.buildUuid}` };
}

/** Everything one local execution needs, read from samples/ (reports, events, and what the fake AWS serves). */
export function loadPlan(samplesDir: string, options: { fixed: boolean }): PipelinePlan {
  const build = options.fixed ? BUILDS.fixed : BUILDS.original;
  const events = (name: string) => readJson<Record<string, unknown>>(join(samplesDir, 'events', name));
  return {
    ...build,
    fixed: options.fixed,
    accountId: ACCOUNT_ID,
    region: REGION,
    repository: 'hospital/patient-portal',
    branch: 'main',
    pipelineName: 'patient-portal-pipeline',
    reportsBucket: `patient-portal-reports-${ACCOUNT_ID}`,
    stagingUrl: 'https://staging.patient-portal.example',
    approversTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:patient-portal-approvers`,
    notificationsTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:patient-portal-notifications`,
    scans: SCANS.map((spec) => prepareScan(spec, samplesDir, build)),
    pipeline: readJson<PipelineDeclaration>(join(samplesDir, 'local-aws', 'pipeline.json')),
    codeBuildProjects: readJson<Project[]>(join(samplesDir, 'local-aws', 'codebuild-projects.json')),
    events: {
      approval: events('approval-sns.json'),
      cloudTrail: events('cloudtrail-update-pipeline-without-dast.json'),
      findingsImported: events('securityhub-codebuild2-imported.json'),
    },
  };
}

/** The approval notification inside the SNS event (its Message is a JSON string). */
export function approvalOf(snsEvent: Record<string, unknown>): { pipelineName: string; stageName: string; actionName: string; token: string } {
  const records = snsEvent.Records as { Sns?: { Message?: string } }[] | undefined;
  const message = JSON.parse(records?.[0]?.Sns?.Message ?? '{}') as { approval?: Record<string, string> };
  const approval = message.approval ?? {};
  const [pipelineName, stageName, actionName, token] = [approval.pipelineName, approval.stageName, approval.actionName, approval.token];
  if (!pipelineName || !stageName || !actionName || !token) throw new Error('the approval event carries no approval (pipelineName, stageName, actionName, token)');
  return { pipelineName, stageName, actionName, token };
}

/** What the fake CodePipeline, CodeBuild, IAM and SNS hold for this execution: it waits at the approval of the sample event. */
export function fakeAwsWorld(plan: PipelinePlan): FakeAwsWorld {
  const approval = approvalOf(plan.events.approval);
  return {
    accountId: plan.accountId,
    region: plan.region,
    pipelines: [plan.pipeline],
    executions: [
      {
        pipelineName: plan.pipelineName,
        pipelineExecutionId: plan.pipelineExecutionId,
        artifactRevisions: [
          {
            name: 'SourceOutput',
            revisionId: plan.commit,
            revisionSummary: plan.commitMessage,
            revisionUrl: `https://github.com/${plan.repository}/commit/${plan.commit}`,
          },
        ],
        waitingAt: { stageName: approval.stageName, actionName: approval.actionName, token: approval.token },
      },
    ],
    codeBuildProjects: plan.codeBuildProjects,
    rolePolicies: [],
    topics: [plan.approversTopicArn, plan.notificationsTopicArn],
  };
}
