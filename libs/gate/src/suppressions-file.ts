import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { parsePurlPattern, SuppressionFileError, type SuppressionEntry, type SuppressionMatch, type SuppressionProblem, type SuppressionSet } from './suppressions';

const KEYS = ['id', 'tool', 'rule', 'path', 'cve', 'package', 'reason', 'owner', 'expires'] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CVE = /^CVE-\d{4}-\d{4,}$/i;

function validDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
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

