import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { ApprovalOutcome } from '@devsecops/approval';
import type { AlertOutcome } from '@devsecops/cloudtrail-alerts';
import type { RemediationOutcome } from '@devsecops/remediation';
import { reportObjectKey } from '@devsecops/scan-ingest';
import type { ScanResponse } from '@devsecops/scan-ingest';
import { FIELD, isActive } from '@devsecops/asff';
import type { ApprovalDecision, PublishedMessage } from './fake-aws/service';
import type { LambdaName, PipelinePlan, PreparedScan } from './plan';
import { FEATURE_BRANCH, runTriage, type TriageDependencies } from './triage';

/**
 * One pipeline execution, step by step, with every side effect injected: invoking a bundled function, putting an
 * object in the reports bucket, reading the local Security Hub, what the fake AWS recorded, and the clock. The
 * runner decides nothing the functions decide; it sends each one the event AWS would send and reports what came back.
 */

/** A function error, as Lambda reports it (errorType, errorMessage). */
export class InvocationError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvocationError';
  }
}

export interface RunnerDependencies {
  invoke(fn: LambdaName, event: unknown): Promise<unknown>;
  putObject(bucket: string, key: string, body: Uint8Array): Promise<void>;
  /** Security Hub CSPM's own import of a control finding (no API of ours does that). */
  seedFindings(findings: AwsSecurityFinding[]): Promise<void>;
  /** Every finding the local Security Hub holds, whatever its state. */
  listFindings(): Promise<AwsSecurityFinding[]>;
  published(): PublishedMessage[];
  approvalDecisions(): ApprovalDecision[];
  clock(): number;
  onStep?(step: TimelineStep): void;
  /** BatchUpdateFindings on the local Security Hub; when given, the triage loop runs after the pipeline's steps. */
  updateFindings?: TriageDependencies['updateFindings'];
}

export type StepDetail =
  | { kind: 'scan'; scan: Pick<PreparedScan, 'label' | 'lambda' | 'tool' | 'sources' | 'buildId'>; objectUri: string; response?: ScanResponse }
  | { kind: 'gate'; passed: boolean; failOn: string[]; blocking: { tool: string; blocking: number }[] }
  | { kind: 'note'; lines: string[] }
  | { kind: 'approval'; outcome?: ApprovalOutcome; mail?: PublishedMessage; decision?: ApprovalDecision }
  | { kind: 'alert'; outcome?: AlertOutcome; message?: PublishedMessage }
  | { kind: 'remediation'; outcome?: RemediationOutcome; workflow?: string; note?: string }
  | { kind: 'changes'; archived: AwsSecurityFinding[]; reactivated: AwsSecurityFinding[] };

export interface TimelineStep {
  stage: string;
  title: string;
  /** What set it off, as in AWS: "CodeBuild invoke", "SNS", "EventBridge". */
  trigger?: string;
  lambda?: LambdaName;
  startedAt: number;
  durationMs: number;
  status: 'ok' | 'failed';
  error?: { code: string; message: string };
  detail: StepDetail;
}

export interface PipelineRun {
  plan: Pick<PipelinePlan, 'sample' | 'fixed' | 'repository' | 'branch' | 'commit' | 'commitMessage' | 'pipelineName' | 'pipelineExecutionId'>;
  startedAt: number;
  finishedAt: number;
  steps: TimelineStep[];
  /** Every finding the local Security Hub holds at the end. */
  findings: AwsSecurityFinding[];
  archived: AwsSecurityFinding[];
  reactivated: AwsSecurityFinding[];
  /** Invocations that failed (a failed gate is a decision, not a failure). */
  failures: string[];
}

function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof InvocationError) return { code: error.code, message: error.message };
  const e = error as { name?: string; message?: string };
  return { code: e?.name ?? 'Error', message: e?.message ?? String(error) };
}

const ofRepository = (plan: PipelinePlan) => (f: AwsSecurityFinding) =>
  f.ProductFields?.[FIELD.repository] === plan.repository && f.ProductFields?.[FIELD.branch] === plan.branch;

export async function runPipeline(plan: PipelinePlan, deps: RunnerDependencies): Promise<PipelineRun> {
  const steps: TimelineStep[] = [];
  const failures: string[] = [];
  const startedAt = deps.clock();

  /** Runs one step, timing it; a thrown error marks the step failed and the run goes on. */
  async function step(
    head: Pick<TimelineStep, 'stage' | 'title' | 'trigger' | 'lambda'>,
    run: (detail: (d: StepDetail) => void) => Promise<void>,
    fallback: StepDetail,
  ): Promise<TimelineStep> {
    const begin = deps.clock();
    let detail = fallback;
    let error: TimelineStep['error'];
    try {
      await run((d) => (detail = d));
    } catch (caught) {
      error = errorOf(caught);
      failures.push(`${head.title}: ${error.code}: ${error.message}`);
    }
    const done: TimelineStep = { ...head, startedAt: begin, durationMs: deps.clock() - begin, status: error ? 'failed' : 'ok', ...(error ? { error } : {}), detail };
    steps.push(done);
    deps.onStep?.(done);
    return done;
  }

  const newMessages = async <T>(topicArn: string, run: () => Promise<T>): Promise<{ result: T; message?: PublishedMessage }> => {
    const before = deps.published().length;
    const result = await run();
    return { result, message: deps.published().slice(before).find((m) => m.topicArn === topicArn) };
  };

  const before = (await deps.listFindings()).filter(ofRepository(plan));

  async function scanStep(scan: PreparedScan): Promise<ScanResponse | undefined> {
    const key = reportObjectKey({ tool: scan.tool, repository: plan.repository, branch: plan.branch, commit: plan.commit, buildId: scan.buildId, fileName: scan.objectName });
    const objectUri = `s3://${plan.reportsBucket}/${key}`;
    const summary = { label: scan.label, lambda: scan.lambda, tool: scan.tool, sources: scan.sources, buildId: scan.buildId };
    let response: ScanResponse | undefined;
    await step(
      { stage: scan.stage, title: scan.label, trigger: 'CodeBuild (direct invoke)', lambda: scan.lambda },
      async (detail) => {
        await deps.putObject(plan.reportsBucket, key, scan.body);
        response = (await deps.invoke(scan.lambda, {
          tool: scan.tool,
          repository: plan.repository,
          branch: plan.branch,
          commit: plan.commit,
          buildId: scan.buildId,
          report: { bucket: plan.reportsBucket, key },
          ...(scan.stage === 'DAST' ? { target: plan.stagingUrl } : {}),
        })) as ScanResponse;
        detail({ kind: 'scan', scan: summary, objectUri, response });
      },
      { kind: 'scan', scan: summary, objectUri },
    );
    return response;
  }

  function gateStep(stage: string, responses: (ScanResponse | undefined)[]): Promise<TimelineStep> {
    const answered = responses.filter((r): r is ScanResponse => r !== undefined);
    const blocking = answered.filter((r) => !r.gate.passed).map((r) => ({ tool: r.tool, blocking: r.gate.blocking }));
    const passed = blocking.length === 0 && answered.length === responses.length;
    return step(
      { stage, title: `${stage} gate` },
      async (detail) => detail({ kind: 'gate', passed, failOn: [...new Set(answered.map((r) => r.gate.failOn))], blocking }),
      { kind: 'gate', passed, failOn: [], blocking },
    );
  }

  // 1. Scan stage: SCA and SAST reports uploaded and parsed; each response carries the gate's decision.
  const scanResponses: (ScanResponse | undefined)[] = [];
  for (const scan of plan.scans.filter((s) => s.stage === 'Scan')) scanResponses.push(await scanStep(scan));
  await gateStep('Scan', scanResponses);

  // 2. Staging is not deployed locally; ZAP's report of the staging site is replayed.
  await step({ stage: 'Deploy-Staging', title: 'Deploy to staging' }, async (detail) => detail({ kind: 'note', lines: [`not deployed locally: the ZAP report of ${plan.stagingUrl} is replayed`] }), { kind: 'note', lines: [] });
  const dastResponses: (ScanResponse | undefined)[] = [];
  for (const scan of plan.scans.filter((s) => s.stage === 'DAST')) dastResponses.push(await scanStep(scan));
  await gateStep('DAST', dastResponses);

  const afterScans = (await deps.listFindings()).filter(ofRepository(plan));
  const wasActive = new Set(before.filter((f) => f.RecordState !== 'ARCHIVED').map((f) => f.Id));
  const wasArchived = new Set(before.filter((f) => f.RecordState === 'ARCHIVED').map((f) => f.Id));
  const archived = afterScans.filter((f) => f.RecordState === 'ARCHIVED' && wasActive.has(f.Id));
  const reactivated = afterScans.filter((f) => f.RecordState !== 'ARCHIVED' && wasArchived.has(f.Id));
  await step({ stage: 'Security Hub', title: 'Changes since the previous run' }, async (detail) => detail({ kind: 'changes', archived, reactivated }), { kind: 'changes', archived, reactivated });

  // 3. Manual approval: CodePipeline publishes its notification to SNS, which invokes the notifier.
  await step(
    { stage: 'Approval', title: 'Approval notifier', trigger: 'SNS: CodePipeline approval notification', lambda: 'approval-notifier' },
    async (detail) => {
      const decisionsBefore = deps.approvalDecisions().length;
      const { result, message } = await newMessages(plan.approversTopicArn, () => deps.invoke('approval-notifier', plan.events.approval));
      const outcome = (result as { notified?: ApprovalOutcome[] }).notified?.[0];
      const decision = deps.approvalDecisions().slice(decisionsBefore)[0];
      detail({ kind: 'approval', ...(outcome ? { outcome } : {}), ...(message ? { mail: message } : {}), ...(decision ? { decision } : {}) });
    },
    { kind: 'approval' },
  );

  // 4. Someone removes the DAST stage: CloudTrail records UpdatePipeline, EventBridge invokes the alerter.
  await step(
    { stage: 'Audit', title: 'CloudTrail alerter', trigger: 'EventBridge: AWS API Call via CloudTrail (UpdatePipeline)', lambda: 'cloudtrail-alerter' },
    async (detail) => {
      const { result, message } = await newMessages(plan.notificationsTopicArn, () => deps.invoke('cloudtrail-alerter', plan.events.cloudTrail));
      detail({ kind: 'alert', outcome: result as AlertOutcome, ...(message ? { message } : {}) });
    },
    { kind: 'alert' },
  );

  // 5. Security Hub CSPM finds plaintext credentials in a CodeBuild project (CodeBuild.2); the remediator plans the fix.
  await step(
    { stage: 'Remediation', title: 'Auto-remediator (dry run)', trigger: 'EventBridge: Security Hub Findings - Imported (CodeBuild.2)', lambda: 'auto-remediator' },
    async (detail) => {
      const imported = ((plan.events.findingsImported.detail as { findings?: AwsSecurityFinding[] } | undefined)?.findings ?? []) as AwsSecurityFinding[];
      await deps.seedFindings(imported);
      const result = (await deps.invoke('auto-remediator', plan.events.findingsImported)) as { outcomes?: RemediationOutcome[] };
      const stored = (await deps.listFindings()).find((f) => f.Id === imported[0]?.Id);
      const outcome = result.outcomes?.[0];
      detail({
        kind: 'remediation',
        ...(outcome ? { outcome } : {}),
        ...(stored?.Workflow?.Status ? { workflow: stored.Workflow.Status } : {}),
        ...(stored?.Note?.Text ? { note: stored.Note.Text } : {}),
      });
    },
    { kind: 'remediation' },
  );

  // 6. The triage loop, on a feature branch (its own timeline steps; the pipeline's branch is left as it was).
  const updateFindings = deps.updateFindings;
  if (updateFindings) {
    const head = { stage: 'Triage', trigger: 'CodeBuild (direct invoke)', lambda: 'sast-parser' as const };
    const record = (s: { title: string; lines: string[]; startedAt: number }) => {
      const done: TimelineStep = { ...head, title: s.title, startedAt: s.startedAt, durationMs: deps.clock() - s.startedAt, status: 'ok', detail: { kind: 'note', lines: s.lines } };
      steps.push(done);
      deps.onStep?.(done);
    };
    const begin = deps.clock();
    try {
      await runTriage(plan, { invoke: deps.invoke, putObject: deps.putObject, listFindings: deps.listFindings, updateFindings, clock: deps.clock }, record);
    } catch (caught) {
      const error = errorOf(caught);
      failures.push(`Triage: ${error.code}: ${error.message}`);
      const done: TimelineStep = { ...head, title: 'Triage loop', startedAt: begin, durationMs: deps.clock() - begin, status: 'failed', error, detail: { kind: 'note', lines: [] } };
      steps.push(done);
      deps.onStep?.(done);
    }
  }

  // What Security Hub shows for the pipeline's branch (the triage loop's feature branch is not part of it).
  const findings = (await deps.listFindings()).filter((f) => f.ProductFields?.[FIELD.branch] !== FEATURE_BRANCH);
  return {
    plan: {
      sample: plan.sample,
      fixed: plan.fixed,
      repository: plan.repository,
      branch: plan.branch,
      commit: plan.commit,
      commitMessage: plan.commitMessage,
      pipelineName: plan.pipelineName,
      pipelineExecutionId: plan.pipelineExecutionId,
    },
    startedAt,
    finishedAt: deps.clock(),
    steps,
    findings,
    archived,
    reactivated,
    failures,
  };
}

/** ACTIVE findings only (for callers that count). */
export function activeFindings(run: Pick<PipelineRun, 'findings'>): AwsSecurityFinding[] {
  return run.findings.filter(isActive);
}
