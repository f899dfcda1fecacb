import type { ParseContext } from './context';
import { isObject, positiveInt, text, type JsonObject } from './read';

export interface SonarLocation {
  project?: string;
  component?: string;
  /** Repo-relative path, when the component is a file. */
  path?: string;
  line?: number;
}

/** Where an issue or a hotspot is: component mapped to a path, line from `line` or the text range. */
export function sonarLocation(entry: JsonObject, ctx: ParseContext): SonarLocation {
  const project = text(entry.project);
  const component = text(entry.component);
  const textRange = isObject(entry.textRange) ? entry.textRange : undefined;
  return {
    project,
    component,
    path: ctx.components.pathOf(component, project, text(entry.subProject)),
    line: positiveInt(entry.line) ?? positiveInt(textRange?.startLine),
  };
}
