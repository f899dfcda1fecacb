import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { FIELD } from '@devsecops/asff';
import { reportObjectKey, type ScanResponse } from '@devsecops/scan-ingest';
import type { LambdaName, PipelinePlan } from './plan';

/**
 * The triage loop (issue 11, §4), as separate timeline steps after the pipeline's own: on a feature branch that
 * adds one HIGH over main, the gate in `new` mode blocks exactly that one; a suppressions file suppresses it; the
 * same file with the entry expired re-opens it; a security engineer suppresses it in Security Hub
 * (BatchUpdateFindings, as the console does) and the next run's gate no longer counts it.
 */

export const FEATURE_BRANCH = 'feature/patient-export';
export const SUPPRESSIONS_FILE = '.devsecops/suppressions.yaml';
const NEW_RESULT_URI = 'src/main/java/org/hospital/portal/ExportDao.java';

export interface TriageDependencies {
  invoke(fn: LambdaName, event: unknown): Promise<unknown>;
  putObject(bucket: string, key: string, body: Uint8Array): Promise<void>;
  listFindings(): Promise<AwsSecurityFinding[]>;
  /** BatchUpdateFindings on the local Security Hub, as a person in the console. */
  updateFindings(findings: readonly AwsSecurityFinding[], status: 'NEW' | 'SUPPRESSED', note: string, updatedBy: string): Promise<void>;
  clock(): number;
}

export interface TriageStep {
  title: string;
  lines: string[];
  response?: ScanResponse;
  /** deps.clock() when the step's work began. */
  startedAt: number;
}

/** The sample's Semgrep SARIF plus one new HIGH (the same SQL injection rule in a new DAO): the feature branch's scan. */
export function featureBranchSarif(semgrep: Buffer): Buffer {
  const log = JSON.parse(semgrep.toString('utf8')) as { runs: { results: Record<string, unknown>[] }[] };
  const results = log.runs[0]!.results;
  const sqli = results.find((r) => r['ruleId'] === 'java.spring.security.audit.spring-sqli.spring-sqli') ?? results[0]!;
  const added = structuredClone(sqli) as { locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; fingerprints?: Record<string, string> };
  added.locations[0]!.physicalLocation.artifactLocation.uri = NEW_RESULT_URI;
  added.locations[0]!.physicalLocation.region.startLine = 31;
  added.fingerprints = { 'matchBasedId/v1': 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed' };
  results.push(added as unknown as Record<string, unknown>);
  return Buffer.from(JSON.stringify(log, null, 2));
}

function day(clock: number, offsetDays: number): string {
  return new Date(clock + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export function suppressionsFile(expires: string): string {
  return [
    '# The application repository\'s suppressions (README "Triage and the gate").',
    'suppressions:',
    '  - rule: java.spring.security.audit.spring-sqli.spring-sqli',
    '    path: "src/main/java/**/ExportDao.java"',
    '    reason: export is behind the admin VPN until the query builder lands',
    '    owner: jane.doe@hospital.example',
    `    expires: ${expires}`,
    '',
  ].join('\n');
}

function gateLines(r: ScanResponse | undefined): string[] {
  if (!r) return ['no response'];
  const lines = r.gate.findings.map((f) => `  blocks: [${f.severity}] ${f.tool} ${f.rule} · ${f.location} (${f.reasons.map((x) => x.kind).join(', ')})`);
  for (const s of r.gate.suppressed) lines.push(`  suppressed: [${s.severity}] ${s.location} by ${s.by} (${s.source}): ${s.note}`);
  for (const s of r.gate.reopened) lines.push(`  re-opened: [${s.severity}] ${s.location}: ${s.why}`);
  return [...lines, r.gate.summary];
}

/** Runs the loop; each entry becomes one timeline step. */
export async function runTriage(plan: PipelinePlan, deps: TriageDependencies, record: (step: TriageStep) => void | Promise<void>): Promise<void> {
  const semgrep = plan.scans.find((s) => s.tool === 'sarif');
  if (!semgrep) return;
  const body = featureBranchSarif(semgrep.body);
  const feature = (f: AwsSecurityFinding) => f.ProductFields?.[FIELD.branch] === FEATURE_BRANCH && f.ProductFields?.[FIELD.repository] === plan.repository;
  const scan = async (gate: Record<string, unknown>): Promise<ScanResponse> => {
    const key = reportObjectKey({ tool: 'sarif', repository: plan.repository, branch: FEATURE_BRANCH, commit: plan.commit, buildId: `${semgrep.buildId}-feature`, fileName: semgrep.objectName });
    await deps.putObject(plan.reportsBucket, key, body);
    return (await deps.invoke(semgrep.lambda, {
      tool: 'sarif',
      repository: plan.repository,
      branch: FEATURE_BRANCH,
      commit: plan.commit,
      buildId: `${semgrep.buildId}-feature`,
      report: { bucket: plan.reportsBucket, key },
      failOn: 'HIGH',
      gate: { mode: 'new', baseBranch: plan.branch, ...gate },
    })) as ScanResponse;
  };

  // A fresh start for the demo: whatever an earlier run decided on the feature branch is undone.
  const earlier = (await deps.listFindings()).filter((f) => feature(f) && f.Workflow?.Status === 'SUPPRESSED');
  if (earlier.length > 0) await deps.updateFindings(earlier, 'NEW', 'Local demo: decisions of the previous run undone', 'local-pipeline');

  let t = deps.clock();
  const first = await scan({});
  await record({ startedAt: t, title: `Feature branch ${FEATURE_BRANCH} in new mode`, response: first, lines: [`the Semgrep scan of ${FEATURE_BRANCH} adds one HIGH (${NEW_RESULT_URI}) over ${plan.branch}`, ...gateLines(first)] });

  t = deps.clock();
  const inForce = suppressionsFile(day(deps.clock(), 90));
  const suppressed = await scan({ suppressions: [{ name: SUPPRESSIONS_FILE, content: inForce }] });
  await record({
    startedAt: t,
    title: 'Suppressions file in the repository',
    response: suppressed,
    lines: [`${SUPPRESSIONS_FILE} (rule + path glob, owner, expires in 90 days): Workflow SUPPRESSED via BatchUpdateFindings`, ...gateLines(suppressed)],
  });

  t = deps.clock();
  const expired = await scan({ suppressions: [{ name: SUPPRESSIONS_FILE, content: suppressionsFile(day(deps.clock(), -1)) }] });
  await record({ startedAt: t, title: 'The suppression expires', response: expired, lines: [`the same entry with expires: ${day(deps.clock(), -1)}: re-opened as NEW with a Note`, ...gateLines(expired)] });

  t = deps.clock();
  const blocker = (await deps.listFindings()).find((f) => feature(f) && f.Id === expired.gate.findings[0]?.id);
  if (blocker) {
    await deps.updateFindings([blocker], 'SUPPRESSED', 'Risk accepted until the export rewrite (ticket SEC-311)', 'security-engineer@hospital.example');
  }
  const after = await scan({ suppressions: [{ name: SUPPRESSIONS_FILE, content: suppressionsFile(day(deps.clock(), -1)) }] });
  await record({
    startedAt: t,
    title: 'Suppressed in Security Hub',
    response: after,
    lines: ['a security engineer sets the finding SUPPRESSED in the console (BatchUpdateFindings, with a Note); the next run:', ...gateLines(after)],
  });
}
