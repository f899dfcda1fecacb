import {
  categoryForTarget,
  normalizeCategory,
  buildFinding,
  buildFindings,
  summarize,
  type AwsSecurityFinding,
  type FindingSummary,
  type ParsedReport,
  type ScanScope,
} from '@devsecops/asff';
import { ReportError, selectParser, type ParseOptions, type ReportDocument, type ReportParser, type StreamReadResult, type ToolId } from '@devsecops/report-input';

export interface ConvertOptions {
  parsers: readonly ReportParser[];
  tool?: ToolId | 'auto';
  /** The scan's scope without the tool, which comes from the report. */
  scope: Omit<ScanScope, 'tool'>;
  parseOptions?: ParseOptions;
  now?: string;
}

export interface Conversion {
  parser: ReportParser;
  parsed: ParsedReport;
  scope: ScanScope;
  findings: AwsSecurityFinding[];
  summary: FindingSummary;
}

/**
 * Report documents → ASFF findings, pure. Several documents form one scan when the tool supports it
 * (SonarQube issue and hotspot pages); otherwise exactly one document is expected.
 */
export function convertDocuments(docs: readonly ReportDocument[], options: ConvertOptions): Conversion {
  const { parser, parsed } = parseDocuments(docs, options);
  return buildConversion(parser, parsed, options);
}

/** The scan identity's category: the event's, else for DAST the target's origin (left out of the Ids, see ScanScope). */
export function scanCategory(request: { category?: string; target?: string }, tool: string): { category?: string; categoryFromTarget?: boolean } {
  const given = normalizeCategory(request.category);
  if (given !== undefined) return { category: given };
  if (tool !== 'zap') return {};
  const origin = categoryForTarget(request.target);
  return origin === undefined ? {} : { category: origin, categoryFromTarget: true };
}

/** Builds the findings of an already parsed report for a scope (the category defaulted as scanCategory says). */
export function buildConversion(parser: ReportParser, parsed: ParsedReport, options: Pick<ConvertOptions, 'scope' | 'now'>): Conversion {
  const { category: _given, categoryFromTarget: _derived, ...rest } = options.scope;
  const scope: ScanScope = { ...rest, ...scanCategory(options.scope, parsed.tool), tool: parsed.tool };
  const findings = buildFindings(parsed, scope, options.now ?? new Date().toISOString());
  return { parser, parsed, scope, findings, summary: summarize(findings) };
}

/** Picks the parser and reads the documents of one scan. */
export function parseDocuments(
  docs: readonly ReportDocument[],
  options: Pick<ConvertOptions, 'parsers' | 'tool' | 'parseOptions'>,
): { parser: ReportParser; parsed: ParsedReport } {
  const first = docs[0];
  if (!first) throw new Error('convertDocuments needs at least one document');
  const parser = selectParser(first, options.parsers, options.tool ?? 'auto');
  for (const other of docs.slice(1)) {
    if (!parser.detect(other)) throw new ReportError(other.source, `is not a ${parser.displayName} report like ${first.source}`);
  }
  let parsed: ParsedReport;
  if (docs.length === 1) parsed = parser.parse(first, options.parseOptions);
  else if (parser.parseMany) parsed = parser.parseMany(docs, options.parseOptions);
  else throw new ReportError(docs[1]!.source, `${parser.displayName} takes one report per scan`);
  return { parser, parsed };
}

/**
 * Picks the parser and reads the reports of one scan as `readReportStream` returned them: a streamed report is
 * already parsed; documents read in memory go through `parseDocuments` as before.
 */
export function parseReads(
  reads: readonly StreamReadResult[],
  options: Pick<ConvertOptions, 'parsers' | 'tool' | 'parseOptions'>,
): { parser: ReportParser; parsed: ParsedReport } {
  const streamed = reads.find((r) => r.kind === 'streamed');
  if (!streamed) return parseDocuments(reads.map((r) => r.doc), options);
  if (reads.length > 1) throw new ReportError(reads[1]!.doc.source, `${streamed.parser.displayName} takes one report per scan`);
  return { parser: streamed.parser, parsed: streamed.parsed };
}

/**
 * The ASFF findings of a parsed report, built one at a time, so that an importer taking an AsyncIterable can send
 * batches while the rest are still being built.
 */
export async function* streamFindings(parsed: ParsedReport, scope: ScanScope, now: string): AsyncGenerator<AwsSecurityFinding> {
  for (const draft of parsed.drafts) yield buildFinding(draft, scope, now);
}

/** Collects findings into an array (for consumers that still take one: the importer, the gate, the summary). */
export async function collectFindings(findings: AsyncIterable<AwsSecurityFinding>): Promise<AwsSecurityFinding[]> {
  const all: AwsSecurityFinding[] = [];
  for await (const finding of findings) all.push(finding);
  return all;
}
