import { readLocation, resolveUri } from './locations';

describe('resolveUri', () => {
  const bases = {
    SRCROOT: { uri: 'file:///home/runner/work/shop/shop/' },
    WEB: { uri: 'web', uriBaseId: 'SRCROOT' },
    ROOTPATH: { uri: 'file:///' },
    LOOP: { uri: 'a/', uriBaseId: 'LOOP' },
    NOURI: { uriBaseId: 'SRCROOT' },
  };

  it.each([
    ['app.js', 'WEB', 'file:///home/runner/work/shop/shop/web/app.js'],
    ['app.js', 'NOURI', 'file:///home/runner/work/shop/shop/app.js'],
    ['usr/lib/x', 'ROOTPATH', 'usr/lib/x'],
    ['src/a.php', '%SRCROOT%', 'src/a.php'],
    ['src/a.php', undefined, 'src/a.php'],
    ['file:///abs/a.php', 'SRCROOT', 'file:///abs/a.php'],
    ['C:\\code\\a.c', 'SRCROOT', 'C:\\code\\a.c'],
    ['https://x.test/a', 'SRCROOT', 'https://x.test/a'],
  ])('%s against %s → %s', (uri, base, expected) => {
    expect(resolveUri(uri, base, bases)).toBe(expected);
  });

  it('stops on a base that refers to itself', () => {
    expect(resolveUri('x', 'LOOP', bases)).toBe('a/a/a/a/a/a/a/a/x');
  });
});

describe('readLocation', () => {
  const run = { artifacts: [{ location: { uri: 'src/Indexed.php' } }] };

  it('reads region, snippet (else context snippet), logical location and message', () => {
    // Arrange
    const location = {
      physicalLocation: {
        artifactLocation: { uri: 'src/a%20b.php' },
        region: { startLine: 3, endLine: 4, startColumn: 2 },
        contextRegion: { snippet: { text: 'context' } },
      },
      logicalLocations: [{ name: 'A::b' }],
      message: { text: 'here' },
    };

    // Act / Assert
    expect(readLocation(location, run)).toEqual({
      rawPath: 'src/a b.php',
      isFilePath: true,
      startLine: 3,
      endLine: 4,
      startColumn: 2,
      snippet: 'context',
      logical: 'A::b',
      message: 'here',
    });
  });

  it('follows an artifact index when the location has no URI, and ignores a bad one', () => {
    expect(readLocation({ physicalLocation: { artifactLocation: { index: 0 } } }, run).rawPath).toBe('src/Indexed.php');
    expect(readLocation({ physicalLocation: { artifactLocation: { index: 7 } } }, run).rawPath).toBeUndefined();
  });

  it('leaves file:// URIs encoded for toRepoPath and marks URLs as not file paths', () => {
    expect(readLocation({ physicalLocation: { artifactLocation: { uri: 'file:///a/b%2520c' } } }, run)).toMatchObject({ rawPath: 'file:///a/b%2520c', isFilePath: true });
    expect(readLocation({ physicalLocation: { artifactLocation: { uri: 'https://x.test/a' } } }, run).isFilePath).toBe(false);
  });

  it('ignores lines below 1', () => {
    expect(readLocation({ physicalLocation: { artifactLocation: { uri: 'a' }, region: { startLine: 0 } } }, run).startLine).toBeUndefined();
  });
});
