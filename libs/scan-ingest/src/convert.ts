import {
  buildFindings,
  summarize,
  type AwsSecurityFinding,
  type FindingSummary,
  type ParsedReport,
  type ScanScope,
} from '@devsecops/asff';
import { ReportError, selectParser, type ParseOptions, type ReportDocument, type ReportParser, type ToolId } from '@devsecops/report-input';

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

/** Builds the findings of an already parsed report for a scope. */
export function buildConversion(parser: ReportParser, parsed: ParsedReport, options: Pick<ConvertOptions, 'scope' | 'now'>): Conversion {
  const scope: ScanScope = { ...options.scope, tool: parsed.tool };
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
