import { FIELD, SEVERITY_LABELS, severityRank, type AwsSecurityFinding, type Partition, type SeverityLabel } from '@devsecops/asff';
import { consoleUrl, cveUrl, cweUrl, repositoryUrl } from './links';

/** One gate decision of the run, e.g. the scan stage's and the DAST stage's. */
export interface GateVerdict {
  /** Where the gate ran: "Scan", "DAST", "findings gate". */
  stage: string;
  passed: boolean;
  blocking: number;
  /** Threshold the gate used; undefined = the gate never fails on severity. */
  failOn?: string;
  /** The gate's one summary line, shown as it is. */
  summary?: string;
  /** What the pipeline did because of it, e.g. "stopped before staging". */
  consequence?: string;
}

/** A decision taken outside the scanner: suppressions-as-code, OpenVEX, Security Hub triage. */
export interface SuppressionNote {
  reason: string;
  owner?: string;
  /** ISO date. */
  expires?: string;
  source?: string;
}

export interface HtmlReportInput {
  title: string;
  /** ISO time the report describes (the clock of the run, never read here). */
  generatedAt: string;
  /** Every finding of the run: active, suppressed and archived. */
  findings: readonly AwsSecurityFinding[];
  verdicts?: readonly GateVerdict[];
  /** Ids that blocked a gate. */
  blockingIds?: readonly string[];
  /** Ids active in the previous run; undefined when no previous run is known (then nothing is "new"). */
  previousActiveIds?: readonly string[];
  /** Findings this run archived because the scan no longer reports them. */
  fixed?: readonly AwsSecurityFinding[];
  /** Extra decisions by finding Id (suppressions file, OpenVEX). */
  suppressions?: Readonly<Record<string, SuppressionNote>>;
  /** `https://…/{commit}/{path}#L{line}`, for file:line links. */
  repositoryUrlTemplate?: string;
  /** For Security Hub console links. */
  region?: string;
  partition?: Partition;
}

export type RowStatus = 'active' | 'suppressed' | 'resolved' | 'archived';

export interface Link {
  text: string;
  url?: string;
}

export interface ReportRow {
  id: string;
  tool: string;
  severity: SeverityLabel;
  title: string;
  status: RowStatus;
  isNew: boolean;
  blocking: boolean;
  rule: string;
  /** What the table shows: package@version → fixed, file:line, or URL. */
  location: string;
  /** For grouping. */
  packageName?: string;
  file?: string;
  fixedVersion?: string;
  cves: Link[];
  cwes: Link[];
  cvss?: string;
  kev: boolean;
  epss?: number;
  firstSeen?: string;
  ageDays?: number;
  description: string;
  remediation?: string;
  /** Shown as text, never as a link: it is the report's word. */
  remediationUrl?: string;
  suppression?: SuppressionNote;
  consoleUrl?: string;
  repositoryUrl?: string;
}

export interface ReportModel {
  title: string;
  generatedAt: string;
  verdicts: GateVerdict[];
  rows: ReportRow[];
  fixed: ReportRow[];
  tools: string[];
  countsByTool: { tool: string; counts: Record<SeverityLabel, number>; total: number }[];
  /** Whether a previous run was known, so "new" means something. */
  hasPrevious: boolean;
}

const DAY_MS = 86_400_000;
const CVE_IN_TEXT = /\bCVE-\d{4}-\d{4,7}\b/g;
const CWE_IN_TEXT = /\bCWE-\d{1,5}\b/g;

function labelOf(f: AwsSecurityFinding): SeverityLabel {
  const label = f.FindingProviderFields?.Severity?.Label ?? f.Severity?.Label;
  return (SEVERITY_LABELS as readonly string[]).includes(label ?? '') ? (label as SeverityLabel) : 'INFORMATIONAL';
}

function statusOf(f: AwsSecurityFinding): RowStatus {
  if (f.Workflow?.Status === 'SUPPRESSED') return 'suppressed';
  if (f.RecordState === 'ARCHIVED') return 'archived';
  if (f.Workflow?.Status === 'RESOLVED') return 'resolved';
  return 'active';
}

function field(f: AwsSecurityFinding, key: string): string | undefined {
  const value = f.ProductFields?.[key];
  return value === undefined || value === '' ? undefined : value;
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

function cvesOf(f: AwsSecurityFinding): Link[] {
  const ids = unique([...(f.Vulnerabilities ?? []).map((v) => v.Id ?? ''), ...(f.Title ?? '').matchAll(CVE_IN_TEXT)].map((m) => (typeof m === 'string' ? m : m[0])).filter((id) => /^CVE-/.test(id)));
  return ids.map((id) => ({ text: id, url: cveUrl(id) }));
}

function cwesOf(f: AwsSecurityFinding): Link[] {
  const text = [field(f, 'devsecops/cwe'), field(f, 'devsecops/Cwes'), field(f, 'devsecops/cweid') && `CWE-${field(f, 'devsecops/cweid')}`, f.Description].filter(Boolean).join(' ');
  return unique([...text.matchAll(CWE_IN_TEXT)].map((m) => m[0])).map((id) => ({ text: id, url: cweUrl(id) }));
}

function cvssOf(f: AwsSecurityFinding): string | undefined {
  const all = (f.Vulnerabilities ?? []).flatMap((v) => v.Cvss ?? []);
  const best = [...all].sort((a, b) => Number.parseFloat(b.Version ?? '0') - Number.parseFloat(a.Version ?? '0'))[0];
  if (!best || best.BaseScore === undefined) return undefined;
  return `${best.BaseScore} (CVSS ${best.Version ?? '?'}${best.BaseVector ? ` ${best.BaseVector}` : ''})`;
}

interface Place {
  location: string;
  packageName?: string;
  file?: string;
  line?: number;
  fixedVersion?: string;
}

function placeOf(f: AwsSecurityFinding): Place {
  const vulnerability = f.Vulnerabilities?.[0];
  const pkg = vulnerability?.VulnerablePackages?.[0];
  if (pkg?.Name) {
    const label = pkg.Version ? `${pkg.Name}@${pkg.Version}` : pkg.Name;
    return { location: pkg.FixedInVersion ? `${label} → ${pkg.FixedInVersion}` : label, packageName: pkg.Name, fixedVersion: pkg.FixedInVersion };
  }
  const resource = f.Resources?.[0];
  const id = resource?.Id ?? '';
  if (/^https?:\/\//i.test(id)) return { location: id };
  const other = resource?.Details?.Other ?? {};
  const lineText = other['startLine'] ?? other['line'] ?? field(f, 'devsecops/line');
  const line = lineText !== undefined && /^\d+$/.test(lineText) ? Number(lineText) : undefined;
  const path = other['path'] ?? (id && !id.startsWith('arn:') ? id : undefined);
  if (path) return { location: line ? `${path}:${line}` : path, file: path, ...(line ? { line } : {}) };
  return { location: field(f, FIELD.location) ?? id };
}

function suppressionOf(f: AwsSecurityFinding, extra: SuppressionNote | undefined): SuppressionNote | undefined {
  if (extra) return extra;
  if (f.Workflow?.Status === 'SUPPRESSED' && f.Note?.Text) return { reason: f.Note.Text, owner: f.Note.UpdatedBy, source: 'Security Hub' };
  const toolReason = field(f, FIELD.stateReason);
  if (toolReason && (f.Workflow?.Status === 'SUPPRESSED' || f.RecordState === 'ARCHIVED')) return { reason: toolReason, source: `${field(f, FIELD.tool) ?? 'the tool'}` };
  return undefined;
}

function toRow(f: AwsSecurityFinding, input: HtmlReportInput, previous: ReadonlySet<string> | undefined, blocking: ReadonlySet<string>): ReportRow {
  const id = f.Id ?? '';
  const place = placeOf(f);
  const status = statusOf(f);
  const firstSeen = f.FirstObservedAt ?? f.CreatedAt;
  const generated = Date.parse(input.generatedAt);
  const seen = firstSeen ? Date.parse(firstSeen) : Number.NaN;
  const vulnerability = f.Vulnerabilities?.[0];
  const row: ReportRow = {
    id,
    tool: field(f, FIELD.tool) ?? f.ProductName ?? 'unknown',
    severity: labelOf(f),
    title: f.Title ?? '',
    status,
    isNew: previous !== undefined && status === 'active' && !previous.has(id),
    blocking: blocking.has(id),
    rule: field(f, FIELD.rule) ?? f.GeneratorId ?? '',
    location: place.location,
    cves: cvesOf(f),
    cwes: cwesOf(f),
    kev: vulnerability?.ExploitAvailable === 'YES' || field(f, 'devsecops/KevDueDate') !== undefined,
    description: f.Description ?? '',
  };
  if (place.packageName) row.packageName = place.packageName;
  if (place.file) row.file = place.file;
  if (place.fixedVersion) row.fixedVersion = place.fixedVersion;
  const cvss = cvssOf(f);
  if (cvss) row.cvss = cvss;
  if (typeof vulnerability?.EpssScore === 'number') row.epss = vulnerability.EpssScore;
  if (firstSeen) row.firstSeen = firstSeen;
  if (Number.isFinite(seen) && Number.isFinite(generated)) row.ageDays = Math.max(0, Math.floor((generated - seen) / DAY_MS));
  if (f.Remediation?.Recommendation?.Text) row.remediation = f.Remediation.Recommendation.Text;
  if (f.Remediation?.Recommendation?.Url) row.remediationUrl = f.Remediation.Recommendation.Url;
  const suppression = suppressionOf(f, input.suppressions?.[id]);
  if (suppression) row.suppression = suppression;
  const console = consoleUrl(id, input.region ?? f.Region, input.partition);
  if (console) row.consoleUrl = console;
  if (place.file) {
    const repo = repositoryUrl(input.repositoryUrlTemplate, { path: place.file, line: place.line, commit: field(f, FIELD.commit), branch: field(f, FIELD.branch) });
    if (repo) row.repositoryUrl = repo;
  }
  return row;
}

const TOOL_ORDER = ['dependency-check', 'sonarqube', 'phpstan', 'semgrep', 'sarif', 'zap'];

function compareTools(a: string, b: string): number {
  const rank = (t: string) => (TOOL_ORDER.includes(t) ? TOOL_ORDER.indexOf(t) : TOOL_ORDER.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

const STATUS_ORDER: Readonly<Record<RowStatus, number>> = { active: 0, resolved: 1, suppressed: 2, archived: 3 };

/** Blocking first, then active before the rest, most severe, oldest: the order a person triages in. */
export function compareRows(a: ReportRow, b: ReportRow): number {
  return (
    Number(b.blocking) - Number(a.blocking) ||
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    severityRank(b.severity) - severityRank(a.severity) ||
    (b.ageDays ?? -1) - (a.ageDays ?? -1) ||
    compareTools(a.tool, b.tool) ||
    a.title.localeCompare(b.title) ||
    a.id.localeCompare(b.id)
  );
}

function emptyCounts(): Record<SeverityLabel, number> {
  return { INFORMATIONAL: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };
}

/** Pure: the page's content from the run's data. */
export function buildReportModel(input: HtmlReportInput): ReportModel {
  const previous = input.previousActiveIds ? new Set(input.previousActiveIds) : undefined;
  const blocking = new Set(input.blockingIds ?? []);
  const rows = input.findings.map((f) => toRow(f, input, previous, blocking)).sort(compareRows);
  const fixed = (input.fixed ?? []).map((f) => toRow(f, input, undefined, new Set())).sort(compareRows);
  const tools = unique(rows.map((r) => r.tool)).sort(compareTools);
  const countsByTool = tools.map((tool) => {
    const counts = emptyCounts();
    for (const row of rows) if (row.tool === tool && row.status === 'active') counts[row.severity] += 1;
    return { tool, counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
  });
  return { title: input.title, generatedAt: input.generatedAt, verdicts: [...(input.verdicts ?? [])], rows, fixed, tools, countsByTool, hasPrevious: previous !== undefined };
}
