import type { ParsedReport } from '@devsecops/asff';
import type { ParseOptions, ReportDocument, ReportParser, XmlParseOptions } from '@devsecops/report-input';
import { toDrafts } from './drafts';
import type { DcDependency, DcReport } from './model';
import { locateDependencies, readDependencies, type ReadCounts } from './read';
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

/** Converts a Dependency-Check JSON or XML report into finding drafts. */
export function parseDependencyCheck(doc: ReportDocument, options: ParseOptions = {}): ParsedReport {
  const located = locateDependencies(doc);
  const counts: ReadCounts = { skippedDependencies: 0, skippedVulnerabilities: 0 };
  const stats = emptyStats();
  function* counted(): Generator<DcDependency> {
    for (const dependency of readDependencies(located.dependencies, counts)) {
      tally(stats, dependency);
      yield dependency;
    }
  }
  const defaultSeverity = options.defaultSeverity ?? 'MEDIUM';
  const result = toDrafts(counted(), { ...(options.sourceRoots ? { sourceRoots: options.sourceRoots } : {}), defaultSeverity });
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
    ...(located.engineVersion ? { toolVersion: located.engineVersion } : {}),
    drafts: result.drafts,
    warnings,
    stats: { ...stats },
  };
}

export const dependencyCheckParser: ReportParser = {
  id: 'dependency-check',
  displayName: 'OWASP Dependency-Check',
  detect: isDependencyCheckReport,
  parse: parseDependencyCheck,
};
