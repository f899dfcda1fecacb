/** decodeURIComponent that leaves a malformed escape (a stray `%`) as it is instead of throwing. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * CI workspace prefixes. CodeBuild checks sources out under /codebuild/output/src<N>/src/, followed for GitHub,
 * GitLab, Bitbucket and CodeCommit sources by the provider host and repository path.
 */
const CI_PREFIX = new RegExp(
  [
    String.raw`^/codebuild/output/src\d+/src/(?:(?:github\.com|gitlab\.com|bitbucket\.org)/[^/]+/[^/]+/|git-codecommit\.[^/]+/v1/repos/[^/]+/)?`,
    String.raw`^/github/workspace/`,
    String.raw`^/home/runner/work/[^/]+/[^/]+/`,
    String.raw`^/builds/[^/]+/[^/]+/`,
    String.raw`^/var/lib/jenkins/workspace/[^/]+/`,
  ].join('|'),
);

/**
 * Makes a scanner's path repo-relative: strips `file://`, known source roots (CODEBUILD_SRC_DIR and the
 * like), CI workspace prefixes, and leading `./`. Backslashes become slashes.
 */
export function toRepoPath(path: string, sourceRoots: readonly string[] = []): string {
  let p = path.trim().replace(/\\/g, '/');
  if (p.startsWith('file://')) p = safeDecode(p.slice('file://'.length)).replace(/^\/([A-Za-z]:\/)/, '$1');
  for (const root of sourceRoots) {
    const r = root.replace(/\\/g, '/').replace(/\/+$/, '');
    if (r && (p === r || p.startsWith(`${r}/`))) return p.slice(r.length + 1) || '.';
  }
  return p.replace(CI_PREFIX, '').replace(/^(\.\/)+/, '');
}
