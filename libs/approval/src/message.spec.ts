import fc from 'fast-check';
import * as z from 'zod';
import { TOKEN, approvalMessage, snsEvent } from './__fixtures__/approval';
import { ApprovalSnsEventSchema, parseExpires } from './message';

describe('ApprovalSnsEventSchema', () => {
  it('parses the SNS event and the approval JSON inside its Message', () => {
    // Arrange
    const event = snsEvent();
    // Act
    const parsed = ApprovalSnsEventSchema.parse(event);
    // Assert
    expect(parsed.Records[0]!.Sns.Message.approval).toMatchObject({
      pipelineName: 'patient-portal-pipeline',
      stageName: 'Manual-Approval',
      actionName: 'ApprovalRequired',
      token: TOKEN,
    });
  });

  it.each([
    ['a message that is not JSON', snsEvent(`{"approval": {"token": "${TOKEN}"`), /Message: is not a JSON document/],
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

  it('never echoes the token or the message text in its errors', () => {
    // Arrange: a broken JSON document and a bad field, both with the token inside
    const broken = snsEvent(`{"region":"us-east-1","approval":{"token":"${TOKEN}",`);
    const badField = snsEvent(approvalMessage({ stageName: `stage ${TOKEN}` }));
    // Act
    const errors = [ApprovalSnsEventSchema.safeParse(broken), ApprovalSnsEventSchema.safeParse(badField)].map((r) => JSON.stringify(r.error?.issues));
    // Assert
    for (const text of errors) expect(text).not.toContain(TOKEN);
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
