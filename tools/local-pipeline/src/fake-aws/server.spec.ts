import { BatchGetProjectsCommand, CodeBuildClient } from '@aws-sdk/client-codebuild';
import {
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  PutApprovalResultCommand,
} from '@aws-sdk/client-codepipeline';
import { GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { serviceFromAuthorization, startFakeAws, toXml, type FakeAws } from './server';
import type { FakeAwsWorld } from './service';

const TOKEN = '5e8f3a1c-2b4d-4c6e-9f01-a2b3c4d5e6f7';
const COMMIT = 'a11ce0de00000000000000000000000000000001';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:approvers';

function world(): FakeAwsWorld {
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    pipelines: [
      {
        name: 'portal-pipeline',
        roleArn: 'arn:aws:iam::123456789012:role/pipeline',
        version: 3,
        stages: [
          { name: 'Source', actions: [{ name: 'Source', actionTypeId: { category: 'Source', owner: 'AWS', provider: 'CodeStarSourceConnection', version: '1' } }] },
          { name: 'Approval', actions: [{ name: 'ManualApproval', actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' } }] },
          { name: 'Deploy', actions: [{ name: 'Deploy', actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'ElasticBeanstalk', version: '1' } }] },
        ],
      },
    ],
    executions: [
      {
        pipelineName: 'portal-pipeline',
        pipelineExecutionId: 'exec-1',
        artifactRevisions: [{ name: 'SourceOutput', revisionId: COMMIT, revisionSummary: 'Upgrade lodash' }],
        waitingAt: { stageName: 'Approval', actionName: 'ManualApproval', token: TOKEN },
      },
    ],
    codeBuildProjects: [{ name: 'portal-sca', arn: 'arn:aws:codebuild:us-east-1:123456789012:project/portal-sca', created: new Date('2026-11-01T00:00:00Z') }],
    rolePolicies: [{ roleName: 'build-role', policyName: 'read-params', document: '{"Version":"2012-10-17","Statement":[]}' }],
    topics: [TOPIC],
  };
}

const config = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });

describe('fake AWS over HTTP, with the real SDK clients', () => {
  let aws: FakeAws;
  beforeEach(async () => {
    aws = await startFakeAws(world(), () => new Date('2026-11-22T14:00:00Z'));
  });
  afterEach(async () => aws.close());

  it('answers GetPipelineState with the approval waiting on its token, and GetPipelineExecution with the commit', async () => {
    // Arrange
    const client = new CodePipelineClient(config(aws.endpoint));
    // Act
    const state = await client.send(new GetPipelineStateCommand({ name: 'portal-pipeline' }));
    const execution = await client.send(new GetPipelineExecutionCommand({ pipelineName: 'portal-pipeline', pipelineExecutionId: 'exec-1' }));
    // Assert
    const approval = state.stageStates?.find((s) => s.stageName === 'Approval');
    expect(approval?.latestExecution).toEqual({ pipelineExecutionId: 'exec-1', status: 'InProgress' });
    expect(approval?.actionStates?.[0]?.latestExecution?.token).toBe(TOKEN);
    expect(state.stageStates?.find((s) => s.stageName === 'Deploy')?.latestExecution).toBeUndefined();
    expect(execution.pipelineExecution?.artifactRevisions?.[0]?.revisionId).toBe(COMMIT);
  });

  it('serves GetPipeline and ListActionExecutions', async () => {
    // Arrange
    const client = new CodePipelineClient(config(aws.endpoint));
    // Act
    const pipeline = await client.send(new GetPipelineCommand({ name: 'portal-pipeline' }));
    const history = await client.send(new ListActionExecutionsCommand({ pipelineName: 'portal-pipeline' }));
    // Assert
    expect(pipeline.pipeline?.stages?.map((s) => s.name)).toEqual(['Source', 'Approval', 'Deploy']);
    expect(pipeline.metadata?.created).toEqual(new Date('2026-11-22T14:00:00Z'));
    expect(history.actionExecutionDetails?.[0]).toMatchObject({ pipelineExecutionId: 'exec-1', status: 'InProgress', output: { executionResult: { externalExecutionId: TOKEN } } });
  });

  it('records a rejection once; a second PutApprovalResult is ApprovalAlreadyCompletedException, a wrong token InvalidApprovalTokenException', async () => {
    // Arrange
    const client = new CodePipelineClient(config(aws.endpoint));
    const put = (token: string) =>
      client.send(new PutApprovalResultCommand({ pipelineName: 'portal-pipeline', stageName: 'Approval', actionName: 'ManualApproval', token, result: { status: 'Rejected', summary: '1 CRITICAL' } }));
    // Act
    const first = await put(TOKEN);
    const second = await put(TOKEN).catch((e: Error) => e);
    const wrong = await put('00000000-0000-4000-8000-000000000000').catch((e: Error) => e);
    // Assert
    expect(first.approvedAt).toEqual(new Date('2026-11-22T14:00:00Z'));
    expect(second).toMatchObject({ name: 'ApprovalAlreadyCompletedException' });
    expect(wrong).toMatchObject({ name: 'InvalidApprovalTokenException' });
    expect(aws.approvalDecisions()).toEqual([{ pipelineName: 'portal-pipeline', stageName: 'Approval', actionName: 'ManualApproval', status: 'Rejected', summary: '1 CRITICAL' }]);
    const state = await client.send(new GetPipelineStateCommand({ name: 'portal-pipeline' }));
    expect(state.stageStates?.find((s) => s.stageName === 'Approval')?.latestExecution?.status).toBe('Failed');
    const execution = await client.send(new GetPipelineExecutionCommand({ pipelineName: 'portal-pipeline', pipelineExecutionId: 'exec-1' }));
    expect(execution.pipelineExecution?.status).toBe('Failed');
  });

  it('fails an unknown pipeline with PipelineNotFoundException', async () => {
    // Act
    const error = await new CodePipelineClient(config(aws.endpoint)).send(new GetPipelineStateCommand({ name: 'other' })).catch((e: Error) => e);
    // Assert
    expect(error).toMatchObject({ name: 'PipelineNotFoundException' });
  });

  it('answers BatchGetProjects by name or ARN and lists the names it does not know', async () => {
    // Act
    const out = await new CodeBuildClient(config(aws.endpoint)).send(
      new BatchGetProjectsCommand({ names: ['arn:aws:codebuild:us-east-1:123456789012:project/portal-sca', 'missing'] }),
    );
    // Assert
    expect(out.projects?.map((p) => p.name)).toEqual(['portal-sca']);
    expect(out.projects?.[0]?.created).toEqual(new Date('2026-11-01T00:00:00Z'));
    expect(out.projectsNotFound).toEqual(['missing']);
  });

  it('speaks the query protocol to IAM: a policy URL-encoded, a missing one NoSuchEntityException', async () => {
    // Arrange
    const client = new IAMClient(config(aws.endpoint));
    // Act
    const found = await client.send(new GetRolePolicyCommand({ RoleName: 'build-role', PolicyName: 'read-params' }));
    const missing = await client.send(new GetRolePolicyCommand({ RoleName: 'build-role', PolicyName: 'other' })).catch((e: Error) => e);
    // Assert
    expect(decodeURIComponent(found.PolicyDocument ?? '')).toBe('{"Version":"2012-10-17","Statement":[]}');
    expect(missing).toMatchObject({ name: 'NoSuchEntityException' });
  });

  it('records SNS Publish with subject and message (escaped in XML both ways) and returns a MessageId', async () => {
    // Arrange
    const client = new SNSClient(config(aws.endpoint));
    const message = 'Line 1 <b>&amp;</b> "quoted"\nLine 2 ✓';
    // Act
    const out = await client.send(new PublishCommand({ TopicArn: TOPIC, Subject: 'Rejected: portal <1 CRITICAL>', Message: message }));
    // Assert
    expect(out.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(aws.published()).toEqual([{ topicArn: TOPIC, subject: 'Rejected: portal <1 CRITICAL>', message, messageId: out.MessageId }]);
    expect(aws.calls().map((c) => `${c.service}:${c.operation}`)).toEqual(['sns:Publish']);
  });

  it('refuses Publish to an unknown topic (NotFoundException) and a subject SNS would refuse', async () => {
    // Arrange
    const client = new SNSClient(config(aws.endpoint));
    // Act
    const unknown = await client.send(new PublishCommand({ TopicArn: `${TOPIC}-x`, Message: 'm' })).catch((e: Error) => e);
    const longSubject = await client.send(new PublishCommand({ TopicArn: TOPIC, Subject: 'x'.repeat(100), Message: 'm' })).catch((e: Error) => e);
    // Assert
    expect(unknown).toMatchObject({ name: 'NotFoundException' });
    expect(longSubject).toMatchObject({ name: 'InvalidParameterException' });
    expect(aws.published()).toEqual([]);
    expect(aws.calls().map((c) => c.error)).toEqual(['NotFound', 'InvalidParameter']);
  });

  it('is found by clients built without an endpoint, through AWS_ENDPOINT_URL_<SERVICE> (how the bundled Lambdas reach it)', async () => {
    // Arrange
    const variables = ['AWS_ENDPOINT_URL_SNS', 'AWS_ENDPOINT_URL_CODEPIPELINE', 'AWS_ENDPOINT_URL_CODEBUILD', 'AWS_ENDPOINT_URL_IAM'];
    for (const name of variables) process.env[name] = aws.endpoint;
    const plain = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 };
    try {
      // Act
      await new SNSClient(plain).send(new PublishCommand({ TopicArn: TOPIC, Message: 'hello' }));
      await new CodePipelineClient(plain).send(new GetPipelineStateCommand({ name: 'portal-pipeline' }));
      await new CodeBuildClient(plain).send(new BatchGetProjectsCommand({ names: ['portal-sca'] }));
      await new IAMClient(plain).send(new GetRolePolicyCommand({ RoleName: 'build-role', PolicyName: 'read-params' }));
    } finally {
      for (const name of variables) delete process.env[name];
    }
    // Assert
    expect(aws.calls().map((c) => `${c.service}:${c.operation}`)).toEqual(['sns:Publish', 'codepipeline:GetPipelineState', 'codebuild:BatchGetProjects', 'iam:GetRolePolicy']);
  });

  it('answers an operation it does not implement with an error, not a hang or a 500', async () => {
    // Act
    const response = await fetch(aws.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'CodePipeline_20150709.DeletePipeline', 'content-type': 'application/x-amz-json-1.1' },
      body: '{"name":"portal-pipeline"}',
    });
    // Assert
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'UnknownOperationException', message: 'codepipeline:DeletePipeline is not implemented by the local fake' });
  });

  it('answers a body that is not JSON with SerializationException', async () => {
    // Act
    const response = await fetch(aws.endpoint, { method: 'POST', headers: { 'x-amz-target': 'CodeBuild_20161006.BatchGetProjects' }, body: '{' });
    // Assert
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('SerializationException');
  });
});

describe('query protocol helpers', () => {
  it('serialises nested results, lists as member elements, and escapes text', () => {
    // Act
    const xml = toXml({ MessageId: 'a<b', Tags: [{ Key: 'k', Value: '"v"' }], Skipped: undefined });
    // Assert
    expect(xml).toBe('<MessageId>a&lt;b</MessageId><Tags><member><Key>k</Key><Value>&quot;v&quot;</Value></member></Tags>');
  });

  it('reads the service from a SigV4 credential scope', () => {
    // Act / Assert
    expect(serviceFromAuthorization('AWS4-HMAC-SHA256 Credential=local/20261122/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=abc')).toBe('sns');
    expect(serviceFromAuthorization(undefined)).toBeUndefined();
  });
});
