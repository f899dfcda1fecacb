import { randomUUID } from 'node:crypto';
import type { Project } from '@aws-sdk/client-codebuild';
import type { ArtifactRevision, PipelineDeclaration } from '@aws-sdk/client-codepipeline';

/**
 * The few AWS APIs the event Lambdas call that have no npm emulator (CodePipeline, CodeBuild, IAM, SNS), answered
 * from plain data. Only what one pipeline execution needs: one execution waiting at its manual approval, the
 * CodeBuild projects, inline role policies and SNS topics. Every call is recorded, so a run can show exactly what
 * a function sent (the approval mail is the SNS Publish message).
 */

export type FakeService = 'codepipeline' | 'codebuild' | 'iam' | 'sns';

/** An execution of a pipeline; `waitingAt` is the manual approval it is waiting at, with its token. */
export interface FakeExecution {
  pipelineName: string;
  pipelineExecutionId: string;
  artifactRevisions: ArtifactRevision[];
  waitingAt?: { stageName: string; actionName: string; token: string };
}

export interface FakeAwsWorld {
  accountId: string;
  region: string;
  pipelines: PipelineDeclaration[];
  executions: FakeExecution[];
  codeBuildProjects: Project[];
  /** Inline policies of IAM roles (GetRolePolicy); none by default. */
  rolePolicies?: { roleName: string; policyName: string; document: string }[];
  /** SNS topics that exist; Publish to any other fails with NotFound. */
  topics: string[];
}

export interface RecordedCall {
  service: FakeService;
  operation: string;
  input: Record<string, unknown>;
  /** Error code when the call failed. */
  error?: string;
  at: Date;
}

export interface PublishedMessage {
  topicArn: string;
  subject?: string;
  message: string;
  messageId: string;
}

export interface ApprovalDecision {
  pipelineName: string;
  stageName: string;
  actionName: string;
  status: string;
  summary: string;
}

/** An AWS error: code (the SDK's exception name), HTTP status, message. */
export class FakeAwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export interface FakeAwsService {
  handle(service: FakeService, operation: string, input: Record<string, unknown>): Record<string, unknown>;
  calls(): RecordedCall[];
  published(): PublishedMessage[];
  approvalDecisions(): ApprovalDecision[];
}

type Handler = (input: Record<string, unknown>) => Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function createFakeAwsService(world: FakeAwsWorld, now: () => Date = () => new Date()): FakeAwsService {
  const calls: RecordedCall[] = [];
  const published: PublishedMessage[] = [];
  const decisions: ApprovalDecision[] = [];
  /** Approvals already decided, by token: a second PutApprovalResult is ApprovalAlreadyCompleted, as in AWS. */
  const decided = new Map<string, 'Approved' | 'Rejected'>();
  /** The status an approval action (and its stage) shows: waiting, or what the decision made of it. */
  const approvalStatus = (token: string) => {
    const decision = decided.get(token);
    return decision === undefined ? 'InProgress' : decision === 'Approved' ? 'Succeeded' : 'Failed';
  };

  const pipelineNamed = (name: string): PipelineDeclaration => {
    const pipeline = world.pipelines.find((p) => p.name === name);
    if (!pipeline) throw new FakeAwsError('PipelineNotFoundException', `Account '${world.accountId}' does not have a pipeline with name '${name}'`);
    return pipeline;
  };
  const executionsOf = (name: string) => world.executions.filter((e) => e.pipelineName === name);
  const pipelineArn = (name: string) => `arn:aws:codepipeline:${world.region}:${world.accountId}:${name}`;

  /** Stages before the approval have succeeded, the approval stage is in progress, later stages have not run. */
  function stageStates(pipeline: PipelineDeclaration, execution: FakeExecution | undefined) {
    const stages = pipeline.stages ?? [];
    const waitingIndex = execution?.waitingAt ? stages.findIndex((s) => s.name === execution.waitingAt!.stageName) : stages.length;
    return stages.map((stage, index) => {
      if (!execution || index > waitingIndex) return { stageName: stage.name, actionStates: (stage.actions ?? []).map((a) => ({ actionName: a.name })) };
      const atApproval = index === waitingIndex && execution.waitingAt !== undefined;
      const status = atApproval ? approvalStatus(execution.waitingAt!.token) : 'Succeeded';
      const waiting = status === 'InProgress';
      return {
        stageName: stage.name,
        latestExecution: { pipelineExecutionId: execution.pipelineExecutionId, status },
        actionStates: (stage.actions ?? []).map((a) => ({
          actionName: a.name,
          latestExecution: {
            status,
            lastStatusChange: epochSeconds(now()),
            ...(waiting && a.name === execution.waitingAt!.actionName ? { token: execution.waitingAt!.token } : {}),
          },
        })),
      };
    });
  }

  const codepipeline: Record<string, Handler> = {
    GetPipeline(input) {
      const pipeline = pipelineNamed(text(input.name));
      const created = epochSeconds(now());
      return { pipeline, metadata: { pipelineArn: pipelineArn(text(input.name)), created, updated: created } };
    },
    GetPipelineState(input) {
      const pipeline = pipelineNamed(text(input.name));
      const latest = executionsOf(text(input.name)).at(-1);
      return { pipelineName: pipeline.name, pipelineVersion: pipeline.version ?? 1, stageStates: stageStates(pipeline, latest) };
    },
    GetPipelineExecution(input) {
      const pipeline = pipelineNamed(text(input.pipelineName));
      const execution = executionsOf(text(input.pipelineName)).find((e) => e.pipelineExecutionId === text(input.pipelineExecutionId));
      if (!execution) throw new FakeAwsError('PipelineExecutionNotFoundException', `Pipeline execution '${text(input.pipelineExecutionId)}' does not exist`);
      // An approved execution would go on deploying; locally it stays InProgress. A rejected one has failed.
      const status = execution.waitingAt && approvalStatus(execution.waitingAt.token) === 'Failed' ? 'Failed' : 'InProgress';
      return {
        pipelineExecution: {
          pipelineName: pipeline.name,
          pipelineVersion: pipeline.version ?? 1,
          pipelineExecutionId: execution.pipelineExecutionId,
          status,
          artifactRevisions: execution.artifactRevisions,
        },
      };
    },
    ListActionExecutions(input) {
      pipelineNamed(text(input.pipelineName));
      const details = executionsOf(text(input.pipelineName)).flatMap((e) =>
        e.waitingAt
          ? [
              {
                pipelineExecutionId: e.pipelineExecutionId,
                stageName: e.waitingAt.stageName,
                actionName: e.waitingAt.actionName,
                status: approvalStatus(e.waitingAt.token),
                output: { executionResult: { externalExecutionId: e.waitingAt.token } },
              },
            ]
          : [],
      );
      return { actionExecutionDetails: details };
    },
    PutApprovalResult(input) {
      const pipelineName = text(input.pipelineName);
      pipelineNamed(pipelineName);
      const token = text(input.token);
      const execution = executionsOf(pipelineName).find(
        (e) => e.waitingAt?.token === token && e.waitingAt.stageName === input.stageName && e.waitingAt.actionName === input.actionName,
      );
      if (!execution) throw new FakeAwsError('InvalidApprovalTokenException', 'The approval request does not exist or the token is not valid');
      if (decided.has(token)) throw new FakeAwsError('ApprovalAlreadyCompletedException', 'The approval action has already been completed');
      const result = (input.result ?? {}) as Record<string, unknown>;
      if (result.status !== 'Approved' && result.status !== 'Rejected') throw new FakeAwsError('ValidationException', 'result.status must be Approved or Rejected');
      if (text(result.summary).length > 512) throw new FakeAwsError('ValidationException', 'result.summary must be at most 512 characters');
      decided.set(token, result.status);
      decisions.push({ pipelineName, stageName: text(input.stageName), actionName: text(input.actionName), status: text(result.status), summary: text(result.summary) });
      return { approvedAt: epochSeconds(now()) };
    },
  };

  const codebuild: Record<string, Handler> = {
    BatchGetProjects(input) {
      const names = Array.isArray(input.names) ? input.names.map(text) : [];
      if (names.length < 1 || names.length > 100) throw new FakeAwsError('InvalidInputException', 'names must hold 1 to 100 project names');
      const found = names.map((n) => world.codeBuildProjects.find((p) => p.name === n || p.arn === n));
      return {
        projects: found.filter((p): p is Project => p !== undefined),
        projectsNotFound: names.filter((_, i) => found[i] === undefined),
      };
    },
  };

  const iam: Record<string, Handler> = {
    GetRolePolicy(input) {
      const policy = (world.rolePolicies ?? []).find((p) => p.roleName === input.RoleName && p.policyName === input.PolicyName);
      if (!policy) throw new FakeAwsError('NoSuchEntity', `The role policy with name ${text(input.PolicyName)} cannot be found.`, 404);
      // IAM returns policy documents URL-encoded.
      return { RoleName: policy.roleName, PolicyName: policy.policyName, PolicyDocument: encodeURIComponent(policy.document) };
    },
  };

  const sns: Record<string, Handler> = {
    Publish(input) {
      const topicArn = text(input.TopicArn);
      if (!world.topics.includes(topicArn)) throw new FakeAwsError('NotFound', 'Topic does not exist', 404);
      const message = text(input.Message);
      if (!message) throw new FakeAwsError('InvalidParameter', 'Invalid parameter: Message');
      const subject = typeof input.Subject === 'string' ? input.Subject : undefined;
      if (subject !== undefined && (subject.length >= 100 || !/^[\x20-\x7e]*$/.test(subject))) {
        throw new FakeAwsError('InvalidParameter', 'Invalid parameter: Subject');
      }
      const messageId = randomUUID();
      published.push({ topicArn, ...(subject !== undefined ? { subject } : {}), message, messageId });
      return { MessageId: messageId };
    },
  };

  const services: Record<FakeService, Record<string, Handler>> = { codepipeline, codebuild, iam, sns };

  return {
    handle(service, operation, input) {
      const call: RecordedCall = { service, operation, input, at: now() };
      calls.push(call);
      const handler = Object.hasOwn(services[service], operation) ? services[service][operation] : undefined;
      try {
        if (!handler) throw new FakeAwsError(service === 'iam' || service === 'sns' ? 'InvalidAction' : 'UnknownOperationException', `${service}:${operation} is not implemented by the local fake`);
        return handler(input);
      } catch (error) {
        call.error = error instanceof FakeAwsError ? error.code : 'InternalFailure';
        throw error;
      }
    },
    calls: () => calls.map((c) => ({ ...c })),
    published: () => published.map((p) => ({ ...p })),
    approvalDecisions: () => decisions.map((d) => ({ ...d })),
  };
}
