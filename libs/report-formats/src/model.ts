import { FIELD, isActive, severityRank, SEVERITY_LABELS, type AwsSecurityFinding, type SeverityLabel } from '@devsecops/asff';

/**
 * What every format renders: the ASFF findings of one scan (or several), the gate's decision and, when a base was
 * given, what changed since it. Pure data; the formats never read files, the clock or the environment.
 */
export interface ReportInput {
  findings: readonly AwsSecurityFinding[];
  /** The gate's decision; absent for `convert`, where nothing blocks. */
  gate?: ReportGate;
  /** Compared with a base (an earlier scan, e.g. of the main branch): see `compareWithBase`. */
  changes?: ReportChanges;
  /** ISO 8601; when the report was made. Defaults to the newest UpdatedAt of the findings. */
  generatedAt?: string;
  /** Version of this project's CLI, written as the producing tool's version. */
  producerVersion?: string;
  /** Page title (HTML). */
  title?: string;
  /** `https://…/{commit}/{path}#L{line}`: file:line links in the HTML page (libs/report-html validates it). */
  repositoryUrlTemplate?: string;
}

export interface ReportGate {
  /** Threshold; undefined means the gate never fails. */
  failOn?: SeverityLabel;
  passed: boolean;
  blocking: number;
  /**
   * The Ids of the findings that block. When absent, a finding blocks when it is active and at or above failOn.
   * A gate with its own rules (only new findings, suppressions, KEV) passes its decision here.
   */
  blockingIds?: ReadonlySet<string>;
}

export interface ReportChanges {
  /** Human label of the base, e.g. `main` or a file name. */
  base: string;
  /** Active now, not active in the base. */
  newIds: ReadonlySet<string>;
  /** Active in the base, no longer active now: the base's version of each. */
  fixed: readonly AwsSecurityFinding[];
}

/** One output format: `render` yields the text in chunks, so a large scan is never one string. */
export interface ReportFormat {
  id: FormatId;
  description: string;
  /** File extension for `--output` suggestions, with the dot. */
  extension: string;
  mediaType: string;
  render?: (input: ReportInput) => Iterable<string>;
  /** Why `render` is missing (a format announced but not built yet). */
  unavailable?: string;
}

export const FORMAT_IDS = ['asff', 'sarif', 'junit', 'markdown', 'csv', 'ocsf', 'html'] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/** The facts of one finding the formats share, read once from its ASFF. */
export interface FindingFacts {
  id: string;
  tool: string;
  rule: string;
  title: string;
  description: string;
  severity: SeverityLabel;
  active: boolean;
  /** ACTIVE, SUPPRESSED or RESOLVED (from the tool), or ARCHIVED. */
  status: string;
  statusReason?: string;
  /** Repository-relative file of a code finding. */
  path?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  /** Package (SCA). */
  packageName?: string;
  packageVersion?: string;
  fixedVersion?: string;
  /** The URL a DAST finding was found at. */
  url?: string;
  /** What the finding is about, for one-column formats: file:line, package@version or URL. */
  location: string;
  cves: string[];
  cwes: string[];
  /** Preferred CVSS base score (v4, else v3, else v2). */
  cvssScore?: number;
  cvssVector?: string;
  cvssVersion?: string;
  remediation?: string;
  remediationUrl?: string;
  repository?: string;
  branch?: string;
  commit?: string;
  firstObservedAt?: string;
  updatedAt?: string;
  /** Software composition (package vulnerability), dynamic (URL) or static (code) analysis. */
  kind: 'sca' | 'dast' | 'sast';
}

function labelOf(f: AwsSecurityFinding): SeverityLabel {
  const label = f.FindingProviderFields?.Severity?.Label ?? f.Severity?.Label;
  return (SEVERITY_LABELS as readonly string[]).includes(label ?? '') ? (label as SeverityLabel) : 'INFORMATIONAL';
}

function positiveInt(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

const CWE_TYPE = /\/CWE-(\d+)$/;
const CWE_FIELD = /\/(cwe|cweid|cwes)$/i;

export function findingFacts(f: AwsSecurityFinding): FindingFacts {
  const fields = f.ProductFields ?? {};
  const resource = f.Resources?.[0];
  const other = (resource?.Details?.Other ?? {}) as Record<string, string | undefined>;
  const vulnerabilities = f.Vulnerabilities ?? [];
  const pkg = vulnerabilities.flatMap((v) => v.VulnerablePackages ?? [])[0];
  const cves = [...new Set(vulnerabilities.map((v) => v.Id ?? '').filter((id) => /^CVE-\d{4}-\d{4,}$/i.test(id)).map((id) => id.toUpperCase()))];
  // CWEs from the ASFF Types (Dependency-Check, ZAP) and from the parsers' own fields (SARIF `cwe`, ZAP `CweId`).
  const fromTypes = [...(f.FindingProviderFields?.Types ?? f.Types ?? [])].map((t) => CWE_TYPE.exec(t)?.[1]);
  const fromFields = Object.entries(fields)
    .filter(([key]) => CWE_FIELD.test(key))
    .flatMap(([, value]) => (value ?? '').match(/(?<![\d])\d{1,5}(?![\d])/g) ?? []);
  const cwes = [...new Set([...fromTypes, ...fromFields].filter((n): n is string => n !== undefined && n !== '0').map((n) => `CWE-${Number(n)}`))];
  const cvssList = vulnerabilities.flatMap((v) => v.Cvss ?? []).filter((c) => typeof c.BaseScore === 'number');
  const cvss = ['4', '3', '2'].map((major) => cvssList.find((c) => (c.Version ?? '').startsWith(major))).find((c) => c !== undefined) ?? cvssList[0];
  const path = other.path ?? other.filePath ?? undefined;
  const isCode = other.path !== undefined;
  const resourceId = resource?.Id ?? '';
  const url = /^https?:\/\//i.test(resourceId) ? resourceId : undefined;
  const kind: FindingFacts['kind'] = pkg ? 'sca' : url && !isCode ? 'dast' : 'sast';
  const startLine = positiveInt(other.startLine ?? other.line);
  const status = f.RecordState === 'ARCHIVED' && fields[FIELD.state] === 'ACTIVE' ? 'ARCHIVED' : (fields[FIELD.state] ?? (f.RecordState === 'ARCHIVED' ? 'ARCHIVED' : 'ACTIVE'));
  const packageName = pkg?.Name ?? other.package;
  const packageVersion = pkg?.Version ?? other.version;
  let location: string;
  if (kind === 'sca' && packageName) location = packageVersion ? `${packageName}@${packageVersion}` : packageName;
  else if (isCode && path) location = startLine ? `${path}:${startLine}` : path;
  else location = url ?? resourceId ?? fields[FIELD.location] ?? '';
  return {
    id: f.Id ?? '',
    tool: fields[FIELD.tool] ?? f.ProductName ?? 'unknown',
    rule: fields[FIELD.rule] ?? f.GeneratorId ?? '',
    title: f.Title ?? '',
    description: f.Description ?? '',
    severity: labelOf(f),
    active: isActive(f),
    status,
    statusReason: fields[FIELD.stateReason],
    path: isCode ? path : kind === 'sca' ? (pkg?.FilePath ?? other.filePath) : undefined,
    startLine: isCode ? startLine : undefined,
    endLine: isCode ? positiveInt(other.endLine) : undefined,
    startColumn: isCode ? positiveInt(other.startColumn) : undefined,
    packageName: kind === 'sca' ? packageName : undefined,
    packageVersion: kind === 'sca' ? packageVersion : undefined,
    fixedVersion: pkg?.FixedInVersion,
    url,
    location,
    cves,
    cwes,
    cvssScore: cvss?.BaseScore,
    cvssVector: cvss?.BaseVector,
    cvssVersion: cvss?.Version,
    remediation: f.Remediation?.Recommendation?.Text,
    remediationUrl: f.Remediation?.Recommendation?.Url,
    repository: fields[FIELD.repository],
    branch: fields[FIELD.branch],
    commit: fields[FIELD.commit],
    firstObservedAt: f.FirstObservedAt ?? f.CreatedAt,
    updatedAt: f.UpdatedAt,
    kind,
  };
}

/** Whether a finding blocks under the gate: the gate's own list when it gives one, else active and at or above failOn. */
export function isBlocking(facts: FindingFacts, gate: ReportGate | undefined): boolean {
  if (!gate) return false;
  if (gate.blockingIds) return gate.blockingIds.has(facts.id);
  if (!gate.failOn) return false;
  return facts.active && severityRank(facts.severity) >= severityRank(gate.failOn);
}

/** Severities from the most to the least severe. */
export const SEVERITIES_DESCENDING: readonly SeverityLabel[] = [...SEVERITY_LABELS].reverse();

/** Sort order of the human formats: severity (most severe first), then tool, location and Id. */
export function bySeverityThenLocation(a: FindingFacts, b: FindingFacts): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.tool.localeCompare(b.tool) || a.location.localeCompare(b.location) || a.id.localeCompare(b.id);
}

/**
 * New and fixed since a base scan: new = active now and not active in the base; fixed = active in the base and
 * not active now (archived, suppressed or gone). Matched by finding Id, which is stable across builds.
 */
export function compareWithBase(current: readonly AwsSecurityFinding[], base: readonly AwsSecurityFinding[], label: string): ReportChanges {
  const activeBase = new Map(base.filter(isActive).map((f) => [f.Id ?? '', f]));
  const activeNow = new Set(current.filter(isActive).map((f) => f.Id ?? ''));
  const newIds = new Set([...activeNow].filter((id) => !activeBase.has(id)));
  const fixed = [...activeBase.entries()].filter(([id]) => !activeNow.has(id)).map(([, f]) => f);
  return { base: label, newIds, fixed };
}

/** The report's time: the given one, else the newest UpdatedAt, else the epoch (never the clock: formats are pure). */
export function reportTime(input: ReportInput): string {
  if (input.generatedAt) return input.generatedAt;
  let newest = '';
  for (const f of input.findings) if ((f.UpdatedAt ?? '') > newest) newest = f.UpdatedAt ?? '';
  return newest || new Date(0).toISOString();
}
