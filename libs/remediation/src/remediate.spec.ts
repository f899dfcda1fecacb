import { BatchGetProjectsCommand, CodeBuildClient, UpdateProjectCommand } from '@aws-sdk/client-codebuild';
import { GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { EnableKeyRotationCommand, GetKeyRotationStatusCommand, KMSClient, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { BatchUpdateFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { remediationConfigFromEnv } from './config';
import { testClients } from './__fixtures__/clients';
import { ACCESS_KEY, ACCOUNT, CODEBUILD_2_RESOURCE, SECRET_KEY, SELF, controlFinding, leakingProject, standardFinding } from './__fixtures__/findings';
import { remediateFinding, type RemediatorDependencies } from './remediate';

const securityHub = mockClient(SecurityHubClient);
const kms = mockClient(KMSClient);
const codeBuild = mockClient(CodeBuildClient);
const ssm = mockClient(SSMClient);
const iam = mockClient(IAMClient);
const sns = mockClient(SNSClient);

function deps(env: Record<string, string> = {}): RemediatorDependencies & { logged: string[] } {
  const logged: string[] = [];
  const log = (message: string, ...extra: unknown[]) => void logged.push(JSON.stringify([message, ...extra]));
  return {
    clients: testClients(),
    securityHub: new SecurityHubClient({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    config: remediationConfigFromEnv({ ALLOWED_PLAYBOOKS: 'KMS.4,CodeBuild.2', ALLOWED_ACCOUNTS: ACCOUNT, ...env }),
    self: SELF,
    logger: { debug: log, info: log, warn: log, error: log },
    logged,
  };
}

function updates() {
  return securityHub.commandCalls(BatchUpdateFindingsCommand).map((c) => c.args[0].input);
}

beforeEach(() => {
  for (const m of [securityHub, kms, codeBuild, ssm, iam, sns]) m.reset();
  securityHub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [{ Id: 'x', ProductArn: 'y' }], UnprocessedFindings: [] });
  sns.on(PublishCommand).resolves({ MessageId: 'r-1' });
});

describe('remediateFinding', () => {
  it('in dry run logs the exact plan, changes nothing and marks the finding NOTIFIED with the plan', async () => {
    // Arrange
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    const d = deps();
    const finding = controlFinding('KMS.4');
    // Act
    const outcome = await remediateFinding(finding, d);
    // Assert
    expect(outcome).toMatchObject({ status: 'planned', controlId: 'KMS.4', steps: ['enable automatic rotation of key 1234abcd-12ab-34cd-56ef-1234567890ab'] });
    expect(kms).not.toHaveReceivedCommand(EnableKeyRotationCommand);
    expect(updates()).toEqual([
      {
        FindingIdentifiers: [{ Id: finding.Id, ProductArn: finding.ProductArn }],
        Workflow: { Status: 'NOTIFIED' },
        Note: { Text: '[dry run] KMS.4: would 1) enable automatic rotation of key 1234abcd-12ab-34cd-56ef-1234567890ab.', UpdatedBy: 'devsecops-auto-remediator' },
      },
    ]);
    expect(d.logged.join('\n')).toContain('Remediation plan (dry run: nothing is changed)');
    expect(d.logged.join('\n')).toContain('kms:EnableKeyRotation');
  });

  it('applies, verifies and marks the finding RESOLVED with what was done', async () => {
    // Arrange
    kms.on(GetKeyRotationStatusCommand).resolvesOnce({ KeyRotationEnabled: false }).resolves({ KeyRotationEnabled: true });
    // Act
    const outcome = await remediateFinding(controlFinding('KMS.4'), deps({ DRY_RUN: 'false' }));
    // Assert
    expect(outcome).toMatchObject({ status: 'resolved', verification: 'GetKeyRotationStatus reports rotation on' });
    expect(kms).toHaveReceivedCommand(EnableKeyRotationCommand);
    expect(updates()[0]).toMatchObject({
      Workflow: { Status: 'RESOLVED' },
      Note: {
        Text: 'KMS.4 remediated by devsecops-auto-remediator. Done: 1) enable automatic rotation of key 1234abcd-12ab-34cd-56ef-1234567890ab. Verified: GetKeyRotationStatus reports rotation on.',
        UpdatedBy: 'devsecops-auto-remediator',
      },
    });
  });

  it('leaves a finding NEW with a note when the playbook fails, and reports the error', async () => {
    // Arrange
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    kms.on(EnableKeyRotationCommand).rejects(Object.assign(new Error('AWS managed keys cannot be rotated by you'), { name: 'UnsupportedOperationException' }));
    const d = deps({ DRY_RUN: 'false', REPORT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:remediation' });
    // Act
    const outcome = await remediateFinding(controlFinding('KMS.4'), d);
    // Assert
    expect(outcome).toMatchObject({ status: 'failed', stage: 'apply', error: 'UnsupportedOperationException: AWS managed keys cannot be rotated by you' });
    const update = updates()[0]!;
    expect(update.Workflow).toBeUndefined();
    expect(update.Note!.Text).toMatch(/^KMS\.4 remediation by devsecops-auto-remediator failed \(apply\): UnsupportedOperationException/);
    expect(d.logged.join('\n')).toContain('Remediation failed');
    expect(sns).toHaveReceivedCommandWith(PublishCommand, { Subject: expect.stringMatching(/^Remediation FAILED KMS\.4/) });
  });

  it('fails when the change does not verify, without marking it RESOLVED', async () => {
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    kms.on(EnableKeyRotationCommand).resolves({});
    const outcome = await remediateFinding(controlFinding('KMS.4'), deps({ DRY_RUN: 'false' }));
    expect(outcome).toMatchObject({ status: 'failed', stage: 'verify', error: 'verification failed: GetKeyRotationStatus still reports rotation off' });
    expect(updates().map((u) => u.Workflow)).toEqual([undefined]);
  });

  it('never touches its own update (no feedback loop)', async () => {
    const finding = controlFinding('KMS.4', { Note: { Text: 'failed', UpdatedBy: 'devsecops-auto-remediator', UpdatedAt: '2026-11-22T11:00:00Z' } });
    const outcome = await remediateFinding(finding, deps({ DRY_RUN: 'false' }));
    expect(outcome).toEqual({ status: 'skipped', findingId: finding.Id, reason: 'last updated by the remediator itself' });
    expect(securityHub).not.toHaveReceivedCommand(BatchUpdateFindingsCommand);
    expect(kms).not.toHaveReceivedCommand(GetKeyRotationStatusCommand);
  });

  it('requires the resource tag when configured, reading it from the service', async () => {
    kms.on(ListResourceTagsCommand).resolves({ Tags: [{ TagKey: 'team', TagValue: 'web' }] });
    const outcome = await remediateFinding(controlFinding('KMS.4'), deps({ DRY_RUN: 'false', REQUIRED_RESOURCE_TAG: 'auto-remediate=true' }));
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'resource lacks the tag auto-remediate=true' });
    expect(securityHub).not.toHaveReceivedCommand(BatchUpdateFindingsCommand);
  });

  it('resolves CodeBuild.2 and never puts the moved secret in a note, a log or a report', async () => {
    // Arrange: the project is fixed after UpdateProject; an AWS error on the way echoes the secret
    const fixed = leakingProject({
      environmentVariables: [
        { name: 'AWS_ACCESS_KEY_ID', value: '/codebuild/sca/env/AWS_ACCESS_KEY_ID', type: 'PARAMETER_STORE' },
        { name: 'AWS_SECRET_ACCESS_KEY', value: '/codebuild/sca/env/AWS_SECRET_ACCESS_KEY', type: 'PARAMETER_STORE' },
        { name: 'REPORT_NAME', value: 'dc-report', type: 'PLAINTEXT' },
      ],
    });
    codeBuild.on(BatchGetProjectsCommand).resolvesOnce({ projects: [leakingProject()] }).resolves({ projects: [fixed] });
    iam.on(GetRolePolicyCommand).rejects(Object.assign(new Error('no policy'), { name: 'NoSuchEntityException' }));
    ssm.on(PutParameterCommand).resolves({});
    iam.on(PutRolePolicyCommand).resolves({});
    codeBuild.on(UpdateProjectCommand).rejects(Object.assign(new Error(`Invalid value ${SECRET_KEY} for ${ACCESS_KEY}`), { name: 'InvalidInputException' }));
    const d = deps({ DRY_RUN: 'false', REPORT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:remediation' });
    // Act
    const outcome = await remediateFinding(controlFinding('CodeBuild.2'), d);
    // Assert
    expect(outcome).toMatchObject({ status: 'failed', stage: 'apply' });
    const everything = JSON.stringify([outcome, updates(), d.logged, sns.commandCalls(PublishCommand).map((c) => c.args[0].input)]);
    expect(everything).toContain('InvalidInputException');
    expect(everything).not.toContain(SECRET_KEY);
    expect(everything).not.toContain(ACCESS_KEY);
  });

  it('reports the key to rotate after a successful CodeBuild.2 remediation', async () => {
    // Arrange
    const fixed = leakingProject({
      environmentVariables: [
        { name: 'AWS_ACCESS_KEY_ID', value: '/codebuild/sca/env/AWS_ACCESS_KEY_ID', type: 'PARAMETER_STORE' },
        { name: 'AWS_SECRET_ACCESS_KEY', value: '/codebuild/sca/env/AWS_SECRET_ACCESS_KEY', type: 'PARAMETER_STORE' },
      ],
    });
    codeBuild.on(BatchGetProjectsCommand).resolvesOnce({ projects: [leakingProject()] }).resolves({ projects: [fixed] });
    let policy: string | undefined;
    iam.on(GetRolePolicyCommand).callsFake(() => {
      if (!policy) throw Object.assign(new Error('no policy'), { name: 'NoSuchEntityException' });
      return { PolicyDocument: encodeURIComponent(policy) };
    });
    iam.on(PutRolePolicyCommand).callsFake((input: { PolicyDocument: string }) => ((policy = input.PolicyDocument), {}));
    ssm.on(PutParameterCommand).resolves({});
    codeBuild.on(UpdateProjectCommand).resolves({});
    const { DescribeParametersCommand } = await import('@aws-sdk/client-ssm');
    ssm.on(DescribeParametersCommand).resolves({
      Parameters: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].map((n) => ({ Name: `/codebuild/sca/env/${n}`, Type: 'SecureString' as const })),
    });
    const d = deps({ DRY_RUN: 'false', REPORT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:remediation' });
    // Act
    const outcome = await remediateFinding(controlFinding('CodeBuild.2'), d);
    // Assert
    expect(outcome).toMatchObject({ status: 'resolved' });
    const note = updates()[0]!.Note!.Text!;
    expect(note.length).toBeLessThanOrEqual(512);
    expect(note).toContain('To do: Access key AKIA…MPLE was stored in plaintext: rotate it');
    const reportText = sns.commandCalls(PublishCommand)[0]!.args[0].input.Message!;
    expect(reportText).toContain('rotate it');
    expect(JSON.stringify([updates(), d.logged, reportText])).not.toContain(SECRET_KEY);
  });

  it.each([
    ['the FSBP per-standard finding', standardFinding('CodeBuild.2', 'fsbp', { overrides: { Resources: [CODEBUILD_2_RESOURCE] } })],
    ['the consolidated control finding', controlFinding('CodeBuild.2', { Resources: [CODEBUILD_2_RESOURCE] })],
  ])('in dry run on %s of CodeBuild.2 writes a note that summarises the plan without cutting a step; log and report have every step', async (_, finding) => {
    // Arrange: the deployed prefix (/<app>/codebuild) makes the whole plan longer than Note.Text's 512 characters
    codeBuild.on(BatchGetProjectsCommand).resolves({ projects: [leakingProject()] });
    iam.on(GetRolePolicyCommand).rejects(Object.assign(new Error('no policy'), { name: 'NoSuchEntityException' }));
    const d = deps({ REPORT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:remediation', CODEBUILD_PARAMETER_PREFIX: '/patient-portal-pipeline/codebuild' });
    // Act
    const outcome = await remediateFinding(finding, d);
    // Assert
    expect(outcome).toMatchObject({ status: 'planned', controlId: 'CodeBuild.2' });
    const steps = (outcome as { steps: string[] }).steps;
    expect(steps).toHaveLength(4);
    const { followUps } = outcome as { followUps: string[] };
    const whole = `[dry run] CodeBuild.2: To do: ${followUps.join(' ')} would ${steps.map((step, i) => `${i + 1}) ${step}`).join('; ')}.`;
    expect(whole.length).toBeGreaterThan(512);
    const note = updates()[0]!.Note!.Text!;
    expect(note.length).toBeLessThanOrEqual(512);
    expect(note).toMatch(/\.$/); // whole sentences: not cut
    expect(note).toMatch(/^\[dry run\] CodeBuild\.2: To do: Access key AKIA…MPLE was stored in plaintext: rotate it/);
    expect(note).toContain("would make 4 changes: ssm:PutParameter ×2, iam:PutRolePolicy, codebuild:UpdateProject (every step is in the remediator's log).");
    expect(note).not.toMatch(/\d\) /); // no numbered step, so none half-written
    expect(updates()[0]!.Workflow).toEqual({ Status: 'NOTIFIED' });
    const log = d.logged.join('\n');
    const report = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(report.Subject).toBe('Remediation plan (dry run) CodeBuild.2: sca');
    for (const step of steps) {
      expect(log).toContain(step);
      expect(report.Message).toContain(step);
    }
    expect(JSON.stringify([updates(), d.logged, report])).not.toContain(SECRET_KEY);
    expect(codeBuild).not.toHaveReceivedCommand(UpdateProjectCommand);
  });
});
