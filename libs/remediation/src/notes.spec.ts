import fc from 'fast-check';
import { dryRunNote, failedNote, noteText, scrub } from './notes';
import type { Plan } from './playbook';

const plan = (steps: number, secrets: string[] = []): Plan => ({
  target: { controlId: 'S3.5', resourceType: 'AwsS3Bucket', arn: 'arn:aws:s3:::b', name: 'b', region: 'us-east-1', accountId: '123456789012', partition: 'aws' },
  compliant: steps === 0,
  steps: Array.from({ length: steps }, (_, i) => ({ action: 's3:PutBucketPolicy', description: `step number ${i} with a rather long explanation of what it does` })),
  followUps: [],
  secrets,
  state: null,
});

describe('notes', () => {
  it('stay within the 512 characters of Note.Text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.string({ maxLength: 2000 }), (steps, problem) => {
        expect(dryRunNote(plan(steps)).length).toBeLessThanOrEqual(512);
        expect(failedNote('S3.5', 'apply', problem, [], 'r').length).toBeLessThanOrEqual(512);
      }),
    );
  });

  it('say when nothing needs to change', () => {
    expect(dryRunNote(plan(0))).toBe('[dry run] S3.5: nothing to change, the resource already passes the check.');
  });

  it('never carry a known secret or a credential-looking value', () => {
    expect(noteText('leaked wJalrXUtnFEMI/K7MDENG and AKIAIOSFODNN7EXAMPLE', ['wJalrXUtnFEMI/K7MDENG'])).toBe('leaked [REDACTED] and AKIA****************');
    expect(scrub('password=hunter2', [])).toBe('password=[REDACTED]');
  });
});
