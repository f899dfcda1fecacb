import { fingerprintOf } from './fingerprints';

describe('fingerprintOf', () => {
  it('takes the highest version among fingerprints', () => {
    expect(fingerprintOf({ fingerprints: { 'matchBasedId/v1': 'a', 'matchBasedId/v3': 'c', 'matchBasedId/v2': 'b' } })).toBe('matchBasedId/v3=c');
  });

  it('breaks a version tie between methods alphabetically', () => {
    expect(fingerprintOf({ fingerprints: { 'zeta/v2': 'z', 'alpha/v2': 'a', 'beta/v1': 'b' } })).toBe('alpha/v2=a');
  });

  it('unwraps { value } objects and numbers, skips empty values', () => {
    expect(fingerprintOf({ fingerprints: { 'id/v2': '', 'id/v1': { value: 'wrapped' } } })).toBe('id/v1=wrapped');
    expect(fingerprintOf({ fingerprints: { hash: 42 } })).toBe('hash=42');
  });

  it('falls back to every partial fingerprint, latest version each, sorted', () => {
    expect(
      fingerprintOf({ partialFingerprints: { primaryLocationStartColumnFingerprint: '11', primaryLocationLineHash: 'abc:1', 'lineHash/v1': 'x', 'lineHash/v2': 'y' } }),
    ).toBe('lineHash/v2=y|primaryLocationLineHash=abc:1|primaryLocationStartColumnFingerprint=11');
  });

  it('prefers fingerprints to partial fingerprints', () => {
    expect(fingerprintOf({ fingerprints: { f: '1' }, partialFingerprints: { p: '2' } })).toBe('f=1');
  });

  it.each([[{}], [{ fingerprints: [] }], [{ fingerprints: { a: null } }], [null], ['x']])('is undefined for %j', (result) => {
    expect(fingerprintOf(result)).toBeUndefined();
  });
});
