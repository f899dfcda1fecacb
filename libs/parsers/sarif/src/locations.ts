import { arrayAt, hasOwn, indexAt, isObject, multiformatText, objectAt, textAt, type JsonObject } from './json';

/** What one SARIF location says about where a problem is. */
export interface FoundLocation {
  /** The artifact's path, uriBaseId resolved, before it is made repo-relative; a URL stays a URL. */
  rawPath?: string;
  /** True when rawPath is a filesystem path (absolute or relative), false for http:// and other URLs. */
  isFilePath: boolean;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  snippet?: string;
  /** logicalLocations[0]: fullyQualifiedName, else name. */
  logical?: string;
  /** The location's own message (Trivy: `image: package@version`). */
  message?: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const FILESYSTEM_ROOT = /^(?:file:\/\/\/?|\/)$/;
const MAX_BASE_DEPTH = 8;

function safeDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function joinUri(base: string, relative: string): string {
  return base.endsWith('/') ? `${base}${relative}` : `${base}/${relative}`;
}

/**
 * Resolves `uri` against `uriBaseId` through run.originalUriBaseIds (bases may chain). A base that is not
 * defined (the usual `%SRCROOT%`) is taken as the repository root; a base that is the filesystem root
 * (`file:///`, Trivy's ROOTPATH) adds nothing. Drive letters are not schemes.
 */
export function resolveUri(uri: string, baseId: string | undefined, bases: JsonObject | undefined, depth = 0): string {
  const scheme = SCHEME.exec(uri);
  if ((scheme && scheme[1]!.length > 1) || uri.startsWith('/') || /^[A-Za-z]:[\\/]/.test(uri)) return uri;
  if (!baseId || !bases || !hasOwn(bases, baseId) || depth >= MAX_BASE_DEPTH) return uri;
  const base = bases[baseId];
  const baseUri = textAt(base, 'uri');
  const parentId = textAt(base, 'uriBaseId');
  if (baseUri === undefined) return resolveUri(uri, parentId, bases, depth + 1);
  if (FILESYSTEM_ROOT.test(baseUri.trim())) return uri;
  return resolveUri(joinUri(baseUri.trim(), uri), parentId, bases, depth + 1);
}

function isFileSystemPath(path: string): boolean {
  const scheme = SCHEME.exec(path);
  return !scheme || scheme[1]!.length === 1 || scheme[1]!.toLowerCase() === 'file';
}

function regionOf(physical: JsonObject | undefined): Pick<FoundLocation, 'startLine' | 'endLine' | 'startColumn' | 'snippet'> {
  const region = objectAt(physical, 'region');
  const startLine = indexAt(region, 'startLine');
  const endLine = indexAt(region, 'endLine');
  const startColumn = indexAt(region, 'startColumn');
  return {
    startLine: startLine && startLine > 0 ? startLine : undefined,
    endLine: endLine && endLine > 0 ? endLine : undefined,
    startColumn: startColumn && startColumn > 0 ? startColumn : undefined,
    snippet: multiformatText(objectAt(region, 'snippet')) ?? multiformatText(objectAt(objectAt(physical, 'contextRegion'), 'snippet')),
  };
}

/**
 * What a location says by itself; its path still to be resolved against its run (`resolveLocation`), whose
 * artifacts and originalUriBaseIds a streamed log may give only after the results.
 */
export interface UnresolvedLocation extends Omit<FoundLocation, 'rawPath' | 'isFilePath'> {
  /** The artifactLocation's own uri, uriBaseId and index. */
  uri?: string;
  uriBaseId?: string;
  artifactIndex?: number;
}

/** Reads one entry of result.locations (or undefined for a result without locations), all but its path. */
export function readUnresolvedLocation(location: unknown): UnresolvedLocation {
  const physical = objectAt(location, 'physicalLocation');
  const artifact = objectAt(physical, 'artifactLocation');
  const logicalLocation = arrayAt(location, 'logicalLocations').find(isObject);
  return {
    uri: textAt(artifact, 'uri'),
    uriBaseId: textAt(artifact, 'uriBaseId'),
    artifactIndex: indexAt(artifact, 'index'),
    ...regionOf(physical),
    logical: textAt(logicalLocation, 'fullyQualifiedName') ?? textAt(logicalLocation, 'name'),
    message: multiformatText(objectAt(location, 'message')),
  };
}

/** The location with its path: the artifact it names in run.artifacts, its uriBaseId resolved. */
export function resolveLocation({ uri: ownUri, uriBaseId: ownBaseId, artifactIndex, ...facts }: UnresolvedLocation, run: JsonObject): FoundLocation {
  let uri = ownUri;
  let baseId = ownBaseId;
  if (uri === undefined && artifactIndex !== undefined) {
    // The location names an entry of run.artifacts instead of repeating its URI.
    const artifact = objectAt(arrayAt(run, 'artifacts')[artifactIndex], 'location');
    if (artifact) {
      uri = textAt(artifact, 'uri');
      baseId = textAt(artifact, 'uriBaseId');
    }
  }
  const resolved = uri !== undefined ? resolveUri(uri.trim(), baseId, objectAt(run, 'originalUriBaseIds')) : undefined;
  // file:// URIs are decoded by toRepoPath later; decoding here too would turn %2520 into a space.
  const rawPath = resolved !== undefined && !SCHEME.test(resolved) ? safeDecode(resolved) : resolved;
  return { rawPath, isFilePath: rawPath !== undefined && isFileSystemPath(rawPath), ...facts };
}

/** Reads one entry of result.locations (or undefined for a result without locations). */
export function readLocation(location: unknown, run: JsonObject): FoundLocation {
  return resolveLocation(readUnresolvedLocation(location), run);
}
