import type { ParsedReport, SeverityLabel } from '@devsecops/asff';
import type { ParseOptions, ReportDocument, ReportParser, StreamingJsonParser, StreamingParse, StreamingXmlParser, XmlParseOptions } from '@devsecops/report-input';
import { DraftCollector } from './drafts';
import type { DcDependency, DcReport } from './model';
import { locateDependencies, readDependency, type ReadCounts } from './read';
import { isRecord } from './values';

export const DEPENDENCY_CHECK_TOOL = 'dependency-check';

/**
 * Array hints for callers that parse Dependency-Check XML themselves. Optional: the parser also reads the tree
 * `readReport` builds without hints (single elements as objects).
 */
export const DEPENDENCY_CHECK_XML_OPTIONS: XmlParseOptions = {
  arrayNames: ['dependency', 'relatedDependency', 'vulnerability', 'suppressedVulnerability', 'reference', 'software', 'cwe', 'package', 'vulnerabilityIds', 'identifier', 'evidence', 'dataSource'],
};

/** JSON with `reportSchema` or `scanInfo.engineVersion` next to `dependencies`; XML with an `<analysis>` root. */
export function isDependencyCheckReport(doc: ReportDocument): boolean {
  const value = doc.value;
  if (!isRecord(value)) return false;
  if (doc.format === 'xml') {
    const root = value.analysis;
    return isRecord(root) && ('dependencies' in root || 'scanInfo' in root || 'projectInfo' in root);
  }
  if (!('dependencies' in value)) return false;
  const schema = value.reportSchema;
  const hasSchema = typeof schema === 'string' || typeof schema === 'number';
  const hasEngine = isRecord(value.scanInfo) && value.scanInfo.engineVersion !== undefined;
  return hasSchema || hasEngine;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function emptyStats(): Record<'dependencies' | 'vulnerableDependencies' | 'vulnerabilities' | 'suppressed', number> {
  return { dependencies: 0, vulnerableDependencies: 0, vulnerabilities: 0, suppressed: 0 };
}

/** Adds one dependency to the report counts: vulnerabilities and suppressed count report entries, not findings. */
function tally(stats: ReturnType<typeof emptyStats>, dependency: DcDependency): void {
  let active = 0;
  for (const vulnerability of dependency.vulnerabilities) {
    if (vulnerability.suppressed) stats.suppressed += 1;
    else active += 1;
  }
  stats.dependencies += 1;
  if (active > 0) stats.vulnerableDependencies += 1;
  stats.vulnerabilities += active;
}

/** Counts of a whole (normalised) report. */
export function reportStats(report: Pick<DcReport, 'dependencies'>): Record<string, number> {
  const stats = emptyStats();
  for (const dependency of report.dependencies) tally(stats, dependency);
  return stats;
}

/**
 * The conversion one raw dependency entry at a time: shared by the in-memory parse (over the located list) and the
 * streamed one (entries as they are read), so both give the same drafts, warnings and stats.
 */
class DependencyCheckAccumulator {
  private readonly counts: ReadCounts = { skippedDependencies: 0, skippedVulnerabilities: 0 };
  private readonly vulnerabilityCounts = { skipped: 0 };
  private readonly stats = emptyStats();
  private readonly drafts: DraftCollector;
  private readonly defaultSeverity: SeverityLabel;

  constructor(options: ParseOptions = {}) {
    this.defaultSeverity = options.defaultSeverity ?? 'MEDIUM';
    this.drafts = new DraftCollector({ ...(options.sourceRoots ? { sourceRoots: options.sourceRoots } : {}), defaultSeverity: this.defaultSeverity });
  }

  add(raw: unknown): void {
    if (!isRecord(raw)) {
      this.counts.skippedDependencies += 1;
      return;
    }
    const dependency = readDependency(raw, this.vulnerabilityCounts);
    this.counts.skippedVulnerabilities = this.vulnerabilityCounts.skipped;
    tally(this.stats, dependency);
    this.drafts.add(dependency);
  }

  finish(engineVersion: string | undefined): ParsedReport {
    const { counts, defaultSeverity } = this;
    const result = this.drafts.finish();
    const warnings: string[] = [];
    if (result.defaultedSeverities > 0) {
      warnings.push(`${plural(result.defaultedSeverities, 'vulnerability', 'vulnerabilities')} had no usable severity; reported as ${defaultSeverity}`);
    }
    if (result.mergedDuplicates > 0) {
      warnings.push(`${plural(result.mergedDuplicates, 'duplicate vulnerability entry was', 'duplicate vulnerability entries were')} merged (same package, file and vulnerability name)`);
    }
    if (counts.skippedDependencies > 0) {
      warnings.push(`${plural(counts.skippedDependencies, 'dependency entry was', 'dependency entries were')} not an object and skipped`);
    }
    if (counts.skippedVulnerabilities > 0) {
      warnings.push(`${plural(counts.skippedVulnerabilities, 'vulnerability entry', 'vulnerability entries')} without a name skipped`);
    }
    return {
      tool: DEPENDENCY_CHECK_TOOL,
      ...(engineVersion ? { toolVersion: engineVersion } : {}),
      drafts: result.drafts,
      warnings,
      stats: { ...this.stats },
    };
  }
}

/** Converts a Dependency-Check JSON or XML report into finding drafts. */
export function parseDependencyCheck(doc: ReportDocument, options: ParseOptions = {}): ParsedReport {
  const located = locateDependencies(doc);
  const accumulator = new DependencyCheckAccumulator(options);
  for (const raw of located.dependencies) accumulator.add(raw);
  return accumulator.finish(located.engineVersion);
}

/** One streamed reading, JSON or XML: entries through the accumulator `parse` uses, the engine version at the end. */
function streamedParse(options?: ParseOptions): StreamingParse {
  const accumulator = new DependencyCheckAccumulator(options);
  return {
    item: (value) => accumulator.add(value),
    finish: (doc) => accumulator.finish(locateDependencies(doc).engineVersion),
  };
}

/** What identifies a Dependency-Check JSON report before its `dependencies` (DC writes them first). */
function claimsJson(root: unknown): boolean {
  if (!isRecord(root)) return false;
  const schema = root.reportSchema;
  return typeof schema === 'string' || typeof schema === 'number' || (isRecord(root.scanInfo) && root.scanInfo.engineVersion !== undefined);
}

/**
 * Dependency-Check JSON as a stream: `dependencies[]` one entry at a time. `evidenceCollected` (most of a real
 * report's bytes) is assembled for the entry being read, kept as evidence when the dependency has vulnerabilities
 * and dropped otherwise, so the streamed and in-memory conversions stay identical.
 */
export const dependencyCheckStreaming: StreamingJsonParser = {
  itemsPath: ['dependencies'],
  claims: claimsJson,
  begin: (_source, options) => streamedParse(options),
};

/** Dependency-Check XML as a stream: each `<dependency>` of `<analysis><dependencies>` on its own. */
export const dependencyCheckXmlStreaming: StreamingXmlParser = {
  itemPath: ['analysis', 'dependencies', 'dependency'],
  begin: (_source, options) => streamedParse(options),
};

export const dependencyCheckParser: ReportParser = {
  id: 'dependency-check',
  displayName: 'OWASP Dependency-Check',
  detect: isDependencyCheckReport,
  parse: parseDependencyCheck,
  streaming: dependencyCheckStreaming,
  streamingXml: dependencyCheckXmlStreaming,
};
