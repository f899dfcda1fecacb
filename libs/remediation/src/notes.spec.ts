import fc from 'fast-check';
import { dryRunNote, failedNote, noteText, resolvedNote, scrub, stepSummary } from './notes';
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

  it('never cut a step or a sentence: each numbered step is whole, or the steps are summarised by action', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('ssm:PutParameter', 'iam:PutRolePolicy', 's3:PutBucketPolicy'), fc.stringMatching(/^[a-z ]{5,120}$/)), { maxLength: 12 }),
        fc.array(fc.stringMatching(/^[A-Za-z ]{5,300}\.$/), { maxLength: 4 }),
        (stepSpecs, followUps) => {
          const p: Plan = { ...plan(0), compliant: stepSpecs.length === 0, steps: stepSpecs.map(([action, description]) => ({ action, description: `do ${description.trim() || 'it'}` })), followUps };
          for (const note of [dryRunNote(p), resolvedNote(p, { ok: true, detail: 'checked' }, 'r')]) {
            expect(note.length).toBeLessThanOrEqual(512);
            expect(note).not.toContain('…');
            const numbered = [...note.matchAll(/(\d+)\) /g)].map((m) => Number(m[1]));
            if (numbered.length > 0) {
              expect(numbered).toEqual(p.steps.map((_, i) => i + 1));
              for (const step of p.steps) expect(note).toContain(step.description);
            } else if (!p.compliant) {
              expect(note).toContain(`${p.steps.length} change`);
            }
          }
        },
      ),
    );
  });

  it('summarise steps by action, counting repeats', () => {
    expect(stepSummary([{ action: 'a:X', description: '' }, { action: 'b:Y', description: '' }, { action: 'a:X', description: '' }])).toBe('a:X ×2, b:Y');
  });

  it('say when nothing needs to change', () => {
    expect(dryRunNote(plan(0))).toBe('[dry run] S3.5: nothing to change, the resource already passes the check.');
  });

  it('never carry a known secret or a credential-looking value', () => {
    expect(noteText('leaked wJalrXUtnFEMI/K7MDENG and AKIAIOSFODNN7EXAMPLE', ['wJalrXUtnFEMI/K7MDENG'])).toBe('leaked [REDACTED] and AKIA****************');
    expect(scrub('password=hunter2', [])).toBe('password=[REDACTED]');
  });
});
