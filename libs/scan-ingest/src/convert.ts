import {
  categoryForTarget,
  normalizeCategory,
  buildFindings,
  evaluateGate,
  summarize,
  type AwsSecurityFinding,
  type FindingSummary,
  type GateResult,
  type ParsedReport,
  type ScanScope,
  type SeverityLabel,
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

export function gateFor(findings: readonly AwsSecurityFinding[], failOn: SeverityLabel | 'NONE' | undefined): GateResult {
  return evaluateGate(findings, failOn === 'NONE' ? undefined : failOn);
}
