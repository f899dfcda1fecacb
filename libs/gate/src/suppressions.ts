import { PackageURL } from 'packageurl-js';
import picomatch from 'picomatch';
import type { FindingFacts } from './facts';

/** A package URL pattern: type, namespace and name must match; the version only when the pattern has one. */
export interface PurlPattern {
  text: string;
  type: string;
  namespace?: string;
  name: string;
  version?: string;
}

export type SuppressionMatch =
  | { kind: 'id'; id: string }
  | { kind: 'tool-rule'; tool: string; rule: string }
  | { kind: 'rule-path'; rule: string; path: string; tool?: string }
  | { kind: 'cve-package'; cve: string; package: PurlPattern };

/** One decision kept in the repository: a suppressions-file entry or an OpenVEX statement. */
export interface SuppressionEntry {
  origin: 'file' | 'openvex';
  /** The file it comes from, as given. */
  source: string;
  /** 1-based line of the entry in its file (0 when unknown, e.g. JSON). */
  line: number;
  match: SuppressionMatch;
  reason: string;
  owner: string;
  /** YYYY-MM-DD; the entry no longer applies from 00:00 UTC that day. None for OpenVEX statements. */
  expires?: string;
  /** The commit of the file (the scanned commit), for the Note in Security Hub. */
  commit?: string;
}

export interface SuppressionProblem {
  source: string;
  line: number;
  message: string;
}

export interface SuppressionSet {
  entries: SuppressionEntry[];
  /** Entries refused (missing reason, owner or expiry; no valid match); the rest of the file still applies. */
  problems: SuppressionProblem[];
}

/** A suppressions or VEX file that cannot be read at all: one error naming the file and the problem. */
export class SuppressionFileError extends Error {
  constructor(
    readonly source: string,
    problem: string,
  ) {
    super(`${source}: ${problem}`);
    this.name = 'SuppressionFileError';
  }
}

export const DEFAULT_SUPPRESSIONS_FILE = '.devsecops/suppressions.yaml';

export function parsePurlPattern(text: string): PurlPattern | string {
  try {
    const purl = PackageURL.fromString(text.trim());
    return {
      text: text.trim(),
      type: purl.type.toLowerCase(),
      ...(purl.namespace ? { namespace: purl.namespace } : {}),
      name: purl.name,
      ...(purl.version ? { version: purl.version } : {}),
    };
  } catch (error) {
    return `"${text}" is not a package URL (${(error as Error).message})`;
  }
}

/** Epoch ms from which the entry no longer applies. */
export function expiresAt(entry: Pick<SuppressionEntry, 'expires'>): number {
  return entry.expires === undefined ? Number.POSITIVE_INFINITY : Date.parse(`${entry.expires}T00:00:00Z`);
}

export function isExpired(entry: Pick<SuppressionEntry, 'expires'>, now: Date): boolean {
  return now.getTime() >= expiresAt(entry);
}

function purlMatches(pattern: PurlPattern, purlText: string): boolean {
  const candidate = parsePurlPattern(purlText);
  if (typeof candidate === 'string') return false;
  return (
    candidate.type === pattern.type &&
    (candidate.namespace ?? '').toLowerCase() === (pattern.namespace ?? '').toLowerCase() &&
    candidate.name.toLowerCase() === pattern.name.toLowerCase() &&
    (pattern.version === undefined || candidate.version === pattern.version)
  );
}

const globCache = new Map<string, (path: string) => boolean>();

function glob(pattern: string): (path: string) => boolean {
  let matcher = globCache.get(pattern);
  if (!matcher) {
    matcher = picomatch(pattern, { dot: true });
    globCache.set(pattern, matcher);
  }
  return matcher;
}

/** Whether an entry's match selects the finding. */
export function entryMatches(match: SuppressionMatch, finding: FindingFacts): boolean {
  switch (match.kind) {
    case 'id':
      return finding.id === match.id;
    case 'tool-rule':
      return finding.tool.toLowerCase() === match.tool && finding.rule === match.rule;
    case 'rule-path':
      return (
        finding.rule === match.rule && (match.tool === undefined || finding.tool.toLowerCase() === match.tool) && finding.path !== undefined && glob(match.path)(finding.path)
      );
    case 'cve-package':
      return finding.cves.includes(match.cve) && finding.packages.some((p) => purlMatches(match.package, p));
  }
}

/**
 * Whether an entry could match anything in a scan of `tool`, so that matching nothing there makes it stale.
 * Entries for another tool, package entries in a scan without packages, path entries in a scan without files
 * are simply not about this scan.
 */
export function entryAppliesTo(match: SuppressionMatch, tool: string, scan: { packages: boolean; paths: boolean }): boolean {
  switch (match.kind) {
    case 'id':
      return match.id.split('/')[1] === tool;
    case 'tool-rule':
      return match.tool === tool.toLowerCase();
    case 'rule-path':
      return scan.paths && (match.tool === undefined || match.tool === tool.toLowerCase());
    case 'cve-package':
      return scan.packages;
  }
}

/** The entry's match in words, for lists and Notes. */
export function describeMatch(match: SuppressionMatch): string {
  switch (match.kind) {
    case 'id':
      return `id ${match.id}`;
    case 'tool-rule':
      return `${match.tool} rule ${match.rule}`;
    case 'rule-path':
      return `rule ${match.rule} in ${match.path}${match.tool ? ` (${match.tool})` : ''}`;
    case 'cve-package':
      return `${match.cve} in ${match.package.text}`;
  }
}

export function entryLabel(entry: SuppressionEntry): string {
  return `${entry.source}${entry.line > 0 ? `:${entry.line}` : ''}`;
}
