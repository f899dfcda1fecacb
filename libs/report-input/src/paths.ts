/**
 * Makes a scanner's path repo-relative: strips `file://`, known source roots (CODEBUILD_SRC_DIR and the
 * like), CI workspace prefixes, and leading `./`. Backslashes become slashes.
 */
export function toRepoPath(path: string, sourceRoots: readonly string[] = []): string {
  let p = path.trim().replace(/\\/g, '/');
  if (p.startsWith('file://')) p = decodeURIComponent(p.slice('file://'.length)).replace(/^\/([A-Za-z]:\/)/, '$1');
  for (const root of sourceRoots) {
    const r = root.replace(/\\/g, '/').replace(/\/+$/, '');
    if (r && (p === r || p.startsWith(`${r}/`))) return p.slice(r.length + 1) || '.';
  }
  const ci = /^(?:\/codebuild\/output\/src\d+\/src\/(?:[^/]+\/){0,3}?|\/github\/workspace\/|\/home\/runner\/work\/[^/]+\/[^/]+\/|\/builds\/[^/]+\/[^/]+\/|\/var\/lib\/jenkins\/workspace\/[^/]+\/)/;
  p = p.replace(ci, '');
  return p.replace(/^(\.\/)+/, '');
}
