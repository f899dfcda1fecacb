import { hash } from 'node:crypto';
import { nonEmpty, truncate, LIMITS, type FindingDraft, type ParsedReport, type SeverityLabel } from '@devsecops/asff';
import { ReportError, repoPaths, type ParseOptions, type RepoPaths, type ReportDocument, type ReportParser } from '@devsecops/report-input';
import { phpstanSeverity } from './severity';

type JsonObject = Record<string, unknown>;

// Hot paths keep local references to built-ins: a global lookup costs ~20x more inside a Node vm context
// (Jest's test environment), which would make benchmarks of large reports measure the harness.
const isArray = Array.isArray;
const isInteger = Number.isInteger;
const entries = Object.entries;
const toJson = JSON.stringify;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value : undefined;
}

/** Rule id for messages without an identifier (PHPStan before 1.11, and global errors). */
export const NO_IDENTIFIER_RULE = 'phpstan.error';
/** Location of global errors, which name no file. */
export const GLOBAL_LOCATION = 'global';

const CONTEXT_MARKER = ' (in context of ';

/** PHPStan keys trait errors as `path/Trait.php (in context of class Foo)`: the path, and the context for Details. */
export function splitFileKey(key: string): { path: string; context?: string } {
  const at = key.lastIndexOf(CONTEXT_MARKER);
  if (at <= 0 || !key.endsWith(')')) return { path: key };
  return { path: key.slice(0, at), context: key.slice(at + CONTEXT_MARKER.length, -1) };
}

/** One message as read from the report, before it becomes a draft. */
interface RawError {
  /** Path as PHPStan printed it; undefined for global errors. */
  rawPath?: string;
  context?: string;
  message: string;
  line?: number;
  ignorable?: boolean;
  identifier?: string;
  tip?: string;
}

interface Collected {
  errors: RawError[];
  warnings: string[];
  files: number;
  fileErrors: number;
  globalErrors: number;
  /** Entries without message text: counted, reported once as a warning. */
  skipped: number;
  /** Files whose `errors` count disagrees with their messages. */
  miscounted: number;
}

function readMessage(entry: unknown, rawPath: string, context: string | undefined, out: Collected): void {
  const message = isObject(entry) ? text(entry['message']) : undefined;
  if (!isObject(entry) || message === undefined) {
    out.skipped += 1;
    return;
  }
  const line = entry['line'];
  const ignorable = entry['ignorable'];
  out.errors.push({
    rawPath,
    context,
    message,
    line: typeof line === 'number' && isInteger(line) && line > 0 ? line : undefined,
    ignorable: typeof ignorable === 'boolean' ? ignorable : undefined,
    identifier: text(entry['identifier'])?.trim(),
    tip: text(entry['tip']),
  });
  out.fileErrors += 1;
}

function readFiles(files: unknown, source: string, out: Collected): void {
  if (files === undefined || files === null) return;
  if (isArray(files)) {
    // PHP encodes an empty map as [] (a clean run); a list with entries is not PHPStan's shape.
    if (files.length > 0) throw new ReportError(source, '"files" is a non-empty list; PHPStan writes an object keyed by file path');
    return;
  }
  if (!isObject(files)) throw new ReportError(source, '"files" must be an object keyed by file path');
  for (const [key, entry] of entries(files)) {
    if (!isObject(entry) || !isArray(entry['messages'])) {
      throw new ReportError(source, `"files" entry ${JSON.stringify(truncate(key, 200))} has no "messages" list`);
    }
    const messages: unknown[] = entry['messages'];
    out.files += 1;
    const { path, context } = splitFileKey(key);
    for (const message of messages) readMessage(message, path, context, out);
    const declared = entry['errors'];
    if (typeof declared === 'number' && declared !== messages.length) out.miscounted += 1;
  }
}

function readGlobalErrors(errors: unknown, source: string, out: Collected): void {
  if (errors === undefined || errors === null) return;
  if (!isArray(errors)) throw new ReportError(source, '"errors" must be a list of messages');
  for (const entry of errors) {
    const message = text(entry) ?? (isObject(entry) ? text(entry['message']) : undefined);
    if (message === undefined) {
      out.skipped += 1;
      continue;
    }
    out.errors.push({ message });
    out.globalErrors += 1;
  }
}

function checkCounts(totals: unknown, out: Collected): void {
  if (out.skipped > 0) out.warnings.push(`skipped ${out.skipped} message(s) without message text`);
  if (out.miscounted > 0) {
    out.warnings.push(`${out.miscounted} file(s) declare an "errors" count that differs from their messages; all messages were read`);
  }
  if (!isObject(totals)) return;
  const fileErrors = totals['file_errors'];
  const globalErrors = totals['errors'];
  if (typeof fileErrors === 'number' && fileErrors !== out.fileErrors) {
    out.warnings.push(`totals.file_errors says ${fileErrors} but the report holds ${out.fileErrors} file messages; all were read`);
  }
  if (typeof globalErrors === 'number' && globalErrors !== out.globalErrors) {
    out.warnings.push(`totals.errors says ${globalErrors} but the report holds ${out.globalErrors} global errors; all were read`);
  }
}

function collect(doc: ReportDocument): Collected {
  const report = doc.value;
  if (!isObject(report) || (!('files' in report) && !('errors' in report))) {
    throw new ReportError(doc.source, 'is not a PHPStan JSON report (expected an object with "files" and "errors"; run phpstan with --error-format=json)');
  }
  const out: Collected = { errors: [], warnings: [], files: 0, fileErrors: 0, globalErrors: 0, skipped: 0, miscounted: 0 };
  readFiles(report['files'], doc.source, out);
  readGlobalErrors(report['errors'], doc.source, out);
  checkCounts(report['totals'], out);
  return out;
}

/** Message text as shown in findings: build-machine roots removed, whitespace collapsed. */
function shownMessage(message: string, paths: Pick<RepoPaths, 'stripRoots'>): string {
  return paths.stripRoots(message).replace(/\s+/g, ' ').trim();
}

/** The shown message as compared across scans: anonymous class names lose their line. */
function comparableMessage(shown: string): string {
  // PHPStan names anonymous classes `class@anonymous/path/File.php:12`; the line would make a new finding on every shift.
  return shown.includes('class@anonymous') ? shown.replace(/(class@anonymous)[^\s:]*:\d+/g, '$1') : shown;
}

/** The message as compared across scans: no build-machine paths, no line numbers in anonymous class names, whitespace collapsed. */
export function normaliseMessage(message: string, paths: Pick<RepoPaths, 'stripRoots'>): string {
  return comparableMessage(shownMessage(message, paths));
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"'`)\]]+/;

/** A tip as remediation: text without build-machine roots, and its first link. Tips repeat, so callers memoise. */
function remediationFor(tip: string, paths: RepoPaths): { text: string; url?: string } {
  const text = nonEmpty(paths.stripRoots(tip), '');
  const url = URL_IN_TEXT.exec(text)?.[0]?.replace(/[.,;:]+$/, '');
  return url ? { text, url } : { text };
}

/** `message (path:line)`, the message shortened so the location always fits in the 256-character Title. */
function titleFor(message: string, where: string): string {
  const suffix = ` (${where})`;
  const room = LIMITS.title - suffix.length;
  if (room < 40) return truncate(`${message || 'PHPStan error'}${suffix}`, LIMITS.title);
  return `${truncate(message || 'PHPStan error', room, '…')}${suffix}`;
}

function describe(error: RawError, message: string, path: string | undefined, tip: string | undefined): string {
  let text = message;
  if (path !== undefined) {
    text += `\nFile: ${path}${error.line !== undefined ? `:${error.line}` : ''}${error.context ? ` (in context of ${error.context})` : ''}`;
  } else {
    text += '\nGlobal error: not tied to a file (configuration, baseline or internal error).';
  }
  if (error.identifier) text += `\nIdentifier: ${error.identifier}`;
  if (tip) text += `\nTip: ${tip}`;
  return text;
}

interface DraftInput {
  error: RawError;
  /** Repo-relative path; undefined for global errors. */
  path?: string;
  /** Message as shown (see shownMessage). */
  message: string;
  /** Digest of the identity key (path, identifier, comparable message, context, occurrence). */
  digest: string;
  severity: { label: SeverityLabel; original: string };
  remediation?: { text: string; url?: string };
}

function draftFor({ error, path, message, digest, severity, remediation }: DraftInput): FindingDraft {
  const isGlobal = path === undefined;
  const details: Record<string, string> = { path: path === undefined ? GLOBAL_LOCATION : truncate(path, LIMITS.detailsOtherValue) };
  if (error.line !== undefined) details['line'] = `${error.line}`;
  if (error.context) details['context'] = truncate(error.context, LIMITS.detailsOtherValue);
  const draft: FindingDraft = {
    ruleId: error.identifier ?? NO_IDENTIFIER_RULE,
    // The digest carries message (+ trait context, + occurrence among identical messages); never the line.
    location: `${path ?? GLOBAL_LOCATION}#${digest}`,
    title: isGlobal
      ? truncate(`PHPStan: ${message || 'global error'}`, LIMITS.title)
      : titleFor(message, error.line !== undefined ? `${path}:${error.line}` : path),
    description: describe(error, message, path, remediation?.text),
    severity: { label: severity.label, original: severity.original },
    // Global errors concern the repository (its configuration): an empty Id makes buildFinding name the repository.
    resources: [{ Type: 'Other', Id: path ?? '', Details: { Other: details } }],
    productFields: {
      identifier: error.identifier,
      line: error.line !== undefined ? `${error.line}` : undefined,
      ignorable: error.ignorable !== undefined ? `${error.ignorable}` : undefined,
      context: error.context,
      global: isGlobal ? 'true' : undefined,
    },
  };
  if (remediation) draft.remediation = { ...remediation };
  return draft;
}

/** 16 hex characters of SHA-256: collisions are only a concern among messages of one file, where 64 bits are plenty. */
function digestOf(key: string): string {
  return hash('sha256', key).slice(0, 16);
}

/** Memoises f per key: reports repeat paths and tips thousands of times. */
function memo<K, V>(f: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined && !cache.has(key)) cache.set(key, (value = f(key)));
    return value as V;
  };
}

/**
 * Turns collected messages into drafts. Identity = path + identifier + normalised message (+ trait context), and
 * an occurrence index only among identical messages of one file, counted in report order (PHPStan sorts by line).
 */
function toDrafts(errors: readonly RawError[], options: ParseOptions): FindingDraft[] {
  const paths = repoPaths(
    errors.flatMap((e) => (e.rawPath !== undefined ? [e.rawPath] : [])),
    options.sourceRoots ?? [],
  );
  const repoPathOf = memo((raw: string) => paths.toRepo(raw));
  const remediationOf = memo((tip: string) => remediationFor(tip, paths));
  const seen = new Map<string, number>();
  return errors.map((error) => {
    const path = error.rawPath === undefined ? undefined : repoPathOf(error.rawPath);
    const message = shownMessage(error.message, paths);
    // JSON keeps the parts apart whatever characters they hold.
    const digest = digestOf(toJson([path ?? GLOBAL_LOCATION, error.identifier ?? '', comparableMessage(message), error.context ?? '']));
    const occurrence = seen.get(digest) ?? 0;
    seen.set(digest, occurrence + 1);
    return draftFor({
      error,
      path,
      message,
      // The first occurrence keeps the plain digest, so adding a duplicate later never renames the original.
      digest: occurrence === 0 ? digest : digestOf(`${digest}#${occurrence}`),
      severity: phpstanSeverity({ global: path === undefined, identifier: error.identifier, ignorable: error.ignorable }, options.defaultSeverity),
      remediation: error.tip === undefined ? undefined : remediationOf(error.tip),
    });
  });
}

/** PHPStan `--error-format=json` (or `prettyJson`): one finding per file message and per global error. */
export const phpstanParser: ReportParser = {
  id: 'phpstan',
  displayName: 'PHPStan',

  detect(doc: ReportDocument): boolean {
    const value = doc.value;
    if (doc.format !== 'json' || !isObject(value)) return false;
    const files = value['files'];
    const filesShaped = isObject(files) || Array.isArray(files);
    const totals = value['totals'];
    // PHP_CodeSniffer's JSON also has totals + files; only PHPStan counts `file_errors`.
    if (isObject(totals)) return 'file_errors' in totals && (filesShaped || Array.isArray(value['errors']));
    return totals === undefined && filesShaped && Array.isArray(value['errors']);
  },

  parse(doc: ReportDocument, options: ParseOptions = {}): ParsedReport {
    const collected = collect(doc);
    const drafts = toDrafts(collected.errors, options);
    return {
      tool: 'phpstan',
      drafts,
      warnings: collected.warnings,
      stats: {
        files: collected.files,
        fileErrors: collected.fileErrors,
        globalErrors: collected.globalErrors,
        skipped: collected.skipped,
      },
    };
  },
};
