import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchUpdateFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { bundleInvoker, commonEnvironment, functionEnvironments, missingBundles, S3RVER_CREDENTIALS, startLocalServices } from './environment';
import { activeRows, countsByTool, toRow, totalCounts, type ToolCounts } from './findings-view';
import { formatCountsTable, formatStep } from './format';
import { loadPlan } from './plan';
import { renderHtmlReport } from '@devsecops/report-html';
import { runPipeline, type PipelineRun } from './runner';
import { blockingIds, reportVerdicts, verdictLines } from './verdict';

/**
 * `npm start`: one pipeline execution on this machine. Starts the local services, runs the six bundled functions
 * through the pipeline's steps, prints the timeline and the findings table, and writes report.html and run.json
 * to the state directory. Services are stopped whatever happens.
 */

export interface LocalRunOptions {
  /** The workspace root (samples/ and dist/apps/ are read from there). */
  root: string;
  /** Where Security Hub's store, the S3 objects, report.html and run.json live (tmp/local-pipeline). */
  stateDir: string;
  fixed: boolean;
  /** Forget earlier runs first. */
  reset?: boolean;
  /** Let the functions log (Powertools INFO) instead of staying silent. */
  verbose?: boolean;
  out: (line: string) => void;
  now?: () => number;
}

export interface LocalRunResult {
  run: PipelineRun;
  /** The closing block: what the pipeline would have done, where the report is, what to try next. */
  verdict: string[];
  table: ToolCounts[];
  total: ToolCounts;
  reportPath: string;
  summaryPath: string;
}

/** The machine-readable summary (run.json): what tests and scripts compare between runs. */
export function runSummary(run: PipelineRun, table: readonly ToolCounts[], total: ToolCounts) {
  const steps = run.steps.map((s) => ({ stage: s.stage, title: s.title, lambda: s.lambda, durationMs: s.durationMs, status: s.status, ...(s.error ? { error: s.error } : {}) }));
  const scans = run.steps.flatMap((s) => (s.detail.kind === 'scan' && s.detail.response ? [s.detail.response] : []));
  const approval = run.steps.find((s) => s.detail.kind === 'approval')?.detail;
  const alert = run.steps.find((s) => s.detail.kind === 'alert')?.detail;
  const remediation = run.steps.find((s) => s.detail.kind === 'remediation')?.detail;
  return {
    ...run.plan,
    startedAt: new Date(run.startedAt).toISOString(),
    durationMs: run.finishedAt - run.startedAt,
    steps,
    scans: scans.map((r) => ({ tool: r.tool, status: r.status, total: r.total, active: r.active, imported: r.imported, unchanged: r.unchanged, archived: r.archived, reactivated: r.reactivated, gate: r.gate })),
    approval:
      approval?.kind === 'approval'
        ? { decision: approval.outcome?.decision, findings: approval.outcome?.findings, approvalResult: approval.decision?.status, mailSubject: approval.mail?.subject }
        : undefined,
    alert: alert?.kind === 'alert' && alert.outcome?.status === 'alerted' ? { severity: alert.outcome.severity, imported: alert.outcome.imported, mailSubject: alert.message?.subject } : undefined,
    remediation:
      remediation?.kind === 'remediation' ? { status: remediation.outcome?.status, workflow: remediation.workflow, steps: remediation.outcome && 'steps' in remediation.outcome ? remediation.outcome.steps : [] } : undefined,
    active: { total: total.total, bySeverity: total.counts, byTool: Object.fromEntries(table.map((t) => [t.tool, { ...t.counts, total: t.total }])) },
    archived: run.archived.map((f) => ({ tool: toRow(f).tool, title: f.Title, id: f.Id })),
    reactivated: run.reactivated.map((f) => ({ tool: toRow(f).tool, title: f.Title, id: f.Id })),
    failures: run.failures,
  };
}

export async function runLocalPipeline(options: LocalRunOptions): Promise<LocalRunResult> {
  const { root, stateDir, out } = options;
  const now = options.now ?? Date.now;
  const distDir = join(root, 'dist/apps');
  const missing = missingBundles(distDir);
  if (missing.length > 0) {
    throw new Error(`the Lambda bundles are missing (${missing.map((m) => relative(root, m)).join(', ')}): run npx nx run-many -t build -p sca-parser,sast-parser,dast-parser,approval-notifier,cloudtrail-alerter,auto-remediator`);
  }
  if (options.reset) rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  const shown = (path: string) => (relative(root, path).startsWith('..') ? path : relative(root, path));

  const plan = loadPlan(join(root, 'samples'), { fixed: options.fixed });
  const services = await startLocalServices(plan, stateDir);
  try {
    out(`\n▶ Local AWS for one execution of ${plan.pipelineName} (${plan.sample}, commit ${plan.commit.slice(0, 12)}: "${plan.commitMessage}")`);
    out(`    Security Hub  ${services.hub.endpoint}  securityhub-local, store ${shown(join(stateDir, 'securityhub.json'))}`);
    out(`    S3            ${services.s3Endpoint}  s3rver, bucket ${plan.reportsBucket} in ${shown(join(stateDir, 's3'))}`);
    out(`    CodePipeline, CodeBuild, IAM, SNS  ${services.aws.endpoint}  local fake (AWS_ENDPOINT_URL_<SERVICE>), every call recorded`);

    const s3 = new S3Client({ endpoint: services.s3Endpoint, forcePathStyle: true, region: plan.region, credentials: S3RVER_CREDENTIALS });
    const invoke = bundleInvoker({
      distDir,
      plan,
      common: commonEnvironment(plan, { hubEndpoint: services.hub.endpoint, s3Endpoint: services.s3Endpoint, aws: services.aws }, options.verbose ? 'INFO' : 'SILENT'),
      perFunction: functionEnvironments(plan),
      instance: randomUUID(),
    });
    const securityHub = new SecurityHubClient({ endpoint: services.hub.endpoint, region: plan.region, credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } });
    let runStartedAt: number | undefined;
    // What the previous run left active, so the report can say what is new.
    const previousActiveIds = (await services.hub.findings())
      .filter((f) => f.RecordState !== 'ARCHIVED')
      .map((f) => f.Id ?? '');
    const run = await runPipeline(plan, {
      invoke,
      putObject: async (bucket, key, body) => {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
      },
      seedFindings: async (findings: AwsSecurityFinding[]) => {
        const summary = services.hub.importFindings(findings);
        if (summary.FailedCount > 0) throw new Error(`Security Hub refused the control finding: ${summary.FailedFindings.map((f) => f.ErrorMessage).join('; ')}`);
      },
      listFindings: async () => services.hub.findings(),
      published: () => services.aws.published(),
      approvalDecisions: () => services.aws.approvalDecisions(),
      updateFindings: async (findings, status, note, updatedBy) => {
        await securityHub.send(
          new BatchUpdateFindingsCommand({
            FindingIdentifiers: findings.map((f) => ({ Id: f.Id, ProductArn: f.ProductArn })),
            Workflow: { Status: status },
            Note: { Text: note, UpdatedBy: updatedBy },
          }),
        );
      },
      clock: now,
      onStep: (step) => {
        runStartedAt ??= step.startedAt;
        for (const line of formatStep(step, runStartedAt)) out(line);
      },
    });
    s3.destroy();
    securityHub.destroy();

    const rows = activeRows(run.findings);
    const table = countsByTool(rows);
    const total = totalCounts(table);
    out(`\n▶ What Security Hub shows: ACTIVE findings by tool and severity (${((run.finishedAt - run.startedAt) / 1000).toFixed(2)} s for the whole run)`);
    for (const line of formatCountsTable(table, total)) out(line);

    const reportPath = join(stateDir, 'report.html');
    writeFileSync(
      reportPath,
      renderHtmlReport({
        title: `${plan.repository}@${plan.branch}: local pipeline run (${plan.commit.slice(0, 12)})`,
        generatedAt: new Date(run.finishedAt).toISOString(),
        findings: run.findings,
        fixed: run.archived,
        verdicts: reportVerdicts(run),
        blockingIds: blockingIds(run),
        ...(previousActiveIds.length > 0 ? { previousActiveIds } : {}),
        region: plan.region,
        partition: 'aws',
      }),
    );
    const summaryPath = join(stateDir, 'run.json');
    writeFileSync(summaryPath, `${JSON.stringify(runSummary(run, table, total), null, 2)}\n`);
    const verdict = verdictLines(run, { reportPath: shown(reportPath), storePath: shown(join(stateDir, 'securityhub.json')), region: plan.region });
    return { run, verdict, table, total, reportPath, summaryPath };
  } finally {
    await services.close();
  }
}
