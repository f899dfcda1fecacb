import fc from 'fast-check';
import * as z from 'zod';
import { TOKEN, approvalMessage, snsEvent } from './__fixtures__/approval';
import { CODESTAR_APPROVAL_ACTION_STARTED, CODESTAR_PIPELINE_SUCCEEDED, EVENTBRIDGE_STAGE_FAILED, PLAIN_TEXT } from './__fixtures__/topic-messages';
import { ApprovalSnsEventSchema, isApprovalRequest, parseExpires, type ApprovalMessage } from './message';

describe('ApprovalSnsEventSchema', () => {
  it('parses the SNS event and the approval JSON inside its Message', () => {
    // Arrange
    const event = snsEvent();
    // Act
    const parsed = ApprovalSnsEventSchema.parse(event);
    // Assert
    expect(isApprovalRequest(parsed.Records[0]!.Sns.Message)).toBe(true);
    expect((parsed.Records[0]!.Sns.Message as ApprovalMessage).approval).toMatchObject({
      pipelineName: 'patient-portal-pipeline',
      stageName: 'Manual-Approval',
      actionName: 'ApprovalRequired',
      token: TOKEN,
    });
  });

  it.each([
    ['a missing stage name', snsEvent({ ...approvalMessage(), approval: { ...approvalMessage().approval, stageName: undefined } }), /stageName/],
    ['a pipeline name CodePipeline would refuse', snsEvent(approvalMessage({ pipelineName: 'bad name!' })), /pipelineName: must be 1-100 characters/],
    ['a token that is not a UUID', snsEvent(approvalMessage({ token: 'not-a-uuid-secret-value' })), /token: must be a UUID/],
    ['an event that is not from SNS', { detail: approvalMessage() }, /Records/],
  ])('refuses %s, naming the field', (_, event, problem) => {
    // Act
    const result = ApprovalSnsEventSchema.safeParse(event);
    // Assert
    expect(result.success).toBe(false);
    const text = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    expect(text).toMatch(problem);
  });

  it.each([
    ['a CodeStar notification of the approval action', CODESTAR_APPROVAL_ACTION_STARTED, {
      reason: 'a CodeStar Notifications message',
      detailType: 'CodePipeline Action Execution State Change',
      source: 'aws.codepipeline',
      pipeline: 'patient-portal-pipeline',
      stage: 'Manual-Approval',
      action: 'ApprovalRequired',
      state: 'STARTED',
    }],
    ['a CodeStar notification of the pipeline', CODESTAR_PIPELINE_SUCCEEDED, {
      reason: 'a CodeStar Notifications message',
      detailType: 'CodePipeline Pipeline Execution State Change',
      source: 'aws.codepipeline',
      pipeline: 'patient-portal-pipeline',
      state: 'SUCCEEDED',
    }],
    ['an EventBridge event', EVENTBRIDGE_STAGE_FAILED, { reason: 'an EventBridge event', detailType: 'CodePipeline Stage Execution State Change', source: 'aws.codepipeline', pipeline: 'patient-portal-pipeline', stage: 'Deploy', state: 'FAILED' }],
    ['plain text', PLAIN_TEXT, { reason: 'not a JSON document (plain text)' }],
    ['broken JSON', `{"approval": {"token": "${TOKEN}"`, { reason: 'not a JSON document (plain text)' }],
    ['a JSON array', [1, 2], { reason: 'a JSON value that is not an object' }],
  ])('accepts %s as a message that is not an approval request, saying what it is', (_, message, notApproval) => {
    // Act
    const parsed = ApprovalSnsEventSchema.parse(snsEvent(message));
    // Assert
    expect(parsed.Records[0]!.Sns.Message).toEqual({ notApproval });
  });

  it('keeps the custom data and links of a notification out of what it keeps', () => {
    const parsed = ApprovalSnsEventSchema.parse(snsEvent(CODESTAR_APPROVAL_ACTION_STARTED));
    expect(JSON.stringify(parsed.Records[0]!.Sns.Message)).not.toMatch(/wiki\.example|Check the scan/);
  });

  it('never echoes the token or the message text in its errors', () => {
    // Arrange: a broken JSON document and a bad field, both with the token inside
    const broken = snsEvent(`{"region":"us-east-1","approval":{"token":"${TOKEN}",`);
    const badField = snsEvent(approvalMessage({ stageName: `stage ${TOKEN}` }));
    // Act
    const results = [ApprovalSnsEventSchema.safeParse(broken), ApprovalSnsEventSchema.safeParse(badField)];
    // Assert: the broken document is skipped as not JSON, the bad field refused; neither keeps the token
    expect(results.map((r) => r.success)).toEqual([true, false]);
    expect(JSON.stringify(results[0]!.data!.Records[0]!.Sns.Message)).not.toContain(TOKEN);
    expect(JSON.stringify(results[1]!.error!.issues)).not.toContain(TOKEN);
  });

  it('gives either a parsed event or zod issues for any Message text, never another exception', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.constant(JSON.stringify(approvalMessage()))), (message) => {
        const result = ApprovalSnsEventSchema.safeParse(snsEvent(message));
        expect(result.success || result.error instanceof z.ZodError).toBe(true);
      }),
    );
  });
});

describe('parseExpires', () => {
  it('reads the minute-precision form CodePipeline sends', () => {
    expect(parseExpires('2016-07-07T20:22Z')).toEqual({ iso: '2016-07-07T20:22:00.000Z' });
  });

  it('keeps an unreadable value as text instead of failing', () => {
    expect(parseExpires('next tuesday')).toEqual({ text: 'next tuesday' });
    expect(parseExpires(undefined)).toEqual({});
  });
});
