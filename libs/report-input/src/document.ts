import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { printParseErrorCode, visit, type ParseErrorCode } from 'jsonc-parser';
import { decodeReport, type TextEncoding } from './decode';
import { ReportError } from './report-error';
import { ANSI } from './stream-decode';

export type ReportFormat = 'json' | 'xml';

/** A report read from bytes: its text located and parsed, ready for format detection and a parser. */
export interface ReportDocument {
  /** File path or s3:// URI, for error messages. */
  source: string;
  format: ReportFormat;
  /** JSON.parse result, or the fast-xml-parser tree (attributes as `@_name`, text as `#text`). */
  value: unknown;
  encoding: TextEncoding;
  /** Characters skipped before the document (progress output, ANSI codes, log lines). */
  skippedPrefix: number;
  bytes: number;
}

export function stripAnsi(text: string): string {
  return text.includes('\u001b') ? text.replace(ANSI, '') : text;
}

/** Text a tool may print after its JSON ("Done in 3s"); anything structural means the JSON was not the whole document. */
export function isHarmlessTrailer(trailer: string): boolean {
  return !/^\s*[,:]/.test(trailer) && !/[{}[\]"]/.test(trailer);
}

/** Parses JSON that may have a harmless trailer after it. */
function parseJsonAt(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const trailing = /after JSON at position (\d+)/.exec((error as Error).message);
    if (trailing && isHarmlessTrailer(text.slice(Number(trailing[1])))) return JSON.parse(text.slice(0, Number(trailing[1])));
    throw error;
  }
}

export interface SyntaxProblem {
  offset: number;
  code: ParseErrorCode;
}

/** The first syntax error of a JSON text (V8's messages do not always carry a position). Stops at that error. */
export function firstSyntaxError(text: string): SyntaxProblem | undefined {
  let found: SyntaxProblem | undefined;
  const stop = new Error('stop');
  try {
    visit(
      text,
      {
        onError: (code, offset) => {
          found = { code, offset };
          throw stop;
        },
      },
      { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
    );
  } catch (error) {
    // jsonc-parser recurses: thousands of nesting levels overflow the stack. The position is then unknown.
    if (error !== stop) return found;
  }
  return found;
}

export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

export function jsonError(source: string, text: string, problem: SyntaxProblem | undefined, error: unknown, offset: number): ReportError {
  if (problem) {
    const what = problem.offset >= text.trimEnd().length ? 'the document ends early (truncated?)' : printParseErrorCode(problem.code);
    return new ReportError(source, `is not valid JSON: ${what} at line ${lineOf(text, problem.offset)} (character ${problem.offset + offset})`);
  }
  const message = (error as Error).message ?? String(error);
  return new ReportError(source, `is not valid JSON: ${message.slice(0, 200)}`);
}

/** Candidate starts of a JSON document: every `{`/`[` that begins a line (after indentation), then the first anywhere. */
export function jsonStarts(text: string): number[] {
  const starts: number[] = [];
  const lineStart = /(^|\n)[ \t\r]*([{[])/g;
  for (let m = lineStart.exec(text); m && starts.length < 8; m = lineStart.exec(text)) {
    starts.push(m.index + m[0].length - 1);
  }
  const anywhere = text.search(/[{[]/);
  if (anywhere >= 0 && !starts.includes(anywhere)) starts.push(anywhere);
  return starts.sort((a, b) => a - b);
}

export interface XmlParseOptions {
  /** Element paths (dot-separated, from the root, e.g. `OWASPZAPReport.site`) that are always arrays. */
  arrayPaths?: readonly string[];
  /** Element names that are always arrays, wherever they appear. */
  arrayNames?: readonly string[];
}

/**
 * Parses XML without expanding DTD entities and without fetching anything: a document that declares entities
 * (XXE, "billion laughs") is refused. Predefined, numeric and HTML named entities are decoded, once.
 */
export function parseXml(text: string, source: string, options: XmlParseOptions = {}): unknown {
  if (/<!DOCTYPE[^>[]*\[[\s\S]*?<!ENTITY/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new ReportError(source, 'declares XML entities (<!ENTITY>); refused to prevent entity expansion and external entity attacks');
  }
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) {
    throw new ReportError(source, `is not well-formed XML: ${valid.err.msg} at line ${valid.err.line}`);
  }
  const arrayPaths = new Set(options.arrayPaths ?? []);
  const arrayNames = new Set(options.arrayNames ?? []);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    // Numeric references (&#13; &#x2014;) and HTML's named ones (&nbsp;) appear in ZAP's escaped HTML fields.
    htmlEntities: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (name, jpath) => arrayNames.has(name) || arrayPaths.has(String(jpath)),
  });
  try {
    return parser.parse(text);
  } catch (error) {
    throw new ReportError(source, `is not readable XML: ${(error as Error).message}`);
  }
}

/**
 * Reads a report: decodes the bytes, skips noise before the document (progress output, ANSI codes, log lines),
 * and parses JSON or XML. Bad input is a ReportError naming the source and the problem.
 */
export function readReport(input: Uint8Array | string, source: string, xmlOptions?: XmlParseOptions): ReportDocument {
  const decoded = decodeReport(input, source);
  const bytes = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  const text = stripAnsi(decoded.text);
  const first = text.search(/\S/);
  if (first < 0) throw new ReportError(source, 'is empty');

  const xmlStart = text.search(/<(\?xml|[A-Za-z_])/);
  const jsonCandidates = jsonStarts(text);
  const jsonFirst = jsonCandidates[0] ?? -1;
  const looksXml = xmlStart >= 0 && (jsonFirst < 0 || xmlStart < jsonFirst);

  if (looksXml) {
    return { source, format: 'xml', value: parseXml(text.slice(xmlStart), source, xmlOptions), encoding: decoded.encoding, skippedPrefix: xmlStart, bytes };
  }
  if (jsonCandidates.length === 0) throw new ReportError(source, 'contains neither a JSON nor an XML document');
  let firstError: ReportError | undefined;
  for (const [index, start] of jsonCandidates.entries()) {
    const body = start === 0 ? text : text.slice(start);
    try {
      const value = parseJsonAt(body);
      if (typeof value !== 'object' || value === null) throw new Error('the document is not a JSON object or array');
      return { source, format: 'json', value, encoding: decoded.encoding, skippedPrefix: start, bytes };
    } catch (error) {
      const problem = firstSyntaxError(body);
      firstError ??= jsonError(source, body, problem, error, start);
      // A later candidate inside this failed document is a nested value, not the report: reading it would import part of it.
      const next = jsonCandidates[index + 1];
      if (next === undefined || problem === undefined || start + problem.offset >= next) break;
    }
  }
  throw firstError!;
}
