import { FIELD, SEVERITY_LABELS, emptyCounts, isActive, severityRank, type AwsSecurityFinding, type SeverityCounts, type SeverityLabel } from '@devsecops/asff';
import { severityOf, toolOf } from '@devsecops/approval';

/** One finding as the console list shows it: what a person reads, nothing more. */
export interface FindingRow {
  id: string;
  tool: string;
  severity: SeverityLabel;
  title: string;
  /** Package and version, file and line, or URL: where the problem is. */
  resource: string;
  workflow: string;
  recordState: string;
  updatedAt: string;
}

export interface ToolCounts {
  tool: string;
  counts: SeverityCounts;
  total: number;
}

/** Severities from the most to the least severe, the order of every table and chart. */
export const SEVERITIES_DESCENDING: readonly SeverityLabel[] = [...SEVERITY_LABELS].reverse();

/** Scanners in pipeline order first, then any other product (alerts, Security Hub controls) by name. */
const TOOL_ORDER = ['dependency-check', 'sonarqube', 'phpstan', 'semgrep', 'zap'];

export function compareTools(a: string, b: string): number {
  const rank = (t: string) => (TOOL_ORDER.includes(t) ? TOOL_ORDER.indexOf(t) : TOOL_ORDER.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

function resourceOf(finding: AwsSecurityFinding): string {
  const pkg = finding.Vulnerabilities?.[0]?.VulnerablePackages?.[0];
  if (pkg?.Name) return pkg.Version ? `${pkg.Name}@${pkg.Version}` : pkg.Name;
  return finding.Resources?.[0]?.Id ?? finding.ProductFields?.[FIELD.location] ?? '';
}

export function toRow(finding: AwsSecurityFinding): FindingRow {
  return {
    id: finding.Id ?? '',
    tool: toolOf(finding),
    severity: severityOf(finding),
    title: finding.Title ?? '',
    resource: resourceOf(finding),
    workflow: finding.Workflow?.Status ?? 'NEW',
    recordState: finding.RecordState ?? 'ACTIVE',
    updatedAt: finding.UpdatedAt ?? '',
  };
}

/** Most severe first; then tool (pipeline order), title, resource: a stable order for tables and tests. */
export function compareRows(a: FindingRow, b: FindingRow): number {
  return severityRank(b.severity) - severityRank(a.severity) || compareTools(a.tool, b.tool) || a.title.localeCompare(b.title) || a.resource.localeCompare(b.resource);
}

/** The findings a person still has to deal with (ACTIVE and not suppressed), as sorted rows. */
export function activeRows(findings: readonly AwsSecurityFinding[]): FindingRow[] {
  return findings.filter(isActive).map(toRow).sort(compareRows);
}

/** Counts by tool and severity (tools in pipeline order). */
export function countsByTool(rows: readonly FindingRow[]): ToolCounts[] {
  const byTool = new Map<string, SeverityCounts>();
  for (const row of rows) {
    const counts = byTool.get(row.tool) ?? emptyCounts();
    counts[row.severity] += 1;
    byTool.set(row.tool, counts);
  }
  return [...byTool.entries()]
    .sort(([a], [b]) => compareTools(a, b))
    .map(([tool, counts]) => ({ tool, counts, total: Object.values(counts).reduce((sum, n) => sum + n, 0) }));
}

export function totalCounts(table: readonly ToolCounts[]): ToolCounts {
  const counts = emptyCounts();
  for (const row of table) for (const label of SEVERITY_LABELS) counts[label] += row.counts[label];
  return { tool: 'total', counts, total: table.reduce((sum, row) => sum + row.total, 0) };
}
