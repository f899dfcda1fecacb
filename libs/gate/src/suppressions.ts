import { PackageURL } from 'packageurl-js';
import picomatch from 'picomatch';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
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

const KEYS = ['id', 'tool', 'rule', 'path', 'cve', 'package', 'reason', 'owner', 'expires'] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CVE = /^CVE-\d{4}-\d{4,}$/i;

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

function validDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Epoch ms from which the entry no longer applies. */
export function expiresAt(entry: Pick<SuppressionEntry, 'expires'>): number {
  return entry.expires === undefined ? Number.POSITIVE_INFINITY : Date.parse(`${entry.expires}T00:00:00Z`);
}

export function isExpired(entry: Pick<SuppressionEntry, 'expires'>, now: Date): boolean {
  return now.getTime() >= expiresAt(entry);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return undefined;
}

function matchOf(raw: Record<string, unknown>): SuppressionMatch | string {
  const id = text(raw['id']);
  const tool = text(raw['tool']);
  const rule = text(raw['rule']);
  const path = text(raw['path']);
  const cve = text(raw['cve']);
  const pkg = text(raw['package']);
  if (id) {
    if (tool || rule || path || cve || pkg) return 'an id match takes no other match field';
    return { kind: 'id', id };
  }
  if (cve || pkg) {
    if (!cve || !pkg) return 'a CVE match needs both cve and package (a purl, with or without version)';
    if (!CVE.test(cve)) return `cve "${cve}" is not a CVE id`;
    const purl = parsePurlPattern(pkg);
    if (typeof purl === 'string') return purl;
    return { kind: 'cve-package', cve: cve.toUpperCase(), package: purl };
  }
  if (rule && path) return { kind: 'rule-path', rule, path, ...(tool ? { tool: tool.toLowerCase() } : {}) };
  if (tool && rule) return { kind: 'tool-rule', tool: tool.toLowerCase(), rule };
  return 'needs a match: id; tool + rule; rule + path; or cve + package';
}

/**
 * Reads a suppressions file (YAML):
 *
 *     suppressions:
 *       - cve: CVE-2021-44228
 *         package: pkg:maven/org.apache.logging.log4j/log4j-core      # any version
 *         reason: not reachable, JNDI lookups disabled
 *         owner: jane.doe@example.org
 *         expires: 2027-03-31
 *
 * A malformed file throws SuppressionFileError; a bad entry is refused with its line and the rest still applies.
 */
export function readSuppressionsFile(content: string, source: string, options: { commit?: string } = {}): SuppressionSet {
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new SuppressionFileError(source, `line ${line}: ${error.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (root === null || (isMap(root) && root.items.length === 0)) return { entries: [], problems: [] };
  const list = isMap(root) ? root.get('suppressions', true) : root;
  if (list === undefined || list === null) return { entries: [], problems: [] };
  if (!isSeq(list)) throw new SuppressionFileError(source, 'expected a "suppressions:" list of entries');
  const entries: SuppressionEntry[] = [];
  const problems: SuppressionProblem[] = [];
  for (const item of list.items as Node[]) {
    const line = item?.range ? lineCounter.linePos(item.range[0]).line : 0;
    const refuse = (message: string) => problems.push({ source, line, message });
    if (!isMap(item)) {
      refuse('entry is not a mapping of fields');
      continue;
    }
    const raw = item.toJSON() as Record<string, unknown>;
    const unknown = Object.keys(raw).filter((k) => !(KEYS as readonly string[]).includes(k));
    if (unknown.length > 0) {
      refuse(`unknown field(s) ${unknown.join(', ')}; expected ${KEYS.join(', ')}`);
      continue;
    }
    const missing = (['reason', 'owner', 'expires'] as const).filter((k) => text(raw[k]) === undefined);
    if (missing.length > 0) {
      refuse(`entry without ${missing.join(', ')}: every suppression needs a reason, an owner and an expires date`);
      continue;
    }
    const expires = text(raw['expires'])!;
    if (!validDate(expires)) {
      refuse(`expires "${expires}" is not a date (YYYY-MM-DD)`);
      continue;
    }
    const match = matchOf(raw);
    if (typeof match === 'string') {
      refuse(match);
      continue;
    }
    entries.push({
      origin: 'file',
      source,
      line,
      match,
      reason: text(raw['reason'])!,
      owner: text(raw['owner'])!,
      expires,
      ...(options.commit ? { commit: options.commit } : {}),
    });
  }
  return { entries, problems };
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
