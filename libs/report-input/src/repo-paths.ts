import { toRepoPath } from './paths';

/**
 * Directory names that sit at the top of a repository in the ecosystems we scan (PHP, JS/TS, Python, Java, Go).
 * Lower case only: `src/Config` or `app/Resources` deeper in a tree are not top-level markers.
 */
const TOP_LEVEL_DIRS: ReadonlySet<string> = new Set([
  'app',
  'src',
  'lib',
  'libs',
  'test',
  'tests',
  'spec',
  'config',
  'database',
  'routes',
  'resources',
  'public',
  'modules',
  'packages',
  'bootstrap',
  'includes',
  'plugins',
]);

/** The first directory below `/` (or below a drive letter) is never taken as part of the repository: `/app/src/x.php` keeps `src/`. */
const FIRST_SEARCHABLE_SEGMENT = 2;

const ABSOLUTE = /^(?:\/|[A-Za-z]:\/)/;

/** True for `/…` and `C:/…` paths (after toRepoPath turned backslashes into slashes). */
export function isAbsolutePath(path: string): boolean {
  return ABSOLUTE.test(path);
}

export interface RepoPaths {
  /** The build-machine directory taken as the repository root, when the report holds absolute paths outside every known root. */
  inferredRoot?: string;
  /** Repo-relative form of one path of the report. */
  toRepo(path: string): string;
  /** Removes the known and inferred roots from free text (messages name files by their absolute path too). */
  stripRoots(text: string): string;
}

function commonDirectory(dirs: Iterable<string[]>): string[] | undefined {
  let common: string[] | undefined;
  for (const segments of dirs) {
    if (!common) {
      common = [...segments];
      continue;
    }
    let n = 0;
    while (n < common.length && n < segments.length && common[n] === segments[n]) n += 1;
    common.length = n;
  }
  return common;
}

/**
 * The repository root among the ancestors of `common`: the parent of its deepest top-level directory name
 * (`…/project/app/Http` → `…/project`), or of the `src/` right above it (`…/project/src/test/java` → `…/project`).
 * When the files branch into top-level directories right below `common`, `common` (or the parent of a `src`
 * it ends in) is the root. With no marker at all, `common` is. Only `src` is stepped over: container
 * workdirs such as `/usr/src/app/src` or `/srv/app/src` are made of top-level names too.
 */
function rootOf(common: string[], childDirs: ReadonlySet<string>): string[] {
  const childIsTopLevel = [...childDirs].some((name) => TOP_LEVEL_DIRS.has(name));
  let start = common.length;
  if (!childIsTopLevel) {
    start = -1;
    for (let i = common.length - 1; i >= FIRST_SEARCHABLE_SEGMENT; i -= 1) {
      if (TOP_LEVEL_DIRS.has(common[i]!)) {
        start = i;
        break;
      }
    }
    if (start < 0) return common;
  }
  if (start - 1 >= FIRST_SEARCHABLE_SEGMENT && common[start - 1] === 'src') start -= 1;
  return common.slice(0, start);
}

function inferRoot(absolutePaths: ReadonlySet<string>): string | undefined {
  if (absolutePaths.size === 0) return undefined;
  const dirs = new Map<string, string[]>();
  for (const path of absolutePaths) {
    const segments = path.split('/');
    segments.pop();
    dirs.set(segments.join('/'), segments);
  }
  const common = commonDirectory(dirs.values());
  // Paths on different drives (or a mix of `/` and `C:/`) share nothing to strip.
  if (!common || common.length === 0) return undefined;
  const childDirs = new Set<string>();
  for (const segments of dirs.values()) {
    const child = segments[common.length];
    if (child !== undefined) childDirs.add(child);
  }
  return rootOf(common, childDirs).join('/');
}

function normaliseRoot(root: string): string {
  return root.replace(/\\/g, '/').replace(/\/+$/, '');
}

/**
 * Maps every path of one report to a repo-relative path. First `toRepoPath` (file://, the given source roots,
 * known CI workspaces); absolute paths still left (a developer machine, a container) share one inferred root:
 * their common directory, moved up to the parent of its deepest top-level directory name (see rootOf).
 * Inferring from the whole report, not path by path, keeps one root for all files, so Ids stay stable.
 */
export function repoPaths(paths: Iterable<string>, sourceRoots: readonly string[] = []): RepoPaths {
  // Reports repeat each path many times (PHPStan once per file, SARIF once per result): map each distinct one once.
  const known = new Map<string, string>();
  for (const path of paths) if (!known.has(path)) known.set(path, toRepoPath(path, sourceRoots));
  const absolute = new Set<string>();
  for (const relative of known.values()) if (isAbsolutePath(relative)) absolute.add(relative);
  const inferredRoot = inferRoot(absolute);
  // '' means the filesystem root: strip the leading '/' from paths, but never '/' from text.
  const textRoots = [...sourceRoots.map(normaliseRoot), ...(inferredRoot ? [inferredRoot] : [])]
    .filter((root) => root.length > 1)
    .sort((a, b) => b.length - a.length)
    .map((root) => `${root}/`);
  return {
    inferredRoot,
    toRepo(path: string): string {
      const relative = known.get(path) ?? toRepoPath(path, sourceRoots);
      if (inferredRoot === undefined || !isAbsolutePath(relative)) return relative;
      if (relative.startsWith(`${inferredRoot}/`)) return relative.slice(inferredRoot.length + 1) || '.';
      return relative;
    },
    stripRoots(text: string): string {
      let out = text;
      for (const root of textRoots) if (out.includes(root)) out = out.replaceAll(root, '');
      return out;
    },
  };
}
