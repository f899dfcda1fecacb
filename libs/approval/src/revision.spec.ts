import {
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { COMMIT, EXECUTION_ID, TOKEN, pipelineDeclaration, pipelineExecution, pipelineState } from './__fixtures__/approval';
import { executionFromActionHistory, locateRevision, pickRevision, sourceOfPipeline } from './revision';

const where = { pipelineName: 'patient-portal-pipeline', stageName: 'Manual-Approval', actionName: 'ApprovalRequired' };
const codePipeline = mockClient(CodePipelineClient);
const client = new CodePipelineClient({ region: 'us-east-1' });

beforeEach(() => codePipeline.reset());

describe('pickRevision', () => {
  const revisions = [
    { name: 'Config', revisionId: 'v3.JgQ1' },
    { name: 'SourceOutput', revisionId: COMMIT, revisionUrl: 'https://example.com/c' },
  ];

  it('prefers the configured artifact, else a Git commit', () => {
    expect(pickRevision(revisions, 'Config')).toEqual({ artifactName: 'Config', revisionId: 'v3.JgQ1' });
    expect(pickRevision(revisions)).toEqual({ artifactName: 'SourceOutput', revisionId: COMMIT, revisionUrl: 'https://example.com/c' });
  });

  it('is undefined without revisions', () => {
    expect(pickRevision([{ name: 'x' }])).toBeUndefined();
  });
});

describe('sourceOfPipeline', () => {
  it('reads a CodeCommit source', () => {
    expect(sourceOfPipeline(pipelineDeclaration().pipeline, 'SourceOutput')).toEqual({ repository: 'patient-portal', branch: 'main' });
  });

  it('reads a CodeConnections source as owner/name', () => {
    const pipeline = {
      name: 'p',
      roleArn: 'r',
      stages: [
        {
          name: 'Source',
          actions: [
            {
              name: 'GitHub',
              actionTypeId: { category: 'Source' as const, owner: 'AWS' as const, provider: 'CodeStarSourceConnection', version: '1' },
              configuration: { FullRepositoryId: 'hospital/patient-portal', BranchName: 'release' },
              outputArtifacts: [{ name: 'Src' }],
            },
          ],
        },
      ],
    };
    expect(sourceOfPipeline(pipeline)).toEqual({ repository: 'hospital/patient-portal', branch: 'release' });
  });
});

describe('executionFromActionHistory', () => {
  it('finds the execution whose approval carries the token', () => {
    const details = [
      { ...where, pipelineExecutionId: 'other', status: 'InProgress' as const, output: { executionResult: { externalExecutionId: 'x' } } },
      { ...where, pipelineExecutionId: 'mine', status: 'InProgress' as const, output: { executionResult: { externalExecutionId: TOKEN } } },
    ];
    expect(executionFromActionHistory(details, where, TOKEN)).toBe('mine');
  });

  it('refuses to guess between two waiting approvals', () => {
    const details = [
      { ...where, pipelineExecutionId: 'a', status: 'InProgress' as const },
      { ...where, pipelineExecutionId: 'b', status: 'InProgress' as const },
    ];
    expect(executionFromActionHistory(details, where, TOKEN)).toBeUndefined();
  });
});

describe('locateRevision', () => {
  it('follows state → execution → artifact revision, and reads repository and branch from the pipeline', async () => {
    // Arrange
    codePipeline.on(GetPipelineStateCommand).resolves(pipelineState());
    codePipeline.on(GetPipelineExecutionCommand, { pipelineName: where.pipelineName, pipelineExecutionId: EXECUTION_ID }).resolves(pipelineExecution());
    codePipeline.on(GetPipelineCommand).resolves(pipelineDeclaration());
    // Act
    const located = await locateRevision(client, where, TOKEN);
    // Assert
    expect(located).toMatchObject({ pipelineExecutionId: EXECUTION_ID, repository: 'patient-portal', branch: 'main', revision: { revisionId: COMMIT } });
    expect(codePipeline).not.toHaveReceivedCommand(ListActionExecutionsCommand);
  });

  it('uses configured repository and branch without calling GetPipeline', async () => {
    codePipeline.on(GetPipelineStateCommand).resolves(pipelineState());
    codePipeline.on(GetPipelineExecutionCommand).resolves(pipelineExecution());
    const located = await locateRevision(client, where, TOKEN, { repository: 'hospital/portal', branch: 'develop' });
    expect(located).toMatchObject({ repository: 'hospital/portal', branch: 'develop' });
    expect(codePipeline).not.toHaveReceivedCommand(GetPipelineCommand);
  });

  it('falls back to the action history when the state shows another token (PARALLEL mode)', async () => {
    // Arrange
    codePipeline.on(GetPipelineStateCommand).resolves(pipelineState(null));
    codePipeline
      .on(ListActionExecutionsCommand)
      .resolvesOnce({ actionExecutionDetails: [], nextToken: 'n' })
      .resolvesOnce({ actionExecutionDetails: [{ ...where, pipelineExecutionId: 'parallel-2', status: 'InProgress', output: { executionResult: { externalExecutionId: TOKEN } } }] });
    codePipeline.on(GetPipelineExecutionCommand).resolves(pipelineExecution());
    codePipeline.on(GetPipelineCommand).resolves(pipelineDeclaration());
    // Act
    const located = await locateRevision(client, where, TOKEN);
    // Assert
    expect(located.pipelineExecutionId).toBe('parallel-2');
    expect(codePipeline).toHaveReceivedCommandWith(GetPipelineExecutionCommand, { pipelineExecutionId: 'parallel-2' });
  });

  it('fails clearly, without the token, when no execution waits with this approval', async () => {
    codePipeline.on(GetPipelineStateCommand).resolves(pipelineState('ffffffff-ffff-ffff-ffff-ffffffffffff'));
    codePipeline.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: [] });
    const error = (await locateRevision(client, where, TOKEN).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('ExecutionNotFound');
    expect(error.message).not.toContain(TOKEN);
  });
});
