import { BatchGetProjectsCommand, CodeBuildClient, UpdateProjectCommand } from '@aws-sdk/client-codebuild';
import { GetAccessKeyLastUsedCommand, GetRolePolicyCommand, IAMClient, NoSuchEntityException, PutRolePolicyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { DescribeParametersCommand, ParameterAlreadyExists, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { remediationConfigFromEnv } from '../config';
import { ACCESS_KEY, ACCOUNT, SECRET_KEY, leakingProject } from '../__fixtures__/findings';
import type { PlaybookContext, RemediationTarget } from '../playbook';
import { testClients } from '../__fixtures__/clients';
import { codeBuild2, planCodeBuildCredentials, readParametersPolicy } from './codebuild-2';

const target: RemediationTarget = {
  controlId: 'CodeBuild.2',
  resourceType: 'AwsCodeBuildProject',
  arn: `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/sca`,
  name: 'sca',
  region: 'us-east-1',
  accountId: ACCOUNT,
  partition: 'aws',
};
const SECRET_ARN = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/codebuild/sca/env/AWS_SECRET_ACCESS_KEY`;
const KEY_ID_ARN = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/codebuild/sca/env/AWS_ACCESS_KEY_ID`;

describe('planCodeBuildCredentials', () => {
  const input = { target, prefix: '/codebuild', policyName: 'devsecops-auto-remediator-ssm-sca', deactivateKey: false };

  it('moves each plaintext credential to a SecureString, grants exactly those parameters and switches the variables', () => {
    // Act
    const plan = planCodeBuildCredentials({ ...input, project: leakingProject() });
    // Assert
    expect(plan.compliant).toBe(false);
    expect(plan.steps.map((s) => s.action)).toEqual(['ssm:PutParameter', 'ssm:PutParameter', 'iam:PutRolePolicy', 'codebuild:UpdateProject']);
    expect(plan.state.environmentVariables).toEqual([
      { name: 'AWS_ACCESS_KEY_ID', value: '/codebuild/sca/env/AWS_ACCESS_KEY_ID', type: 'PARAMETER_STORE' },
      { name: 'AWS_SECRET_ACCESS_KEY', value: '/codebuild/sca/env/AWS_SECRET_ACCESS_KEY', type: 'PARAMETER_STORE' },
      { name: 'REPORT_NAME', value: 'dc-report', type: 'PLAINTEXT' },
    ]);
    expect(JSON.parse(plan.state.policyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'ReadMovedCredentials', Effect: 'Allow', Action: ['ssm:GetParameters'], Resource: [KEY_ID_ARN, SECRET_ARN] }],
    });
    expect(plan.state.roleName).toBe('codebuild-sca-role');
    expect(plan.secrets).toEqual([ACCESS_KEY, SECRET_KEY]);
  });

  it('says the leaked key must be rotated, naming it only by a masked id', () => {
    const plan = planCodeBuildCredentials({ ...input, project: leakingProject() });
    expect(plan.followUps[0]).toMatch(/^Access key AKIA…MPLE was stored in plaintext: rotate it/);
    expect(JSON.stringify([plan.steps, plan.followUps])).not.toMatch(new RegExp(`${ACCESS_KEY}|${SECRET_KEY.replace(/\//g, '\\/')}`));
  });

  it('adds kms:Decrypt when the parameters use a customer managed key', () => {
    const keyArn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const plan = planCodeBuildCredentials({ ...input, project: leakingProject(), kmsKeyArn: keyArn });
    expect(JSON.parse(plan.state.policyDocument).Statement[1]).toEqual({ Sid: 'DecryptMovedCredentials', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [keyArn] });
  });

  it('plans nothing once done: the moved variables are covered by the policy already there', () => {
    // Arrange: the project after a successful run
    const done = leakingProject({
      environmentVariables: [
        { name: 'AWS_ACCESS_KEY_ID', value: '/codebuild/sca/env/AWS_ACCESS_KEY_ID', type: 'PARAMETER_STORE' },
        { name: 'AWS_SECRET_ACCESS_KEY', value: '/codebuild/sca/env/AWS_SECRET_ACCESS_KEY', type: 'PARAMETER_STORE' },
      ],
    });
    const currentPolicy = encodeURIComponent(readParametersPolicy([SECRET_ARN, KEY_ID_ARN]));
    // Act
    const plan = planCodeBuildCredentials({ ...input, project: done, currentPolicy });
    // Assert
    expect(plan).toMatchObject({ compliant: true, steps: [], followUps: [] });
  });

  it('re-grants when an earlier run moved the variables but the policy is missing', () => {
    const done = leakingProject({ environmentVariables: [{ name: 'AWS_SECRET_ACCESS_KEY', value: '/codebuild/sca/env/AWS_SECRET_ACCESS_KEY', type: 'PARAMETER_STORE' }] });
    const plan = planCodeBuildCredentials({ ...input, project: done });
    expect(plan.steps.map((s) => s.action)).toEqual(['iam:PutRolePolicy']);
  });

  it('plans deactivation of the key only when configured', () => {
    const plan = planCodeBuildCredentials({ ...input, project: leakingProject(), deactivateKey: true });
    expect(plan.steps.at(-1)).toEqual({ action: 'iam:UpdateAccessKey', description: 'deactivate access key AKIA…MPLE' });
  });
});

describe('the CodeBuild.2 playbook', () => {
  const codeBuild = mockClient(CodeBuildClient);
  const ssm = mockClient(SSMClient);
  const iam = mockClient(IAMClient);

  function ctx(env: Record<string, string> = {}): PlaybookContext {
    return { clients: testClients(), config: remediationConfigFromEnv({ ALLOWED_PLAYBOOKS: 'CodeBuild.2', ALLOWED_ACCOUNTS: ACCOUNT, ...env }) };
  }

  beforeEach(() => {
    codeBuild.reset();
    ssm.reset();
    iam.reset();
    codeBuild.on(BatchGetProjectsCommand).resolves({ projects: [leakingProject()] });
    iam.on(GetRolePolicyCommand).rejects(new NoSuchEntityException({ message: 'not found', $metadata: {} }));
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
  });

  it('applies in order: parameters, role policy, project', async () => {
    // Arrange
    const calls: string[] = [];
    ssm.on(PutParameterCommand).callsFake((input: { Name: string }) => (calls.push(`PutParameter ${input.Name}`), { Version: 1 }));
    iam.on(PutRolePolicyCommand).callsFake(() => (calls.push('PutRolePolicy'), {}));
    codeBuild.on(UpdateProjectCommand).callsFake(() => (calls.push('UpdateProject'), {}));
    const plan = await codeBuild2.plan(target, ctx());
    // Act
    await codeBuild2.apply(plan, ctx());
    // Assert
    expect(calls).toEqual(['PutParameter /codebuild/sca/env/AWS_ACCESS_KEY_ID', 'PutParameter /codebuild/sca/env/AWS_SECRET_ACCESS_KEY', 'PutRolePolicy', 'UpdateProject']);
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, { Name: '/codebuild/sca/env/AWS_SECRET_ACCESS_KEY', Value: SECRET_KEY, Type: 'SecureString', Overwrite: false });
    expect(iam).toHaveReceivedCommandWith(PutRolePolicyCommand, { RoleName: 'codebuild-sca-role', PolicyName: 'devsecops-auto-remediator-ssm-sca' });
    expect(codeBuild).toHaveReceivedCommandWith(UpdateProjectCommand, {
      name: 'sca',
      environment: expect.objectContaining({ image: 'aws/codebuild/standard:7.0', environmentVariables: plan.state.environmentVariables }),
    });
    expect(iam).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
  });

  it('overwrites its own parameter on a second run', async () => {
    ssm.on(PutParameterCommand, { Overwrite: false }).rejects(new ParameterAlreadyExists({ message: 'exists', $metadata: {} }));
    const plan = await codeBuild2.plan(target, ctx());
    await codeBuild2.apply(plan, ctx());
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, { Name: '/codebuild/sca/env/AWS_ACCESS_KEY_ID', Overwrite: true });
  });

  it('deactivates the leaked key when configured', async () => {
    iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: 'ci-user' });
    const plan = await codeBuild2.plan(target, ctx({ LEAKED_KEY_ACTION: 'deactivate' }));
    await codeBuild2.apply(plan, ctx({ LEAKED_KEY_ACTION: 'deactivate' }));
    expect(iam).toHaveReceivedCommandWith(UpdateAccessKeyCommand, { AccessKeyId: ACCESS_KEY, Status: 'Inactive', UserName: 'ci-user' });
  });

  it('verifies the project, the SecureStrings and the grant', async () => {
    // Arrange
    const plan = await codeBuild2.plan(target, ctx());
    codeBuild.on(BatchGetProjectsCommand).resolves({ projects: [{ ...leakingProject(), environment: { ...leakingProject().environment, environmentVariables: plan.state.environmentVariables } }] });
    ssm.on(DescribeParametersCommand).resolves({ Parameters: plan.state.moves.map((m) => ({ Name: m.parameterName, Type: 'SecureString' })) });
    iam.on(GetRolePolicyCommand).resolves({ RoleName: 'codebuild-sca-role', PolicyName: plan.state.policyName, PolicyDocument: encodeURIComponent(plan.state.policyDocument) });
    // Act
    const verification = await codeBuild2.verify(plan, ctx());
    // Assert
    expect(verification).toEqual({ ok: true, detail: "no plaintext credentials; 2 parameter(s) readable by the project's role" });
  });

  it('fails verification while a credential is still plaintext', async () => {
    const plan = await codeBuild2.plan(target, ctx());
    expect(await codeBuild2.verify(plan, ctx())).toEqual({ ok: false, detail: 'still PLAINTEXT: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY' });
  });

  it('refuses a project without service role', async () => {
    codeBuild.on(BatchGetProjectsCommand).resolves({ projects: [{ ...leakingProject(), serviceRole: undefined }] });
    await expect(codeBuild2.plan(target, ctx())).rejects.toMatchObject({ name: 'NoServiceRole' });
  });

  it('reads the project tags', async () => {
    expect(await codeBuild2.readTags(target, ctx())).toEqual({ 'auto-remediate': 'true' });
  });
});
