import { BatchGetProjectsCommand, UpdateProjectCommand, type EnvironmentVariable, type Project } from '@aws-sdk/client-codebuild';
import { GetAccessKeyLastUsedCommand, GetRolePolicyCommand, PutRolePolicyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { DescribeParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { Partition } from '@devsecops/asff';
import { errorName, type Plan, type Playbook, type PlaybookContext, type RemediationTarget, type Verification } from '../playbook';

/** The variables CODEBUILD_PROJECT_ENVVAR_AWSCRED_CHECK flags, plus the session token that goes with them. */
export const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;

export interface MovedVariable {
  name: string;
  parameterName: string;
  parameterArn: string;
  /** The secret itself: written to Parameter Store, never logged. */
  value: string;
}

export interface CodeBuildState {
  project: Project;
  moves: MovedVariable[];
  /** Every parameter of this project under our prefix the role must read (earlier runs included). */
  parameterArns: string[];
  roleName?: string;
  policyName: string;
  policyDocument: string;
  /** Set when the role's inline policy is missing or differs. */
  writePolicy: boolean;
  environmentVariables: EnvironmentVariable[];
  leakedAccessKeyId?: string;
  deactivateKey: boolean;
}

export function parameterNameFor(prefix: string, project: string, variable: string): string {
  return `${prefix}/${project}/env/${variable}`;
}

export function parameterArn(partition: Partition | string, region: string, account: string, name: string): string {
  return `arn:${partition}:ssm:${region}:${account}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

/** Role name from a role ARN (`arn:aws:iam::1:role/path/name` → name). */
export function roleNameOf(roleArn: string | undefined): string | undefined {
  const resource = roleArn?.split(':').slice(5).join(':');
  return resource?.startsWith('role/') ? resource.split('/').pop() : undefined;
}

/** `AKIA…WXYZ`: enough to find the key in IAM, not the whole id. */
export function maskKeyId(id: string): string {
  return `${id.slice(0, 4)}…${id.slice(-4)}`;
}

/** Inline policy letting the project's role read exactly its moved parameters (and decrypt them with the CMK). */
export function readParametersPolicy(parameterArns: readonly string[], kmsKeyArn?: string): string {
  const statements: Record<string, unknown>[] = [
    { Sid: 'ReadMovedCredentials', Effect: 'Allow', Action: ['ssm:GetParameters'], Resource: [...parameterArns].sort() },
  ];
  if (kmsKeyArn) statements.push({ Sid: 'DecryptMovedCredentials', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [kmsKeyArn] });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

function samePolicy(a: string | undefined, b: string): boolean {
  if (!a) return false;
  try {
    return JSON.stringify(JSON.parse(decodeURIComponent(a))) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

export interface CodeBuildPlanInput {
  project: Project;
  target: RemediationTarget;
  prefix: string;
  kmsKeyArn?: string;
  /** The current inline policy document of that name (URL-encoded as IAM returns it), if any. */
  currentPolicy?: string;
  policyName: string;
  deactivateKey: boolean;
}

/**
 * Plan for CodeBuild.2 (pure): each PLAINTEXT credential variable → a SecureString at
 * `<prefix>/<project>/env/<NAME>`, the variable switched to PARAMETER_STORE, the service role allowed
 * ssm:GetParameters on exactly those parameters. Variables already moved by an earlier run stay covered by the policy.
 */
export function planCodeBuildCredentials(input: CodeBuildPlanInput): Plan<CodeBuildState> {
  const { project, target, prefix } = input;
  const projectName = project.name ?? target.name;
  const variables = project.environment?.environmentVariables ?? [];
  const ours = (name: string) => parameterNameFor(prefix, projectName, name);
  const arnOf = (name: string) => parameterArn(target.partition, target.region, target.accountId, name);
  const moves: MovedVariable[] = variables
    .filter((v) => (v.type ?? 'PLAINTEXT') === 'PLAINTEXT' && (CREDENTIAL_VARIABLES as readonly string[]).includes(v.name ?? '') && (v.value ?? '') !== '')
    .map((v) => ({ name: v.name!, parameterName: ours(v.name!), parameterArn: arnOf(ours(v.name!)), value: v.value! }));
  const movedEarlier = variables.filter((v) => v.type === 'PARAMETER_STORE' && (v.value ?? '').startsWith(`${prefix}/${projectName}/env/`)).map((v) => arnOf(v.value!));
  const parameterArns = [...new Set([...moves.map((m) => m.parameterArn), ...movedEarlier])];
  const roleName = roleNameOf(project.serviceRole);
  const policyDocument = readParametersPolicy(parameterArns, input.kmsKeyArn);
  const writePolicy = parameterArns.length > 0 && !samePolicy(input.currentPolicy, policyDocument);
  const environmentVariables = variables.map((v) => {
    const move = moves.find((m) => m.name === v.name);
    return move ? { name: v.name, value: move.parameterName, type: 'PARAMETER_STORE' as const } : v;
  });
  const leakedAccessKeyId = moves.find((m) => m.name === 'AWS_ACCESS_KEY_ID' && ACCESS_KEY_ID.test(m.value))?.value;
  const deactivateKey = input.deactivateKey && leakedAccessKeyId !== undefined;

  const steps = [
    ...moves.map((m) => ({ action: 'ssm:PutParameter', description: `store ${m.name} as SecureString ${m.parameterName}${input.kmsKeyArn ? ' (customer managed key)' : ''}` })),
    ...(writePolicy
      ? [{ action: 'iam:PutRolePolicy', description: `let role ${roleName ?? '(none)'} read ${parameterArns.length} parameter(s) with ssm:GetParameters (inline policy ${input.policyName})${input.kmsKeyArn ? ' and kms:Decrypt on the key' : ''}` }]
      : []),
    ...(moves.length > 0
      ? [{ action: 'codebuild:UpdateProject', description: `switch ${moves.map((m) => m.name).join(', ')} of project ${projectName} to PARAMETER_STORE` }]
      : []),
    ...(deactivateKey ? [{ action: 'iam:UpdateAccessKey', description: `deactivate access key ${maskKeyId(leakedAccessKeyId!)}` }] : []),
  ];
  const followUps =
    moves.length > 0
      ? [
          leakedAccessKeyId
            ? `Access key ${maskKeyId(leakedAccessKeyId)} was stored in plaintext: rotate it (new key into ${ours('AWS_SECRET_ACCESS_KEY')} and ${ours('AWS_ACCESS_KEY_ID')}, then deactivate and delete the old one)${deactivateKey ? '; it has been deactivated' : ''}.`
            : 'The credentials were stored in plaintext: rotate them.',
          'Better: give the project a service role and drop static keys.',
        ]
      : [];
  return {
    target,
    compliant: steps.length === 0,
    steps,
    followUps,
    secrets: moves.map((m) => m.value),
    state: {
      project,
      moves,
      parameterArns,
      ...(roleName ? { roleName } : {}),
      policyName: input.policyName,
      policyDocument,
      writePolicy,
      environmentVariables,
      ...(leakedAccessKeyId ? { leakedAccessKeyId } : {}),
      deactivateKey,
    },
  };
}

async function readProject(target: RemediationTarget, ctx: PlaybookContext): Promise<Project> {
  const out = await ctx.clients.codeBuild(target.region).send(new BatchGetProjectsCommand({ names: [target.name] }));
  const project = out.projects?.[0];
  if (!project) throw Object.assign(new Error(`CodeBuild project ${target.name} does not exist`), { name: 'ResourceNotFound' });
  return project;
}

async function readRolePolicy(ctx: PlaybookContext, roleName: string | undefined, policyName: string): Promise<string | undefined> {
  if (!roleName) return undefined;
  try {
    return (await ctx.clients.iam().send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }))).PolicyDocument;
  } catch (error) {
    if (errorName(error) === 'NoSuchEntityException' || errorName(error) === 'NoSuchEntity') return undefined;
    throw error;
  }
}

function policyNameFor(ctx: PlaybookContext, project: string): string {
  return `${ctx.config.name}-ssm-${project}`.slice(0, 128);
}

async function putSecureString(ctx: PlaybookContext, region: string, move: MovedVariable): Promise<void> {
  const ssm = ctx.clients.ssm(region);
  const base = { Name: move.parameterName, Value: move.value, Type: 'SecureString' as const, ...(ctx.config.codeBuild.parameterKmsKeyArn ? { KeyId: ctx.config.codeBuild.parameterKmsKeyArn } : {}) };
  try {
    await ssm.send(new PutParameterCommand({ ...base, Overwrite: false, Tags: [{ Key: 'managed-by', Value: ctx.config.name }] }));
  } catch (error) {
    // A second run (or a retry) finds its own parameter: the project's current value is the one to keep.
    if (errorName(error) !== 'ParameterAlreadyExists') throw error;
    await ssm.send(new PutParameterCommand({ ...base, Overwrite: true }));
  }
}

export const codeBuild2: Playbook<CodeBuildState> = {
  controlId: 'CodeBuild.2',
  configRule: 'CODEBUILD_PROJECT_ENVVAR_AWSCRED_CHECK',
  resourceType: 'AwsCodeBuildProject',
  title: 'Move plaintext AWS credentials of a CodeBuild project to Parameter Store',

  async readTags(target, ctx) {
    const project = await readProject(target, ctx);
    return Object.fromEntries((project.tags ?? []).filter((t) => t.key).map((t) => [t.key!, t.value ?? '']));
  },

  async plan(target, ctx) {
    const project = await readProject(target, ctx);
    const policyName = policyNameFor(ctx, project.name ?? target.name);
    const currentPolicy = await readRolePolicy(ctx, roleNameOf(project.serviceRole), policyName);
    const plan = planCodeBuildCredentials({
      project,
      target,
      prefix: ctx.config.codeBuild.parameterPrefix,
      policyName,
      deactivateKey: ctx.config.codeBuild.leakedKeyAction === 'deactivate',
      ...(ctx.config.codeBuild.parameterKmsKeyArn ? { kmsKeyArn: ctx.config.codeBuild.parameterKmsKeyArn } : {}),
      ...(currentPolicy ? { currentPolicy } : {}),
    });
    if (plan.state.writePolicy && !plan.state.roleName) {
      throw Object.assign(new Error(`project ${target.name} has no service role to grant the parameters to`), { name: 'NoServiceRole' });
    }
    return plan;
  },

  async apply(plan, ctx) {
    const { state, target } = plan;
    for (const move of state.moves) await putSecureString(ctx, target.region, move);
    if (state.writePolicy) {
      await ctx.clients.iam().send(new PutRolePolicyCommand({ RoleName: state.roleName, PolicyName: state.policyName, PolicyDocument: state.policyDocument }));
    }
    if (state.moves.length > 0) {
      await ctx.clients
        .codeBuild(target.region)
        .send(new UpdateProjectCommand({ name: state.project.name ?? target.name, environment: { ...state.project.environment!, environmentVariables: state.environmentVariables } }));
    }
    if (state.deactivateKey && state.leakedAccessKeyId) {
      const iam = ctx.clients.iam();
      const { UserName } = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: state.leakedAccessKeyId }));
      await iam.send(new UpdateAccessKeyCommand({ AccessKeyId: state.leakedAccessKeyId, Status: 'Inactive', ...(UserName ? { UserName } : {}) }));
    }
  },

  async verify(plan, ctx): Promise<Verification> {
    const { target, state } = plan;
    const project = await readProject(target, ctx);
    const variables = project.environment?.environmentVariables ?? [];
    const plaintext = variables.filter(
      (v) => (v.type ?? 'PLAINTEXT') === 'PLAINTEXT' && (CREDENTIAL_VARIABLES as readonly string[]).includes(v.name ?? '') && (v.value ?? '') !== '',
    );
    if (plaintext.length > 0) return { ok: false, detail: `still PLAINTEXT: ${plaintext.map((v) => v.name).join(', ')}` };
    const names = state.moves.map((m) => m.parameterName);
    if (names.length > 0) {
      const found = await ctx.clients
        .ssm(target.region)
        .send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: names }] }));
      const secure = new Set((found.Parameters ?? []).filter((p) => p.Type === 'SecureString').map((p) => p.Name));
      const missing = names.filter((n) => !secure.has(n));
      if (missing.length > 0) return { ok: false, detail: `no SecureString at ${missing.join(', ')}` };
    }
    if (state.parameterArns.length > 0) {
      const policy = await readRolePolicy(ctx, roleNameOf(project.serviceRole), state.policyName);
      const text = policy ? decodeURIComponent(policy) : '';
      const ungranted = state.parameterArns.filter((arn) => !text.includes(arn));
      if (ungranted.length > 0) return { ok: false, detail: `role policy ${state.policyName} does not grant ${ungranted.join(', ')}` };
    }
    return { ok: true, detail: `no plaintext credentials; ${state.parameterArns.length} parameter(s) readable by the project's role` };
  },
};
