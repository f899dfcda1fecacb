import { toRepoPath } from './paths';

describe('toRepoPath', () => {
  it.each([
    ['/codebuild/output/src123/src/app/src/a.php', [], 'app/src/a.php'],
    ['/codebuild/output/src1/src/github.com/hospital/portal/lib/x.jar', [], 'lib/x.jar'],
    ['/codebuild/output/src9/src/git-codecommit.us-east-1.amazonaws.com/v1/repos/portal/pom.xml', [], 'pom.xml'],
    ['file:///repo/100%25/a%ZZ.ts', ['/repo'], '100%25/a%ZZ.ts'],
    ['/github/workspace/src/a.ts', [], 'src/a.ts'],
    ['file:///home/me/repo/src/a.ts', ['/home/me/repo'], 'src/a.ts'],
    ['C:\\work\\repo\\src\\a.cs', ['C:\\work\\repo'], 'src/a.cs'],
    ['./src/a.ts', [], 'src/a.ts'],
    ['src/a.ts', ['/unrelated'], 'src/a.ts'],
  ])('makes %s repo-relative', (input, roots, expected) => {
    expect(toRepoPath(input, roots)).toBe(expected);
  });
});
