import { FIELD, type AwsSecurityFinding } from '@devsecops/asff';
import type { GateVerdict } from '@devsecops/report-html';
import type { PipelineRun, TimelineStep } from './runner';

/**
 * The block `npm start` ends with: what CodePipeline would have done with this execution, why, where the report is,
 * and how to go on from here. Pure: the run in, lines out.
 */

export interface VerdictContext {
  /** report.html, as the user should type it. */
  reportPath: string;
  /** The persisted Security Hub store, as the user should type it. */
  storePath: string;
  region: string;
}

type GateDetail = Extract<TimelineStep['detail'], { kind: 'gate' }>;

function gateOf(run: Pick<PipelineRun, 'steps'>, stage: string): GateDetail | undefined {
  const step = run.steps.find((s) => s.stage === stage && s.detail.kind === 'gate');
  return step?.detail.kind === 'gate' ? step.detail : undefined;
}

function gateLine(gate: GateDetail | undefined): { passed: boolean; text: string } {
  if (!gate) return { passed: false, text: 'no answer (a scan failed to run): FAILED, the gate fails closed' };
  if (gate.passed) return { passed: true, text: `passed (fail on ${gate.failOn.join('/') || 'the threshold'}: nothing at or above it)` };
  const total = gate.blocking.reduce((sum, b) => sum + b.blocking, 0);
  const byTool = gate.blocking.map((b) => `${b.blocking} ${b.tool}`).join(', ');
  return { passed: false, text: `FAILED (${total} blocking${byTool ? `: ${byTool}` : ''}; fail on ${gate.failOn.join('/') || '?'})` };
}

const TOOL_NAMES: Readonly<Record<string, string>> = {
  'dependency-check': 'Dependency-Check',
  sonarqube: 'SonarQube',
  phpstan: 'PHPStan',
  semgrep: 'Semgrep',
  zap: 'ZAP',
};

function notActiveLines(findings: readonly AwsSecurityFinding[]): string[] {
  const suppressed = findings.filter((f) => f.Workflow?.Status === 'SUPPRESSED');
  const groups = new Map<string, string[]>();
  for (const f of suppressed) {
    const tool = f.ProductFields?.[FIELD.tool] ?? 'a tool';
    const pkg = f.Vulnerabilities?.[0]?.VulnerablePackages?.[0]?.Name?.split(/[:/]/).pop();
    const what = pkg && f.Vulnerabilities?.[0]?.Id ? `${pkg} ${f.Vulnerabilities[0].Id}` : (f.Title ?? f.Id ?? '');
    const where = f.Note?.Text ? 'Security Hub' : (TOOL_NAMES[tool] ?? tool);
    groups.set(where, [...(groups.get(where) ?? []), what]);
  }
  const list = (items: readonly string[]) => `${items.slice(0, 3).join(', ')}${items.length > 3 ? `, … ${items.length - 3} more` : ''}`;
  const lines = [...groups].map(([where, items]) => `${items.length} suppressed in ${where}: ${list(items)}`);
  const archived = findings.filter((f) => f.RecordState === 'ARCHIVED' && f.Workflow?.Status !== 'SUPPRESSED');
  // The tool itself closed some (a SonarQube hotspot reviewed as safe); the rest vanished from the latest scan.
  const closedInTool = new Map<string, string[]>();
  let vanished = 0;
  for (const f of archived) {
    if (f.ProductFields?.[FIELD.state] === 'RESOLVED') {
      const tool = TOOL_NAMES[f.ProductFields?.[FIELD.tool] ?? ''] ?? f.ProductFields?.[FIELD.tool] ?? 'the tool';
      const reason = f.ProductFields?.[FIELD.stateReason];
      closedInTool.set(tool, [...(closedInTool.get(tool) ?? []), `${f.Title ?? f.Id ?? ''}${reason ? ` (${reason})` : ''}`]);
    } else vanished += 1;
  }
  for (const [tool, items] of closedInTool) lines.push(`${items.length} closed in ${tool}: ${list(items)}`);
  if (vanished > 0) lines.push(`${vanished} archived: fixed, no longer reported by the latest scan of their tool`);
  return lines;
}

export function verdictLines(run: Pick<PipelineRun, 'steps' | 'findings'>, context: VerdictContext): string[] {
  const scan = gateLine(gateOf(run, 'Scan'));
  const dast = gateLine(gateOf(run, 'DAST'));
  const approvalStep = run.steps.find((s) => s.detail.kind === 'approval');
  const approval = approvalStep?.detail.kind === 'approval' ? approvalStep.detail : undefined;
  const rejected = approval?.decision?.status === 'Rejected';
  const stoppedAt = !scan.passed ? 'Scan' : !dast.passed ? 'DAST' : rejected ? 'Approval' : undefined;
  const later = (stage: string) => (stoppedAt && stoppedAt !== stage ? ' (shown here anyway: the local run goes through every step)' : '');
  const summary = approval?.decision?.summary ?? '';
  const approvalText = rejected
    ? `auto-rejected by policy: "${summary.length > 120 ? `${summary.slice(0, summary.lastIndexOf('.', 120) + 1 || 119)}…` : summary}"`
    : approval?.outcome
      ? `waiting for a person (policy: ${approval.outcome.decision}); the approvers were mailed`
      : 'the notifier did not answer';
  const notActive = notActiveLines(run.findings);
  return [
    '',
    '▶ Verdict: what CodePipeline would have done with this execution',
    `    Scan        ${scan.text}${scan.passed ? '' : ' → stopped before staging'}`,
    `    DAST        ${dast.text}${dast.passed ? '' : ' → stopped before approval'}${later('DAST')}`,
    `    Approval    ${approvalText}${later('Approval')}`,
    `    Production  ${stoppedAt ? `not deployed (stopped at ${stoppedAt})` : 'deployed after approval'}`,
    ...(notActive.length > 0 ? ['    Not active:', ...notActive.map((l) => `      ${l}`)] : []),
    '',
    `    Report      ${context.reportPath}  (open it in a browser: filters, details, links)`,
    '    Your own report:',
    '      npx findings convert your-report.json --format html --output report.html',
    '    The local Security Hub of this run, with the AWS CLI:',
    `      npm run securityhub-local -- --persist ${context.storePath} --region ${context.region}`,
    `      AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws securityhub get-findings --endpoint-url http://127.0.0.1:4566 --region ${context.region} \\`,
    `        --filters '{"RecordState":[{"Value":"ACTIVE","Comparison":"EQUALS"}],"SeverityLabel":[{"Value":"CRITICAL","Comparison":"EQUALS"}]}'`,
  ];
}

/** The run's gates as the HTML report shows them first. */
export function reportVerdicts(run: Pick<PipelineRun, 'steps'>): GateVerdict[] {
  return (['Scan', 'DAST'] as const).flatMap((stage) => {
    const gate = gateOf(run, stage);
    if (!gate) return [];
    return [
      {
        stage,
        passed: gate.passed,
        blocking: gate.blocking.reduce((sum, b) => sum + b.blocking, 0),
        failOn: gate.failOn.join('/') || undefined,
        ...(gate.passed ? {} : { consequence: stage === 'Scan' ? 'stopped before staging' : 'stopped before approval' }),
      },
    ];
  });
}

/** The findings that blocked, as each scan's gate listed them (ScanResponse.gate.findings). */
export function blockingIds(run: Pick<PipelineRun, 'steps'>): string[] {
  const ids = new Set<string>();
  for (const step of run.steps) {
    if (step.detail.kind !== 'scan' || !step.detail.response) continue;
    for (const f of step.detail.response.gate.findings ?? []) ids.add(f.id);
  }
  return [...ids];
}
