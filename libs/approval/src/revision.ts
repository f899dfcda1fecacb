import {
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  type ActionExecutionDetail,
  type ArtifactRevision,
  type CodePipelineClient,
  type PipelineDeclaration,
  type StageState,
} from '@aws-sdk/client-codepipeline';

/** The source revision an approval is about. */
export interface SourceRevision {
  artifactName?: string;
  /** The commit id for Git sources (CodeCommit, CodeConnections), an object version for S3. */
  revisionId: string;
  revisionUrl?: string;
  revisionSummary?: string;
}

export interface PipelineSource {
  repository?: string;
  branch?: string;
}

export interface ApprovalLocation {
  pipelineName: string;
  stageName: string;
  actionName: string;
}

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

/**
 * The revision to report on: the named source artifact if configured, else the first Git commit, else the first
 * revision with an id. Undefined when the execution has no artifact revisions.
 */
export function pickRevision(revisions: readonly ArtifactRevision[], preferredArtifact?: string): SourceRevision | undefined {
  const withId = revisions.filter((r): r is ArtifactRevision & { revisionId: string } => typeof r.revisionId === 'string' && r.revisionId.length > 0);
  const chosen =
    (preferredArtifact ? withId.find((r) => r.name === preferredArtifact) : undefined) ?? withId.find((r) => COMMIT.test(r.revisionId)) ?? withId[0];
  if (!chosen) return undefined;
  return {
    revisionId: chosen.revisionId,
    ...(chosen.name ? { artifactName: chosen.name } : {}),
    ...(chosen.revisionUrl ? { revisionUrl: chosen.revisionUrl } : {}),
    ...(chosen.revisionSummary ? { revisionSummary: chosen.revisionSummary } : {}),
  };
}

/**
 * Repository and branch from the pipeline's Source action that produced `artifactName` (else its first Source
 * action), in the form the scan Lambdas record them: the CodeCommit repository name, or `owner/name` for
 * CodeConnections / GitHub sources.
 */
export function sourceOfPipeline(pipeline: PipelineDeclaration | undefined, artifactName?: string): PipelineSource {
  const sources = (pipeline?.stages ?? []).flatMap((s) => s.actions ?? []).filter((a) => a.actionTypeId?.category === 'Source');
  const action = (artifactName ? sources.find((a) => a.outputArtifacts?.some((o) => o.name === artifactName)) : undefined) ?? sources[0];
  const config = action?.configuration ?? {};
  const repository =
    config.RepositoryName ?? config.FullRepositoryId ?? (config.Owner && config.Repo ? `${config.Owner}/${config.Repo}` : undefined);
  const branch = config.BranchName ?? config.Branch;
  return { ...(repository ? { repository } : {}), ...(branch ? { branch } : {}) };
}

/** The execution whose approval holds this token, as GetPipelineState shows it (SUPERSEDED/QUEUED mode). */
export function executionFromState(stages: readonly StageState[], where: ApprovalLocation, token: string): string | undefined {
  const stage = stages.find((s) => s.stageName === where.stageName);
  const action = stage?.actionStates?.find((a) => a.actionName === where.actionName);
  // A different or missing token means the state shows another execution (PARALLEL mode, or a newer run).
  if (action?.latestExecution?.token !== token) return undefined;
  return stage?.latestExecution?.pipelineExecutionId;
}

/** The execution whose approval action carries this token, from ListActionExecutions (works in PARALLEL mode). */
export function executionFromActionHistory(details: readonly ActionExecutionDetail[], where: ApprovalLocation, token: string): string | undefined {
  const mine = details.filter((d) => d.stageName === where.stageName && d.actionName === where.actionName);
  return (
    mine.find((d) => d.output?.executionResult?.externalExecutionId === token)?.pipelineExecutionId ??
    // Fallback when the token is not exposed: a single approval waiting at this action is the one.
    (() => {
      const waiting = mine.filter((d) => d.status === 'InProgress');
      return waiting.length === 1 ? waiting[0]!.pipelineExecutionId : undefined;
    })()
  );
}

export interface LocateOptions {
  /** Artifact name of the source to report on (SOURCE_ARTIFACT). */
  sourceArtifact?: string;
  /** Pages of ListActionExecutions to search when GetPipelineState does not identify the execution. */
  maxHistoryPages?: number;
  /** When both are set, GetPipeline is not called. */
  repository?: string;
  branch?: string;
}

export interface LocatedRevision {
  pipelineExecutionId: string;
  revision?: SourceRevision;
  repository?: string;
  branch?: string;
}

/**
 * Pipeline, stage and action → execution → source revision, through the CodePipeline API:
 * GetPipelineState (stage's latest execution, if its approval holds our token), else ListActionExecutions;
 * then GetPipelineExecution's artifactRevisions; GetPipeline for repository/branch unless configured.
 * Errors from the API propagate; the caller reports them.
 */
export async function locateRevision(
  client: CodePipelineClient,
  where: ApprovalLocation,
  token: string,
  options: LocateOptions = {},
): Promise<LocatedRevision> {
  const state = await client.send(new GetPipelineStateCommand({ name: where.pipelineName }));
  let executionId = executionFromState(state.stageStates ?? [], where, token);
  let nextToken: string | undefined;
  for (let page = 0; !executionId && page < (options.maxHistoryPages ?? 3); page += 1) {
    const history = await client.send(
      new ListActionExecutionsCommand({ pipelineName: where.pipelineName, maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
    );
    executionId = executionFromActionHistory(history.actionExecutionDetails ?? [], where, token);
    nextToken = history.nextToken;
    if (!nextToken) break;
  }
  if (!executionId) {
    throw Object.assign(new Error(`no execution of ${where.pipelineName} is waiting at ${where.stageName}/${where.actionName} with this approval`), {
      name: 'ExecutionNotFound',
    });
  }
  const execution = await client.send(new GetPipelineExecutionCommand({ pipelineName: where.pipelineName, pipelineExecutionId: executionId }));
  const revision = pickRevision(execution.pipelineExecution?.artifactRevisions ?? [], options.sourceArtifact);
  let source: PipelineSource = { repository: options.repository, branch: options.branch };
  if (!options.repository || !options.branch) {
    const pipeline = await client.send(new GetPipelineCommand({ name: where.pipelineName }));
    const fromPipeline = sourceOfPipeline(pipeline.pipeline, revision?.artifactName ?? options.sourceArtifact);
    source = { repository: options.repository ?? fromPipeline.repository, branch: options.branch ?? fromPipeline.branch };
  }
  return {
    pipelineExecutionId: executionId,
    ...(revision ? { revision } : {}),
    ...(source.repository ? { repository: source.repository } : {}),
    ...(source.branch ? { branch: source.branch } : {}),
  };
}
