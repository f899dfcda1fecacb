import type { AwsSecurityFinding, SeverityLabel } from '@devsecops/asff';
import { findingFacts, reportTime, type FindingFacts, type ReportInput } from './model';

export const OCSF_VERSION = '1.6.0';

const SEVERITY_ID: Record<SeverityLabel, { id: number; name: string }> = {
  INFORMATIONAL: { id: 1, name: 'Informational' },
  LOW: { id: 2, name: 'Low' },
  MEDIUM: { id: 3, name: 'Medium' },
  HIGH: { id: 4, name: 'High' },
  CRITICAL: { id: 5, name: 'Critical' },
};

/** Finding status_id: 1 New, 3 Suppressed, 4 Resolved, 5 Archived (OCSF finding.json). */
function status(f: FindingFacts): { status_id: number; status: string } {
  if (f.status === 'SUPPRESSED') return { status_id: 3, status: 'Suppressed' };
  if (f.status === 'RESOLVED') return { status_id: 4, status: 'Resolved' };
  if (f.status === 'ARCHIVED') return { status_id: 5, status: 'Archived' };
  return { status_id: 1, status: 'New' };
}

export const VULNERABILITY_FINDING = { class_uid: 2002, class_name: 'Vulnerability Finding' } as const;
export const APPLICATION_SECURITY_POSTURE_FINDING = { class_uid: 2007, class_name: 'Application Security Posture Finding' } as const;

/**
 * The OCSF class of a finding. Package vulnerabilities (SCA) and findings at a URL (DAST) are Vulnerability Findings
 * (2002), whose `vulnerabilities[]` is required and each needs a CVE or a CWE. Code findings (SAST) are Application
 * Security Posture Findings (2007, OCSF 1.5+): the class for "specific code defects" reported by application security
 * tools, where vulnerabilities are optional, so a rule with no CWE (a PHPStan error, a Sonar bug) is still valid. An
 * SCA or DAST finding with neither CVE nor CWE falls back to 2007 as well rather than break 2002's constraint.
 */
export function ocsfClass(f: FindingFacts): typeof VULNERABILITY_FINDING | typeof APPLICATION_SECURITY_POSTURE_FINDING {
  return f.kind !== 'sast' && (f.cves.length > 0 || f.cwes.length > 0) ? VULNERABILITY_FINDING : APPLICATION_SECURITY_POSTURE_FINDING;
}

function epochMs(iso: string | undefined): number | undefined {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

function fileObject(path: string): object {
  const name = path.split(/[\\/]/).pop() || path;
  return { name, path, type_id: 1, type: 'Regular File' };
}

function vulnerabilities(f: FindingFacts, source: AwsSecurityFinding): object[] {
  const base = {
    title: f.title,
    desc: f.description,
    severity: SEVERITY_ID[f.severity].name,
    vendor_name: f.tool,
    ...(f.cwes[0] ? { cwe: { uid: f.cwes[0] } } : {}),
    ...(f.remediation ? { remediation: { desc: f.remediation, ...(f.remediationUrl ? { references: [f.remediationUrl] } : {}) } } : {}),
    ...(f.fixedVersion ? { is_fix_available: true } : {}),
    ...(f.firstObservedAt ? { first_seen_time: epochMs(f.firstObservedAt) } : {}),
  };
  const packages = f.packageName
    ? [
        {
          name: f.packageName,
          version: f.packageVersion ?? 'unknown',
          ...(f.fixedVersion ? { fixed_in_version: f.fixedVersion } : {}),
          ...(source.Vulnerabilities?.[0]?.VulnerablePackages?.[0]?.PackageManager ? { package_manager: source.Vulnerabilities[0].VulnerablePackages[0].PackageManager } : {}),
          ...(source.Resources?.[0]?.Id?.startsWith('pkg:') ? { purl: source.Resources[0].Id } : {}),
          ...(f.path ? { path: f.path } : {}),
        },
      ]
    : undefined;
  const code =
    f.kind === 'sast' && f.path
      ? [{ file: fileObject(f.path), ...(f.startLine ? { start_line: f.startLine } : {}), ...(f.endLine ? { end_line: f.endLine } : {}) }]
      : undefined;
  const extra = { ...(packages ? { affected_packages: packages } : {}), ...(code ? { affected_code: code } : {}) };
  const cvss = (source.Vulnerabilities ?? []).flatMap((v) => v.Cvss ?? []).filter((c) => typeof c.BaseScore === 'number' && c.Version);
  if (f.cves.length === 0) return f.cwes.length > 0 ? [{ ...base, ...extra }] : [];
  return f.cves.map((cve) => ({
    ...base,
    ...extra,
    cve: {
      uid: cve,
      ...(cvss.length > 0 ? { cvss: cvss.map((c) => ({ version: c.Version!, base_score: c.BaseScore!, ...(c.BaseVector ? { vector_string: c.BaseVector } : {}) })) } : {}),
    },
  }));
}

/** One ASFF finding as one OCSF 1.6 finding event (2002 or 2007); finding_info.uid is the ASFF Id. */
export function toOcsf(source: AwsSecurityFinding, fallbackTime: string): Record<string, unknown> {
  const f = findingFacts(source);
  const cls = ocsfClass(f);
  const activity = { activity_id: 1, activity_name: 'Create' };
  const vulns = vulnerabilities(f, source);
  const created = epochMs(source.CreatedAt) ?? epochMs(fallbackTime) ?? 0;
  const modified = epochMs(source.UpdatedAt) ?? created;
  const resource = source.Resources?.[0];
  return {
    ...activity,
    category_uid: 2,
    category_name: 'Findings',
    ...cls,
    type_uid: cls.class_uid * 100 + activity.activity_id,
    type_name: `${cls.class_name}: ${activity.activity_name}`,
    severity_id: SEVERITY_ID[f.severity].id,
    severity: SEVERITY_ID[f.severity].name,
    ...status(f),
    time: modified,
    metadata: {
      version: OCSF_VERSION,
      product: { name: f.tool, vendor_name: 'devsecops-pipeline' },
      uid: f.id,
    },
    finding_info: {
      uid: f.id,
      title: f.title,
      desc: f.description,
      types: source.FindingProviderFields?.Types ?? source.Types ?? [],
      created_time: created,
      modified_time: modified,
      ...(f.firstObservedAt ? { first_seen_time: epochMs(f.firstObservedAt) } : {}),
      ...(source.SourceUrl ? { src_url: source.SourceUrl } : {}),
      analytic: { uid: f.rule, name: f.rule, type_id: 1, type: 'Rule' },
    },
    ...(vulns.length > 0 ? { vulnerabilities: vulns } : {}),
    ...(cls.class_uid === 2007 ? { remediation: { desc: f.remediation ?? `See the ${f.tool} rule ${f.rule}.`, ...(f.remediationUrl ? { references: [f.remediationUrl] } : {}) } } : {}),
    ...(resource?.Id ? { resources: [{ uid: resource.Id, name: f.location || resource.Id, type: f.kind === 'sca' ? 'Package' : f.kind === 'dast' ? 'URL' : 'File' }] } : {}),
    unmapped: {
      repository: f.repository,
      branch: f.branch,
      ...(f.commit ? { commit: f.commit } : {}),
      asff_product_arn: source.ProductArn,
      asff_record_state: source.RecordState,
    },
  };
}

/** NDJSON: one OCSF event per line, in input order. */
export function* renderOcsf(input: ReportInput): Iterable<string> {
  const time = reportTime(input);
  for (const finding of input.findings) yield `${JSON.stringify(toOcsf(finding, time))}\n`;
}
