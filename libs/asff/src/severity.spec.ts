import { labelFromScore, labelFromWord, preferredCvss } from './severity';

describe('labelFromScore', () => {
  it.each([
    [0, 'INFORMATIONAL'],
    [0.1, 'LOW'],
    [3.9, 'LOW'],
    [4, 'MEDIUM'],
    [6.9, 'MEDIUM'],
    [7, 'HIGH'],
    [8.9, 'HIGH'],
    [9, 'CRITICAL'],
    [10, 'CRITICAL'],
  ])('maps CVSS %s to %s', (score, label) => {
    // Act / Assert
    expect(labelFromScore(score)).toBe(label);
  });
});

describe('preferredCvss', () => {
  it('prefers v4, then v3, then v2', () => {
    // Arrange
    const scores = [
      { version: '2.0', baseScore: 5 },
      { version: '3.1', baseScore: 7.5 },
      { version: '4.0', baseScore: 6.9 },
    ];
    // Act / Assert
    expect(preferredCvss(scores)?.version).toBe('4.0');
    expect(preferredCvss(scores.slice(0, 2))?.version).toBe('3.1');
    expect(preferredCvss(scores.slice(0, 1))?.version).toBe('2.0');
    expect(preferredCvss([])).toBeUndefined();
  });
});

describe('labelFromWord', () => {
  it('reads the words tools use, in any case', () => {
    expect(labelFromWord('Moderate')).toBe('MEDIUM');
    expect(labelFromWord('CRITICAL')).toBe('CRITICAL');
    expect(labelFromWord(' low ')).toBe('LOW');
    expect(labelFromWord('whatever')).toBeUndefined();
    expect(labelFromWord(undefined)).toBeUndefined();
  });
});
