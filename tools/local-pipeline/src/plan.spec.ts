import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateFinding, type AwsSecurityFinding } from '@devsecops/asff';
import { ApprovalSnsEventSchema } from '@devsecops/approval';
import { CloudTrailApiCallEventSchema } from '@devsecops/cloudtrail-alerts';
import { FindingsImportedEventSchema } from '@devsecops/remediation';
import { workspaceRoot } from '@devsecops/test-support';
import { approvalOf, BUILDS, fakeAwsWorld, LAMBDAS, loadPlan, SCANS } from './plan';

const samples = join(workspaceRoot, 'samples');

describe('the plan of a local execution', () => {
  it('reads every report of the sample build, each scan from its own file', () => {
    // Act
    const plan = loadPlan(samples, { fixed: false });
    // Assert
    expect(plan.scans.map((s) => s.sources)).toEqual([
      ['patient-portal/dependency-check-report.json'],
      ['patient-portal/sonarqube-issues.json', 'patient-portal/sonarqube-hotspots.json'],
      ['patient-portal/phpstan.json'],
      ['patient-portal/semgrep.sarif'],
      ['patient-portal/zap-report.json'],
    ]);
    expect(plan.scans[0]!.body).toEqual(readFileSync(join(samples, 'patient-portal/dependency-check-report.json')));
    expect(plan.commit).toBe(BUILDS.original.commit);
  });

  it("uploads SonarQube's issues and hotspots pages as one JSON array (one scan, so neither archives the other)", () => {
    // Act
    const sonar = loadPlan(samples, { fixed: false }).scans.find((s) => s.tool === 'sonarqube')!;
    // Assert
    const pages = JSON.parse(sonar.body.toString('utf8')) as Record<string, unknown>[];
    expect(pages).toHaveLength(2);
    expect(Object.keys(pages[0]!)).toContain('issues');
    expect(Object.keys(pages[1]!)).toContain('hotspots');
  });

  it('takes the next build from patient-portal-fixed, and a report that did not change from patient-portal', () => {
    // Act
    const plan = loadPlan(samples, { fixed: true });
    // Assert
    expect(plan.scans.map((s) => s.sources[0])).toEqual([
      'patient-portal-fixed/dependency-check-report.json',
      'patient-portal/sonarqube-issues.json',
      'patient-portal-fixed/phpstan.json',
      'patient-portal-fixed/semgrep.sarif',
      'patient-portal-fixed/zap-report.json',
    ]);
    expect(plan.commit).toBe(BUILDS.fixed.commit);
    expect(plan.scans.every((s) => s.buildId.endsWith(BUILDS.fixed.buildUuid))).toBe(true);
  });

  it('runs every bundled function: the scans through the parsers, the events through the others', () => {
    // Act / Assert
    expect(new Set(SCANS.map((s) => s.lambda))).toEqual(new Set(LAMBDAS.slice(0, 3)));
  });
});

describe('the sample events', () => {
  const plan = loadPlan(samples, { fixed: false });

  it('are events the functions accept (their own schemas)', () => {
    // Act / Assert
    expect(ApprovalSnsEventSchema.safeParse(plan.events.approval).error).toBeUndefined();
    expect(CloudTrailApiCallEventSchema.safeParse(plan.events.cloudTrail).error).toBeUndefined();
    expect(FindingsImportedEventSchema.safeParse(plan.events.findingsImported).error).toBeUndefined();
  });

  it('CloudTrail: UpdatePipeline with the sample pipeline minus its DAST stage', () => {
    // Arrange
    const detail = plan.events.cloudTrail.detail as { eventName: string; requestParameters: { pipeline: { stages: { name: string }[] } } };
    // Act
    const stages = detail.requestParameters.pipeline.stages;
    // Assert
    expect(detail.eventName).toBe('UpdatePipeline');
    expect(stages.map((s) => s.name)).toEqual(plan.pipeline.stages!.map((s) => s.name).filter((n) => n !== 'DAST'));
    expect(stages).toEqual(plan.pipeline.stages!.filter((s) => s.name !== 'DAST'));
  });

  it('Security Hub: a valid CodeBuild.2 control finding, FAILED, NEW and ACTIVE, on a project the fake CodeBuild knows', () => {
    // Arrange
    const finding = (plan.events.findingsImported.detail as { findings: AwsSecurityFinding[] }).findings[0]!;
    // Act
    const problems = validateFinding(finding);
    // Assert
    expect(problems).toEqual([]);
    expect(finding).toMatchObject({ Compliance: { Status: 'FAILED', SecurityControlId: 'CodeBuild.2' }, Workflow: { Status: 'NEW' }, RecordState: 'ACTIVE' });
    expect(plan.codeBuildProjects.map((p) => p.arn)).toContain(finding.Resources![0]!.Id);
  });

  it('the fake pipeline waits at the approval of the sample notification, on the build being run', () => {
    // Act
    const world = fakeAwsWorld(plan);
    // Assert
    const approval = approvalOf(plan.events.approval);
    expect(world.executions).toEqual([
      expect.objectContaining({ pipelineName: approval.pipelineName, waitingAt: { stageName: approval.stageName, actionName: approval.actionName, token: approval.token } }),
    ]);
    expect(world.executions[0]!.artifactRevisions[0]!.revisionId).toBe(plan.commit);
    expect(world.pipelines[0]!.stages!.some((s) => s.name === approval.stageName && s.actions!.some((a) => a.name === approval.actionName))).toBe(true);
    expect(world.topics).toEqual([plan.approversTopicArn, plan.notificationsTopicArn]);
  });
});
