import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@devsecops/test-support';
import { chromiumPath, readRenderedReport } from './__fixtures__/chromium';
import { missingBundles } from './environment';
import type { runSummary } from './local-run';

/**
 * `npm start` as a user runs it (tools/scripts/start.ts through tsx, in its own process), with the bundles in
 * dist/apps that the project's test target builds first, against a fresh state directory: twice on the sample
 * build, then on the fixed build.
 */

type Summary = ReturnType<typeof runSummary>;

const TSX = join(workspaceRoot, 'node_modules/tsx/dist/cli.mjs');

function npmStart(stateDir: string, ...args: string[]): { status: number | null; stdout: string; stderr: string; summary: Summary } {
  const result = spawnSync(process.execPath, [TSX, '--tsconfig', 'tsconfig.base.json', 'tools/scripts/start.ts', '--skip-build', '--state-dir', stateDir, ...args], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    // a guard against a hang, not a speed check: one run takes seconds unloaded, far more on a busy machine
    timeout: 600_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const summaryPath = join(stateDir, 'run.json');
  const summary = existsSync(summaryPath) ? (JSON.parse(readFileSync(summaryPath, 'utf8')) as Summary) : ({} as Summary);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, summary };
}

/** Active findings by tool and severity as the samples give them (patient-portal/README's counts). */
const FIRST_BUILD = {
  'dependency-check': { CRITICAL: 2, HIGH: 3, MEDIUM: 1, LOW: 0, INFORMATIONAL: 0, total: 6 },
  sonarqube: { CRITICAL: 1, HIGH: 2, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, total: 3 },
  phpstan: { CRITICAL: 0, HIGH: 0, MEDIUM: 1, LOW: 3, INFORMATIONAL: 0, total: 4 },
  semgrep: { CRITICAL: 0, HIGH: 1, MEDIUM: 1, LOW: 0, INFORMATIONAL: 0, total: 2 },
  zap: { CRITICAL: 0, HIGH: 1, MEDIUM: 1, LOW: 1, INFORMATIONAL: 1, total: 4 },
  'cloudtrail-alerter': { CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, total: 1 },
  'Security Hub': { CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, total: 1 },
};

describe('npm start (end to end, bundled functions, separate process)', () => {
  jest.setTimeout(1_800_000);
  let stateDir: string;
  let first: ReturnType<typeof npmStart>;
  let second: ReturnType<typeof npmStart>;
  let fixed: ReturnType<typeof npmStart>;

  beforeAll(() => {
    const missing = missingBundles(join(workspaceRoot, 'dist/apps'));
    if (missing.length > 0) throw new Error(`build the Lambdas first (nx test local-pipeline does): missing ${missing.join(', ')}`);
    stateDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
    first = npmStart(stateDir, '--reset');
    second = npmStart(stateDir);
    fixed = npmStart(stateDir, '--fixed');
  });
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('runs every step without a failure', () => {
    // Assert
    for (const run of [first, second, fixed]) {
      expect(run.stderr).not.toMatch(/failed/);
      expect(run.status).toBe(0);
      expect(run.summary.failures).toEqual([]);
    }
    expect(first.summary.steps.map((s) => s.lambda).filter(Boolean)).toEqual([
      'sca-parser',
      'sast-parser',
      'sast-parser',
      'sast-parser',
      'dast-parser',
      'approval-notifier',
      'cloudtrail-alerter',
      'auto-remediator',
      'sast-parser',
      'sast-parser',
      'sast-parser',
      'sast-parser',
    ]);
  });

  it('shows the triage loop: new mode, a suppressions file, its expiry, a suppression in Security Hub; the same on every run', () => {
    for (const run of [first, second]) {
      const triage = run.stdout.slice(run.stdout.indexOf('Triage · '));
      const summaries = triage.split('\n').filter((l) => /^ {4}gate (FAILED|passed):/.test(l)).map((l) => l.trim());
      expect(summaries).toEqual([
        'gate FAILED: 1 blocking (1 new HIGH) · 2 existing · 0 suppressed',
        'gate passed: 0 blocking · 2 existing · 1 suppressed',
        'gate FAILED: 1 blocking (1 new HIGH) · 2 existing · 0 suppressed · 1 re-opened (suppression expired)',
        'gate passed: 0 blocking · 2 existing · 1 suppressed',
      ]);
      expect(triage).toContain('by security-engineer@hospital.example (security-hub): Risk accepted until the export rewrite (ticket SEC-311)');
    }
  });

  it('parses the scans, and the gate fails on the HIGH and CRITICAL findings', () => {
    // Assert
    expect(first.summary.scans.map((s) => [s.tool, s.total, s.active, s.imported, s.gate.passed])).toEqual([
      ['dependency-check', 7, 6, 7, false],
      ['sonarqube', 4, 3, 4, false],
      ['phpstan', 4, 4, 4, true],
      ['semgrep', 3, 2, 3, false],
      ['zap', 4, 4, 4, false],
    ]);
    expect(first.stdout).toContain('Scan · Scan gate');
    expect(first.stdout).toContain('FAILED (fail on HIGH): dependency-check 5, sonarqube 3, semgrep 1 blocking');
  });

  it('prints the approval mail with the findings summary of the commit, and rejects by policy', () => {
    // Assert
    expect(first.summary.approval).toEqual({
      decision: 'reject',
      approvalResult: 'Rejected',
      findings: { total: 19, complete: true, bySeverity: { CRITICAL: 3, HIGH: 7, MEDIUM: 4, LOW: 4, INFORMATIONAL: 1 } },
      mailSubject: 'Rejected: patient-portal-pipeline/Approval @ a11ce0de0000 - 3 CRITICAL, 7 HIGH, 4 MEDIUM',
    });
    expect(first.stdout).toContain('│ Subject: Rejected: patient-portal-pipeline/Approval @ a11ce0de0000');
    expect(first.stdout).toContain('│ By severity: CRITICAL 3, HIGH 7, MEDIUM 4, LOW 4, INFORMATIONAL 1');
    expect(first.stdout).not.toContain('5e8f3a1c-2b4d-4c6e-9f01-a2b3c4d5e6f7'); // the approval token is never shown
  });

  it('raises a CRITICAL alert for the UpdatePipeline that removes the DAST stage', () => {
    // Assert
    expect(first.summary.alert).toMatchObject({ severity: 'CRITICAL', imported: true });
    expect(first.stdout).toContain('removes stage DAST');
  });

  it('plans the CodeBuild.2 fix in a dry run and marks the finding NOTIFIED, never showing the secret key', () => {
    // Assert
    expect(first.summary.remediation).toEqual({
      status: 'planned',
      workflow: 'NOTIFIED',
      steps: [
        'store AWS_ACCESS_KEY_ID as SecureString /patient-portal/codebuild/patient-portal-sca/env/AWS_ACCESS_KEY_ID',
        'store AWS_SECRET_ACCESS_KEY as SecureString /patient-portal/codebuild/patient-portal-sca/env/AWS_SECRET_ACCESS_KEY',
        'let role patient-portal-sca-build-role read 2 parameter(s) with ssm:GetParameters (inline policy patient-portal-auto-remediator-ssm-patient-portal-sca)',
        'switch AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY of project patient-portal-sca to PARAMETER_STORE',
      ],
    });
    expect(first.stdout).not.toContain('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  });

  it('prints the final table and the path of the HTML report', () => {
    // Assert
    expect(first.summary.active.byTool).toEqual(FIRST_BUILD);
    expect(first.summary.active.total).toBe(21);
    expect(first.stdout).toMatch(/^ {2}dependency-check +2 +3 +1 +0 +0 +6$/m);
    expect(first.stdout).toMatch(/^ {2}total +5 +7 +4 +4 +1 +21$/m);
    expect(first.stdout).toContain('▶ Verdict: what CodePipeline would have done with this execution');
    expect(first.stdout).toMatch(/^ {4}Scan {8}FAILED \(\d+ blocking: .*; fail on HIGH\) → stopped before staging$/m);
    expect(first.stdout).toContain(`    Report      ${join(stateDir, 'report.html')}`);
    expect(first.stdout).toMatch(/Not active:\n {6}\d+ suppressed in Dependency-Check: commons-text CVE-2022-42889/);
    expect(existsSync(join(stateDir, 'report.html'))).toBe(true);
  });

  it('gives the same counts when run again, re-importing nothing', () => {
    // Assert
    expect(second.summary.active).toEqual(first.summary.active);
    expect(second.summary.approval).toEqual(first.summary.approval);
    expect(second.summary.scans.map((s) => [s.imported, s.unchanged === s.total, s.archived])).toEqual(Array(5).fill([0, true, 0]));
    expect(second.summary.archived).toEqual([]);
  });

  it('archives the lodash findings and the ZAP cookie alert on the fixed build', () => {
    // Assert
    expect(fixed.summary.archived.map((a) => `${a.tool}: ${a.title}`).sort()).toEqual([
      'dependency-check: lodash@4.17.15: CVE-2020-8203',
      'dependency-check: lodash@4.17.15: CVE-2021-23337',
      'zap: Cookie No HttpOnly Flag',
    ]);
    expect(fixed.summary.scans.map((s) => [s.tool, s.archived])).toEqual([
      ['dependency-check', 2],
      ['sonarqube', 0],
      ['phpstan', 0],
      ['semgrep', 0],
      ['zap', 1],
    ]);
    expect(fixed.summary.active.byTool['dependency-check']).toEqual({ CRITICAL: 2, HIGH: 1, MEDIUM: 1, LOW: 0, INFORMATIONAL: 0, total: 4 });
    expect(fixed.summary.active.byTool.zap).toEqual({ CRITICAL: 0, HIGH: 1, MEDIUM: 1, LOW: 0, INFORMATIONAL: 1, total: 3 });
    expect(fixed.summary.active.total).toBe(first.summary.active.total - 3);
    expect(fixed.stdout).toMatch(/archived +HIGH +dependency-check +lodash@4\.17\.15: CVE-2020-8203/);
  });

  (chromiumPath() ? it : it.skip)('writes a report whose verdict, chart and rows show the run (headless Chromium)', async () => {
    // Act
    const seen = await readRenderedReport(chromiumPath()!, join(stateDir, 'report.html'));

    // Assert
    const expected = fixed.summary.active.byTool;
    expect(seen.verdict).toContain('Gate FAILED');
    expect(seen.verdict).toMatch(/Scan: FAILED \(\d+ blocking, fail on HIGH\) → stopped before staging/);
    expect(seen.chart).toEqual(Object.fromEntries(Object.entries(expected).filter(([, c]) => c.total > 0).map(([tool, c]) => [tool, c.total])));
    expect(seen.activeRows).toBe(fixed.summary.active.total);
    expect(seen.errors).toEqual([]);
    expect(seen.external).toEqual([]);
  });
});
