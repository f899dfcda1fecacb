import { sarifSeverity, securityScore } from './severity';

describe('sarifSeverity', () => {
  it.each([
    [{ securitySeverity: '9.8', level: 'note' }, 'CRITICAL', '9.8'],
    [{ securitySeverity: 7, level: 'note' }, 'HIGH', '7'],
    [{ securitySeverity: ' 4.0 ' }, 'MEDIUM', '4.0'],
    [{ securitySeverity: '0.1' }, 'LOW', '0.1'],
    [{ securitySeverity: '0.0', level: 'error' }, 'INFORMATIONAL', '0.0'],
    [{ level: 'error' }, 'HIGH', 'error'],
    [{ level: 'warning' }, 'MEDIUM', 'warning'],
    [{ level: 'note' }, 'LOW', 'note'],
    [{ level: 'none' }, 'INFORMATIONAL', 'none'],
    [{}, 'MEDIUM', 'warning'],
  ])('maps %j to %s (Original %s)', (input, label, original) => {
    expect(sarifSeverity(input)).toEqual({ label, original });
  });

  it.each([
    [{ securitySeverity: '11', level: 'error' }, 'HIGH', 'error', 'unusable security-severity "11"'],
    [{ securitySeverity: 'high', level: 'note' }, 'LOW', 'note', 'unusable security-severity "high"'],
    [{ level: 'Error' }, 'MEDIUM', 'warning', 'unknown level "Error" counted as warning'],
    [{ level: 3 }, 'MEDIUM', 'warning', 'unknown level 3 counted as warning'],
  ])('falls back for %j and names the problem', (input, label, original, problem) => {
    expect(sarifSeverity(input)).toEqual({ label, original, problem });
  });

  it('reads scores from numbers and numeric strings only', () => {
    expect([securityScore('8.8'), securityScore(5), securityScore(''), securityScore('1e1'), securityScore(-1), securityScore(null)]).toEqual([
      8.8,
      5,
      undefined,
      10,
      undefined,
      undefined,
    ]);
  });
});
