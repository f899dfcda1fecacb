import { FIELD, SEVERITY_LABELS, findingFingerprint, type AwsSecurityFinding, type SeverityLabel } from '@devsecops/asff';

/** What the gate needs to know of one finding, read from its ASFF fields. */
export interface FindingFacts {
  id: string;
  productArn: string;
  tool: string;
  rule: string;
  title: string;
  /** ProductFields devsecops/Location (a purl, a path#digest, a site URL). */
  location: string;
  /** Where, for a person: `file:line`, `package@version → fixed`, or a URL. */
  where: string;
  /** Repository-relative file path, for rule + path suppressions. */
  path?: string;
  /** CVE ids of the finding (Vulnerabilities[].Id, and the rule when it is one). */
  cves: string[];
  /** Package URLs of the finding (location, resources). */
  packages: string[];
  /** Branch-independent identity (tool, rule, location). */
  fingerprint: string;
  /** The severity the gate uses: an unmappable label counts as HIGH. */
  severity: SeverityLabel;
  /** Set when the label could not be mapped. */
  severityNote?: string;
  recordState: 'ACTIVE' | 'ARCHIVED';
  /** Workflow.Status carried by the finding itself (SUPPRESSED for tool-side suppressions; any, read from Security Hub). */
  workflowStatus?: string;
  /** Note carried by the finding itself (read from Security Hub). */
  note?: { text: string; updatedBy: string; updatedAt: string };
  firstObservedAt?: string;
  region?: string;
  /** Listed in CISA KEV according to the report itself (Dependency-Check) or the KEV catalogue. */
  exploitAvailable: boolean;
  lastKnownExploitAt?: string;
  epssScore?: number;
}

const CVE = /^CVE-\d{4}-\d{4,}$/i;

function detailsPath(finding: AwsSecurityFinding): { path?: string; line?: string } {
  for (const resource of finding.Resources ?? []) {
    const other = resource.Details?.Other;
    const path = other?.['path'] ?? other?.['filePath'];
    if (path) return { path, line: other?.['startLine'] ?? other?.['line'] };
  }
  return {};
}

function whereOf(finding: AwsSecurityFinding, location: string, file: { path?: string; line?: string }): string {
  const pkg = finding.Vulnerabilities?.[0]?.VulnerablePackages?.[0];
  if (pkg?.Name) return `${pkg.Name}${pkg.Version ? `@${pkg.Version}` : ''}${pkg.FixedInVersion ? ` → ${pkg.FixedInVersion}` : ''}`;
  if (file.path && !/^[a-z]+:\/\//i.test(file.path)) return `${file.path}${file.line ? `:${file.line}` : ''}`;
  const resource = finding.Resources?.[0]?.Id;
  if (resource && /^https?:\/\//i.test(resource)) return resource;
  return resource ?? location;
}

/**
 * The label a person sees in the console (top-level Severity carries triage edits; for a finding just built it
 * equals FindingProviderFields). Missing or not a label: HIGH, and said so, so an unknown severity fails closed.
 */
function severityOf(finding: AwsSecurityFinding): { severity: SeverityLabel; note?: string } {
  const label = finding.Severity?.Label ?? finding.FindingProviderFields?.Severity?.Label;
  if ((SEVERITY_LABELS as readonly string[]).includes(label ?? '')) return { severity: label as SeverityLabel };
  const original = finding.Severity?.Original ?? label;
  return { severity: 'HIGH', note: `severity ${original === undefined ? 'missing' : JSON.stringify(original)} cannot be mapped: counted as HIGH` };
}

export function factsOf(finding: AwsSecurityFinding): FindingFacts {
  const fields = finding.ProductFields ?? {};
  const tool = fields[FIELD.tool] ?? finding.ProductName ?? 'unknown';
  const rule = fields[FIELD.rule] ?? finding.GeneratorId ?? '';
  const location = fields[FIELD.location] ?? finding.Resources?.[0]?.Id ?? '';
  const file = detailsPath(finding);
  const cves = new Set<string>();
  for (const v of finding.Vulnerabilities ?? []) if (v.Id && CVE.test(v.Id)) cves.add(v.Id.toUpperCase());
  if (CVE.test(rule)) cves.add(rule.toUpperCase());
  const packages = new Set<string>();
  if (location.startsWith('pkg:')) packages.add(location);
  for (const r of finding.Resources ?? []) {
    if (r.Id?.startsWith('pkg:')) packages.add(r.Id);
    const purl = r.Details?.Other?.['purl'];
    if (purl?.startsWith('pkg:')) packages.add(purl);
  }
  const isUrl = (text: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  const path = (file.path && !isUrl(file.path) ? file.path : undefined) ?? (location && !location.startsWith('pkg:') && !/^[a-z]+:\/\//i.test(location) ? location.split('#')[0] : undefined);
  const { severity, note } = severityOf(finding);
  const vulns = finding.Vulnerabilities ?? [];
  const epss = vulns.map((v) => v.EpssScore).filter((s): s is number => typeof s === 'number');
  const exploitAt = vulns.map((v) => v.LastKnownExploitAt).filter((s): s is string => typeof s === 'string').sort();
  return {
    id: finding.Id ?? '',
    productArn: finding.ProductArn ?? '',
    tool,
    rule,
    title: finding.Title ?? rule,
    location,
    where: whereOf(finding, location, file),
    ...(path ? { path } : {}),
    cves: [...cves],
    packages: [...packages],
    fingerprint: fields[FIELD.fingerprint] ?? findingFingerprint(tool, rule, location),
    severity,
    ...(note ? { severityNote: note } : {}),
    recordState: finding.RecordState === 'ARCHIVED' ? 'ARCHIVED' : 'ACTIVE',
    ...(finding.Workflow?.Status ? { workflowStatus: finding.Workflow.Status } : {}),
    ...(finding.Note?.Text ? { note: { text: finding.Note.Text, updatedBy: finding.Note.UpdatedBy ?? '', updatedAt: finding.Note.UpdatedAt ?? '' } } : {}),
    ...(finding.FirstObservedAt ? { firstObservedAt: finding.FirstObservedAt } : {}),
    ...(finding.Region ?? finding.Resources?.[0]?.Region ? { region: finding.Region ?? finding.Resources?.[0]?.Region } : {}),
    exploitAvailable: vulns.some((v) => v.ExploitAvailable === 'YES'),
    ...(exploitAt.length > 0 ? { lastKnownExploitAt: exploitAt[exploitAt.length - 1] } : {}),
    ...(epss.length > 0 ? { epssScore: Math.max(...epss) } : {}),
  };
}
