import { evaluateGate, gateJson } from '@devsecops/gate';
import { join } from 'node:path';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { emptyCounts } from '@devsecops/asff';
import { reportObjectKey, type ScanResponse } from '@devsecops/scan-ingest';
import { workspaceRoot } from '@devsecops/test-support';
import { scanFinding } from './__fixtures__/findings';
import type { ApprovalDecision, PublishedMessage } from './fake-aws/service';
import { loadPlan, type LambdaName } from './plan';
import { InvocationError, runPipeline, type RunnerDependencies, type TimelineStep } from './runner';

const plan = loadPlan(join(workspaceRoot, 'samples'), { fixed: false });

function scanResponse(tool: string, passed: boolean): ScanResponse {
  return {
    status: 'ok',
    account: '123456789012',
    throttled: 0,
    tool,
    total: 2,
    active: 2,
    bySeverity: { ...emptyCounts(), HIGH: 2 },
    imported: 2,
    unchanged: 0,
    archived: 0,
    reactivated: 0,
    failed: [],
    notSent: 0,
    apiCalls: 2,
    gate: { ...gateJson(evaluateGate([], { failOn: 'HIGH', now: new Date(0) })), passed, blocking: passed ? 0 : 2 },
    decisionsWritten: 0,
    warnings: [],
  };
}

/** A scripted AWS: each function's answer, what it publishes, and what it does to the findings store. */
function world(overrides: { failing?: LambdaName; store?: AwsSecurityFinding[]; onScan?: (tool: string, store: AwsSecurityFinding[]) => void } = {}) {
  const store = overrides.store ?? [];
  const published: PublishedMessage[] = [];
  const decisions: ApprovalDecision[] = [];
  const log: string[] = [];
  const events: { fn: LambdaName; event: Record<string, unknown> }[] = [];
  const objects = new Map<string, Uint8Array>();
  let now = 1_000;
  const deps: RunnerDependencies = {
    async invoke(fn, event) {
      log.push(`invoke ${fn}`);
      events.push({ fn, event: event as Record<string, unknown> });
      if (fn === overrides.failing) throw new InvocationError('InvalidReport', 's3://bucket/key: is not a report');
      now += 100;
      const e = event as { tool?: string };
      switch (fn) {
        case 'sca-parser':
        case 'sast-parser':
        case 'dast-parser':
          overrides.onScan?.(e.tool!, store);
          return scanResponse(e.tool === 'sarif' ? 'semgrep' : e.tool!, e.tool === 'phpstan');
        case 'approval-notifier':
          published.push({ topicArn: plan.approversTopicArn, subject: 'Rejected: …', message: 'the mail', messageId: 'm1' });
          decisions.push({ pipelineName: plan.pipelineName, stageName: 'Approval', actionName: 'ManualApproval', status: 'Rejected', summary: 'policy' });
          return { notified: [{ pipelineName: plan.pipelineName, stageName: 'Approval', actionName: 'ManualApproval', commit: plan.commit, findings: { total: 3, bySeverity: emptyCounts(), complete: true }, decision: 'reject', rejection: 'rejected' }] };
        case 'cloudtrail-alerter':
          published.push({ topicArn: plan.notificationsTopicArn, subject: '[CRITICAL] UpdatePipeline', message: 'the alert', messageId: 'm2' });
          return { status: 'alerted', eventId: 'e', eventName: 'UpdatePipeline', severity: 'CRITICAL', imported: true, mailed: true };
        case 'auto-remediator': {
          const finding = store.find((f) => f.Compliance?.SecurityControlId === 'CodeBuild.2')!;
          finding.Workflow = { Status: 'NOTIFIED' };
          finding.Note = { Text: '[dry run] CodeBuild.2: would …', UpdatedBy: 'remediator', UpdatedAt: '2026-11-22T14:00:00Z' };
          return { outcomes: [{ status: 'planned', findingId: finding.Id, controlId: 'CodeBuild.2', resource: 'arn:project', compliant: false, steps: ['store …'], followUps: [] }] };
        }
      }
    },
    async putObject(bucket, key, body) {
      log.push(`put ${key}`);
      objects.set(`${bucket}/${key}`, body);
    },
    async seedFindings(findings) {
      log.push('seed');
      store.push(...structuredClone(findings));
    },
    listFindings: async () => structuredClone(store),
    published: () => [...published],
    approvalDecisions: () => [...decisions],
    clock: () => (now += 1),
  };
  return { deps, log, events, objects, store };
}

describe('runPipeline', () => {
  it('invokes the functions in pipeline order, each with the event AWS would send', async () => {
    // Arrange
    const { deps, events } = world();
    // Act
    await runPipeline(plan, deps);
    // Assert
    expect(events.map((e) => e.fn)).toEqual(['sca-parser', 'sast-parser', 'sast-parser', 'sast-parser', 'dast-parser', 'approval-notifier', 'cloudtrail-alerter', 'auto-remediator']);
    expect(events.slice(0, 5).map((e) => e.event.tool)).toEqual(['dependency-check', 'sonarqube', 'phpstan', 'sarif', 'zap']);
    expect(events[5]!.event).toBe(plan.events.approval);
    expect(events[6]!.event).toBe(plan.events.cloudTrail);
    expect(events[7]!.event).toBe(plan.events.findingsImported);
  });

  it('uploads each report under its reportObjectKey() before invoking the parser with {bucket, key}', async () => {
    // Arrange
    const { deps, log, events, objects } = world();
    // Act
    await runPipeline(plan, deps);
    // Assert
    const sca = plan.scans[0]!;
    const key = reportObjectKey({ tool: 'dependency-check', repository: plan.repository, branch: plan.branch, commit: plan.commit, buildId: sca.buildId, fileName: sca.objectName });
    expect(events[0]!.event).toEqual({ tool: 'dependency-check', repository: 'hospital/patient-portal', branch: 'main', commit: plan.commit, buildId: sca.buildId, report: { bucket: plan.reportsBucket, key } });
    expect(log.indexOf(`put ${key}`)).toBe(log.indexOf('invoke sca-parser') - 1);
    expect(Buffer.from(objects.get(`${plan.reportsBucket}/${key}`)!)).toEqual(sca.body);
  });

  it('tells the DAST parser which URL was scanned', async () => {
    // Arrange
    const { deps, events } = world();
    // Act
    await runPipeline(plan, deps);
    // Assert
    expect(events.find((e) => e.fn === 'dast-parser')!.event.target).toBe('https://staging.patient-portal.example');
  });

  it("aggregates each stage's gate from the scan responses", async () => {
    // Arrange
    const { deps } = world();
    // Act
    const run = await runPipeline(plan, deps);
    // Assert
    const gates = run.steps.filter((s) => s.detail.kind === 'gate').map((s) => s.detail);
    expect(gates).toEqual([
      { kind: 'gate', passed: false, failOn: ['HIGH'], blocking: [{ tool: 'dependency-check', blocking: 2 }, { tool: 'sonarqube', blocking: 2 }, { tool: 'semgrep', blocking: 2 }] },
      { kind: 'gate', passed: false, failOn: ['HIGH'], blocking: [{ tool: 'zap', blocking: 2 }] },
    ]);
  });

  it('reports the findings the scans archived and reactivated', async () => {
    // Arrange
    const fixedLater = scanFinding('dependency-check', 1, 'HIGH');
    const cameBack = { ...scanFinding('zap', 2, 'LOW'), RecordState: 'ARCHIVED' as const };
    const otherRepository = scanFinding('zap', 3, 'LOW', {});
    otherRepository.ProductFields = { ...otherRepository.ProductFields, 'devsecops/Repository': 'elsewhere' };
    const { deps } = world({
      store: [fixedLater, cameBack, otherRepository],
      onScan: (tool, store) => {
        if (tool === 'dependency-check') store[0]!.RecordState = 'ARCHIVED';
        if (tool === 'zap') store[1]!.RecordState = 'ACTIVE';
        if (tool === 'zap') store[2]!.RecordState = 'ARCHIVED';
      },
    });
    // Act
    const run = await runPipeline(plan, deps);
    // Assert
    expect(run.archived.map((f) => f.Id)).toEqual([fixedLater.Id]);
    expect(run.reactivated.map((f) => f.Id)).toEqual([cameBack.Id]);
  });

  it('shows the mail the notifier published and the decision it sent to CodePipeline', async () => {
    // Arrange
    const { deps } = world();
    // Act
    const run = await runPipeline(plan, deps);
    // Assert
    const approval = run.steps.find((s) => s.detail.kind === 'approval')!.detail;
    expect(approval).toMatchObject({ kind: 'approval', mail: { subject: 'Rejected: …', message: 'the mail' }, decision: { status: 'Rejected' }, outcome: { decision: 'reject' } });
    const alert = run.steps.find((s) => s.detail.kind === 'alert')!.detail;
    expect(alert).toMatchObject({ kind: 'alert', outcome: { severity: 'CRITICAL' }, message: { message: 'the alert' } });
  });

  it('imports the control finding before the remediator runs, then shows its workflow and note', async () => {
    // Arrange
    const { deps, log } = world();
    // Act
    const run = await runPipeline(plan, deps);
    // Assert
    expect(log.indexOf('seed')).toBe(log.indexOf('invoke auto-remediator') - 1);
    expect(run.steps.at(-1)!.detail).toMatchObject({ kind: 'remediation', workflow: 'NOTIFIED', note: '[dry run] CodeBuild.2: would …', outcome: { status: 'planned' } });
  });

  it('records a failed invocation and goes on with the other steps', async () => {
    // Arrange
    const { deps, events } = world({ failing: 'sast-parser' });
    // Act
    const run = await runPipeline(plan, deps);
    // Assert
    expect(run.failures).toEqual([
      'SAST: SonarQube issues and hotspots: InvalidReport: s3://bucket/key: is not a report',
      'SAST: PHPStan: InvalidReport: s3://bucket/key: is not a report',
      'SAST: Semgrep (SARIF): InvalidReport: s3://bucket/key: is not a report',
    ]);
    expect(run.steps.filter((s) => s.status === 'failed').map((s) => s.error?.code)).toEqual(['InvalidReport', 'InvalidReport', 'InvalidReport']);
    expect(run.steps.find((s) => s.title === 'Scan gate')!.detail).toMatchObject({ passed: false });
    expect(events.at(-1)!.fn).toBe('auto-remediator');
  });

  it('reports every step as it ends, timed by the injected clock', async () => {
    // Arrange
    const seen: TimelineStep[] = [];
    const { deps } = world();
    // Act
    const run = await runPipeline(plan, { ...deps, onStep: (s) => seen.push(s) });
    // Assert
    expect(seen).toEqual(run.steps);
    expect(run.steps.map((s) => `${s.stage}: ${s.title}`)).toEqual([
      'Scan: SCA: OWASP Dependency-Check',
      'Scan: SAST: SonarQube issues and hotspots',
      'Scan: SAST: PHPStan',
      'Scan: SAST: Semgrep (SARIF)',
      'Scan: Scan gate',
      'Deploy-Staging: Deploy to staging',
      'DAST: DAST: OWASP ZAP',
      'DAST: DAST gate',
      'Security Hub: Changes since the previous run',
      'Approval: Approval notifier',
      'Audit: CloudTrail alerter',
      'Remediation: Auto-remediator (dry run)',
    ]);
    expect(run.steps[0]!.durationMs).toBeGreaterThanOrEqual(100);
    expect(run.steps.every((s, i) => i === 0 || s.startedAt >= run.steps[i - 1]!.startedAt + run.steps[i - 1]!.durationMs)).toBe(true);
  });
});
