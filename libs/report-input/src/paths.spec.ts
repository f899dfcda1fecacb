import { toRepoPath } from './paths';

describe('toRepoPath', () => {
  it.each([
    ['/codebuild/output/src123/src/app/src/a.php', [], 'app/src/a.php'],
    ['/github/workspace/src/a.ts', [], 'src/a.ts'],
    ['file:///home/me/repo/src/a.ts', ['/home/me/repo'], 'src/a.ts'],
    ['C:\\work\\repo\\src\\a.cs', ['C:\\work\\repo'], 'src/a.cs'],
    ['./src/a.ts', [], 'src/a.ts'],
    ['src/a.ts', ['/unrelated'], 'src/a.ts'],
  ])('makes %s repo-relative', (input, roots, expected) => {
    expect(toRepoPath(input, roots)).toBe(expected);
  });
});
