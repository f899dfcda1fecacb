import type { FindingDraft } from '@devsecops/asff';
import { makeIdsUnique } from './unique-ids';

const draft = (ruleId: string, location: string, identity?: string): FindingDraft => ({
  ruleId,
  location,
  ...(identity !== undefined ? { identity } : {}),
  title: 't',
  description: 'd',
  severity: { label: 'LOW', original: 'note' },
  resources: [],
});

describe('makeIdsUnique', () => {
  it('leaves drafts that do not collide untouched', () => {
    // Arrange
    const drafts = [draft('r', 'a:1'), draft('r', 'a:2'), draft('s', 'a:1'), draft('r', 'a:1', 'fp')];

    // Act
    const changed = makeIdsUnique(drafts, () => 'same');

    // Assert
    expect(changed).toEqual({ byMessage: 0, byOrder: 0 });
    expect(drafts.map((d) => d.identity ?? d.location)).toEqual(['a:1', 'a:2', 'a:1', 'fp']);
  });

  it('separates collisions by message digest first, then by order, on identity or location', () => {
    // Arrange
    const drafts = [draft('r', 'a:1'), draft('r', 'a:1'), draft('r', 'a:1'), draft('r', 'x', 'fp'), draft('r', 'y', 'fp')];
    const messages = ['one', 'two', 'two', 'p', 'q'];

    // Act
    const changed = makeIdsUnique(drafts, (i) => messages[i]!);

    // Assert
    expect(changed).toEqual({ byMessage: 5, byOrder: 1 });
    const keys = drafts.map((d) => d.identity ?? d.location);
    expect(new Set(keys).size).toBe(5);
    expect(keys[2]).toBe(`${keys[1]}~2`);
    expect(keys[3]).toMatch(/^fp~m:[0-9a-f]{12}$/);
    expect(drafts[3]!.location).toBe('x');
  });
});
