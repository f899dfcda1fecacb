import { isAbsolutePath, repoPaths } from './repo-paths';

describe('repoPaths', () => {
  it.each([
    ['a Laravel project on a Mac', ['/Users/zero/WK/shop/app/Http/A.php', '/Users/zero/WK/shop/app/Models/B.php'], ['app/Http/A.php', 'app/Models/B.php']],
    ['a project under ~/src that branches into app/ and tests/', ['/home/bob/src/shop/app/A.php', '/home/bob/src/shop/tests/ATest.php'], ['app/A.php', 'tests/ATest.php']],
    ['one file in public/', ['/home/kristaps/php-checks/public/webhook.php'], ['public/webhook.php']],
    ['a container workdir /app', ['/app/src/A.php', '/app/src/Sub/B.php'], ['src/A.php', 'src/Sub/B.php']],
    ['Maven-style src/test nesting', ['/work/repo/src/test/java/ATest.java'], ['src/test/java/ATest.java']],
    ['/var/www/html with files at the root', ['/var/www/html/index.php', '/var/www/html/app/A.php'], ['index.php', 'app/A.php']],
    ['a /usr/src/app container workdir', ['/usr/src/app/src/A.php', '/usr/src/app/src/B/C.php'], ['src/A.php', 'src/B/C.php']],
    ['a nested src/lib', ['/r/shop/src/lib/A.php'], ['src/lib/A.php']],
    ['a Maven tree branching below src/', ['/r/shop/src/main/java/A.java', '/r/shop/src/test/java/ATest.java'], ['src/main/java/A.java', 'src/test/java/ATest.java']],
    ['Windows paths without a marker', ['C:\\code\\file1.c', 'C:\\code\\file2.c'], ['file1.c', 'file2.c']],
    ['already relative paths', ['phpstan/file1.php', './src/B.php'], ['phpstan/file1.php', 'src/B.php']],
  ])('makes %s repo-relative', (_case, input, expected) => {
    // Arrange
    const paths = repoPaths(input);

    // Act
    const relative = input.map((p) => paths.toRepo(p));

    // Assert
    expect(relative).toEqual(expected);
  });

  it('prefers the given source roots and CI workspaces over inference', () => {
    // Arrange
    const input = ['/codebuild/output/src123/src/app/A.php', '/opt/build/shop/lib/B.php'];

    // Act
    const paths = repoPaths(input, ['/opt/build']);

    // Assert
    expect(input.map((p) => paths.toRepo(p))).toEqual(['app/A.php', 'shop/lib/B.php']);
    expect(paths.inferredRoot).toBeUndefined();
  });

  it('strips the inferred root from free text, and never a lone "/"', () => {
    // Arrange
    const paths = repoPaths(['/Users/zero/shop/app/A.php']);
    const rootOnly = repoPaths(['/library/test_tag', '/root/.cache/x']);

    // Act
    const stripped = paths.stripRoots('pattern in path /Users/zero/shop/app/A.php was not matched');

    // Assert
    expect(paths.inferredRoot).toBe('/Users/zero/shop');
    expect(stripped).toBe('pattern in path app/A.php was not matched');
    expect(rootOnly.toRepo('/library/test_tag')).toBe('library/test_tag');
    expect(rootOnly.stripRoots('a/b /c')).toBe('a/b /c');
  });

  it('leaves paths on different drives alone', () => {
    // Arrange
    const paths = repoPaths(['C:/a/x.php', '/b/y.php']);

    // Act / Assert
    expect(paths.inferredRoot).toBeUndefined();
    expect(paths.toRepo('C:/a/x.php')).toBe('C:/a/x.php');
  });

  it('reads a file:// URI with broken percent-encoding literally instead of throwing', () => {
    // Arrange
    const paths = repoPaths(['file:///srv/app/src/100%.php', 'file:///srv/app/src/a%20b.php']);

    // Act / Assert
    expect(paths.toRepo('file:///srv/app/src/100%.php')).toBe('src/100%.php');
    expect(paths.toRepo('file:///srv/app/src/a%20b.php')).toBe('src/a b.php');
  });

  it('recognises absolute POSIX and drive-letter paths', () => {
    expect([isAbsolutePath('/a'), isAbsolutePath('C:/a'), isAbsolutePath('a/b'), isAbsolutePath('./a')]).toEqual([true, true, false, false]);
  });
});
