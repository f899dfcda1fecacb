import fc from 'fast-check';
import { SUBJECT_MAX, snsSubject } from './sns';

describe('snsSubject', () => {
  it('is printable ASCII on one line, at most 99 characters, whatever it is given', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const subject = snsSubject(text);
        expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
        expect(subject).toMatch(/^[\x20-\x7E]*$/);
      }),
    );
  });

  it('keeps a short subject as it is', () => {
    expect(snsSubject('Approval needed: patient-portal')).toBe('Approval needed: patient-portal');
  });
});
