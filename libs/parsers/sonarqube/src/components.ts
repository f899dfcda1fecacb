import { toRepoPath } from '@devsecops/report-input';
import { isObject, list, text, word } from './read';

/**
 * Resolves `component` keys (`<projectKey>:<path>`, or the bare project key for project-level issues) to repo-relative
 * paths, through `components[].path` when the response lists the component.
 */
export class ComponentIndex {
  /** key → path; null for components without a path (the project itself, a portfolio). */
  private readonly paths = new Map<string, string | null>();
  /** Module (BRC) key → its directory in the repository, for module-era SonarQube (before 7.6). */
  private readonly modules = new Map<string, string>();
  /** Resolved paths: many issues share a file, and path clean-up runs regular expressions. */
  private readonly resolved = new Map<string, string | undefined>();

  constructor(private readonly sourceRoots: readonly string[] = []) {}

  add(components: unknown): void {
    this.resolved.clear();
    for (const entry of list(components)) {
      if (!isObject(entry)) continue;
      const key = text(entry.key);
      if (!key || this.paths.get(key)) continue;
      const path = text(entry.path);
      const qualifier = word(entry.qualifier);
      if (qualifier === 'BRC') {
        // A module's path is its directory; the paths of its files are relative to it.
        if (path) this.modules.set(key, path.replace(/\/+$/, ''));
        this.paths.set(key, null);
      } else if (path) this.paths.set(key, path);
      else if (qualifier === 'TRK' || qualifier === 'APP' || qualifier === 'VW' || qualifier === 'SVW') this.paths.set(key, null);
    }
  }

  /**
   * Repo-relative path of a component, or undefined for a project-level issue. `subProject` is the issue's module
   * (module-era SonarQube): its directory is joined in front, as jenkinsci/analysis-model's SonarQubeIssuesParser
   * does, so two modules' files with the same module-relative path stay apart.
   */
  pathOf(component: string | undefined, project: string | undefined, subProject?: string): string | undefined {
    if (!component) return undefined;
    const cacheKey = `${project ?? ''}\u0000${subProject ?? ''}\u0000${component}`;
    if (this.resolved.has(cacheKey)) return this.resolved.get(cacheKey);
    const path = this.resolve(component, project, subProject);
    this.resolved.set(cacheKey, path);
    return path;
  }

  private resolve(component: string, project: string | undefined, subProject: string | undefined): string | undefined {
    const listed = this.paths.get(component);
    if (listed === null) return undefined;
    const moduleDir = subProject && subProject !== project ? this.modules.get(subProject) : undefined;
    let path: string | undefined = listed;
    if (path === undefined) {
      if (component === project) return undefined;
      if (subProject && subProject !== project && component.startsWith(`${subProject}:`)) path = component.slice(subProject.length + 1);
      else if (project && component.startsWith(`${project}:`)) path = component.slice(project.length + 1);
      // Project keys may contain ':' (Maven `group:artifact`), paths practically never do: without the project
      // key, the text after the last ':' is the path.
      else if (!project && component.includes(':')) path = component.slice(component.lastIndexOf(':') + 1);
      else path = component;
    }
    // Servers that already give the project-relative path (7.6+, modules gone) are left as they are.
    if (moduleDir && path !== moduleDir && !path.startsWith(`${moduleDir}/`)) path = `${moduleDir}/${path}`;
    const repoPath = toRepoPath(path, this.sourceRoots);
    return repoPath.length > 0 ? repoPath : undefined;
  }
}
