import type { ParsedReport, SeverityLabel } from '@devsecops/asff';
import type { ReportDocument } from './document';
import { ReportError } from './report-error';

export type ToolId = 'dependency-check' | 'sonarqube' | 'phpstan' | 'sarif' | 'zap';
export const TOOL_IDS: readonly ToolId[] = ['dependency-check', 'sonarqube', 'phpstan', 'sarif', 'zap'];

export interface ParseOptions {
  /** Repository root prefixes to strip from absolute paths (e.g. CODEBUILD_SRC_DIR). */
  sourceRoots?: readonly string[];
  /** Severity for findings whose tool gives none (PHPStan) or an unknown one. */
  defaultSeverity?: SeverityLabel;
  /** SonarQube: include CODE_SMELL issues. */
  includeCodeSmells?: boolean;
  /** SonarQube server URL, for links to each issue. */
  serverUrl?: string;
  /**
   * SARIF: import rules that carry no security signal (no security tag, CWE or security-severity) at the severity
   * of their level, as security findings. Default false: they are code-quality findings, LOW at most.
   */
  qualityRulesAsSecurity?: boolean;
}

/** One scanner's report format. Pure: no I/O, no clock. */
export interface ReportParser {
  id: ToolId;
  displayName: string;
  /** True when the document is this tool's report. Cheap: looks only at top-level shape. */
  detect(doc: ReportDocument): boolean;
  /** Reads every finding; throws ReportError for a document it cannot read. */
  parse(doc: ReportDocument, options?: ParseOptions): ParsedReport;
  /** Merges several documents of one scan (e.g. SonarQube issue and hotspot pages). Optional. */
  parseMany?(docs: readonly ReportDocument[], options?: ParseOptions): ParsedReport;
  /** Reads this tool's JSON report as a stream, so memory follows the findings, not the report. Optional. */
  streaming?: StreamingJsonParser;
  /** Reads this tool's XML report as a stream, element by element. Optional. */
  streamingXml?: StreamingXmlParser;
}

/**
 * A parser's streaming side for XML (`readReportStream`): each element at `itemPath` is handed over on its own, as
 * parseXml's tree of that element; the rest of the document (the skeleton, without those elements) is given to
 * `finish`. The result must equal `parse` of the whole document.
 */
export interface StreamingXmlParser {
  /** Element (local) names from the root to the streamed element: `['analysis', 'dependencies', 'dependency']`. */
  itemPath: readonly string[];
  /** One reading of one report; `item`'s path is the parent's (see XmlItem.path). */
  begin(source: string, options?: ParseOptions): StreamingParse;
}

/**
 * A parser's streaming side (`readReportStream`): the report's big array (or every array of one pattern, e.g.
 * each SARIF run's `results`) is read element by element; the rest of the document (the skeleton, with those
 * arrays left empty) is assembled as usual and given to `finish`. The result must equal `parse` of the whole
 * document.
 */
export interface StreamingJsonParser {
  /**
   * Path of the streamed arrays from the root: keys, `*` for any array index (`['dependencies']`,
   * `['runs', '*', 'results']`); at most 3 deep. Every array of the pattern is streamed, none nested in another.
   */
  itemsPath: readonly string[];
  /** Keys dropped from each element while reading because no finding uses them (`evidenceCollected`). */
  skipItemKeys?: readonly string[];
  /**
   * Copy each element's strings off the report's text, so that a kept string does not keep its 8 KiB of text
   * alive: for reports whose findings are dense (a SARIF result every few hundred bytes). Costs a copy per string.
   */
  detachStrings?: boolean;
  /**
   * With `--tool auto`: whether the document is this tool's report, judged on the members before the array
   * (`root`, read so far). False keeps the document in memory and the usual detection decides.
   */
  claims(root: unknown): boolean;
  /** One reading of one report. */
  begin(source: string, options?: ParseOptions): StreamingParse;
}

export interface StreamingParse {
  /**
   * One element of a streamed array, in document order; `path` is the array's (`['site', 0, 'alerts']`),
   * `container` the object holding it as read so far (the site's members before `alerts`), the same object that
   * `doc.value` holds at `finish`, complete by then (XML: undefined; the path gives the parents and their indices).
   */
  item(value: unknown, path: readonly (string | number)[], container: unknown): void;
  /** The findings, given the rest of the document (the streamed array is empty in `doc.value`). */
  finish(doc: ReportDocument): ParsedReport;
}

/** Picks the parser for a document; a clear error when none (or a named one that is not available) fits. */
export function selectParser(doc: ReportDocument, parsers: readonly ReportParser[], tool: ToolId | 'auto' = 'auto'): ReportParser {
  if (tool !== 'auto') {
    const named = parsers.find((p) => p.id === tool);
    if (!named) {
      throw new ReportError(doc.source, TOOL_IDS.includes(tool) ? `${tool} reports are not supported by this function` : `unknown tool "${tool}"`);
    }
    return named;
  }
  const found = parsers.find((p) => p.detect(doc));
  if (!found) {
    throw new ReportError(doc.source, `is not a report format this function reads (${parsers.map((p) => p.displayName).join(', ')})`);
  }
  return found;
}
