import { DEFAULT_TYPE, LIMITS, truncate, type FindingDraft, type Resource, type SeverityLabel, type Vulnerability } from '@devsecops/asff';
import { toRepoPath } from '@devsecops/report-input';
import { toAsffCvss } from './cvss';
import { fixedInVersion } from './fix-version';
import type { DcDependency, DcVulnerability } from './model';
import { bestIdentifier, packageIdentity, packageLabel, type PackageIdentity } from './package-identity';
import { decideSeverity } from './severity';
import { isRecord, text, unique } from './values';

export const CVE_TYPE = `${DEFAULT_TYPE}/CVE`;
const MAX_CWE_TYPES = 5;
const MAX_REFERENCE_URLS = 25;
const MAX_URL_LENGTH = 1024;
const DESCRIPTION_FOOTER_PART = 300;
const CVE_ID = /^CVE-\d{4}-\d{4,}$/i;
const WHITESPACE = /\s/;

export interface DraftOptions {
  sourceRoots?: readonly string[];
  defaultSeverity?: SeverityLabel;
}

export interface DraftResult {
  drafts: FindingDraft[];
  /** Vulnerabilities whose severity fell back to the default label. */
  defaultedSeverities: number;
  /** Entries with the same package, file and vulnerability name, folded into one finding. */
  mergedDuplicates: number;
}

/** `CWE-79` ids from the CWE entries (or, failing that, from an OSS Index name like `CWE-400: …`); CWE-0 is no CWE. */
export function cweIds(vulnerability: Pick<DcVulnerability, 'cwes' | 'name'>): string[] {
  const fromText = (raw: string): string | undefined => {
    const match = /^\s*CWE-(\d{1,7})\b/i.exec(raw);
    const id = match ? Number(match[1]) : 0;
    return id > 0 ? `CWE-${id}` : undefined;
  };
  const ids = vulnerability.cwes.map(fromText).filter((c): c is string => c !== undefined);
  if (ids.length === 0) {
    const fromName = fromText(vulnerability.name);
    if (fromName) ids.push(fromName);
  }
  return unique(ids);
}

/** ASFF Types: `…/Vulnerabilities/CVE` for CVE ids, `…/Vulnerabilities/CWE-n` per CWE, else `…/Vulnerabilities`. */
export function findingTypes(name: string, cwes: readonly string[]): string[] {
  const types = [...(CVE_ID.test(name) ? [CVE_TYPE] : []), ...cwes.slice(0, MAX_CWE_TYPES).map((cwe) => `${DEFAULT_TYPE}/${cwe}`)];
  return types.length > 0 ? types : [DEFAULT_TYPE];
}

/** NVD detail page for CVEs, else the first NVD or advisory reference, else the first reference. */
export function advisoryUrl(name: string, urls: readonly string[]): string | undefined {
  if (CVE_ID.test(name)) return `https://nvd.nist.gov/vuln/detail/${name.toUpperCase()}`;
  return (
    urls.find((u) => /^https?:\/\/nvd\.nist\.gov\//i.test(u)) ??
    urls.find((u) => /\/advisories\/|GHSA-|ossindex\.sonatype\.org\/vuln/i.test(u)) ??
    urls[0]
  );
}

/** `http(s)://` followed by at least one character and no whitespace (what Remediation.Url validation accepts). */
export function isHttpUrl(url: string): boolean {
  const scheme = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : 0;
  return scheme > 0 && url.length > scheme && !WHITESPACE.test(url);
}

/** Distinct http(s) reference URLs, at most MAX_REFERENCE_URLS (reading stops there). */
export function referenceUrls(references: readonly unknown[]): string[] {
  const urls: string[] = [];
  for (const reference of references) {
    if (urls.length >= MAX_REFERENCE_URLS) break;
    const url = isRecord(reference) ? text(reference.url) : undefined;
    if (url !== undefined && url.length <= MAX_URL_LENGTH && isHttpUrl(url) && !urls.includes(url)) urls.push(url);
  }
  return urls;
}

/** Joins items until `max` characters, then says how many were left out. */
export function joinLimited(items: readonly string[], separator: string, max: number): string {
  let out = '';
  for (let i = 0; i < items.length; i += 1) {
    const next = (out ? separator : '') + truncate(items[i]!, DESCRIPTION_FOOTER_PART, '…');
    const rest = items.length - i;
    if (out.length + next.length > max - 20) return `${out}${separator}… (${rest} more)`;
    out += next;
  }
  return out;
}

/**
 * A virtual dependency's path names the manifest plus the package (`go.mod:module`, `package-lock.json?name`).
 * Scanned by hand rather than with a regex so a pathological path cannot cause backtracking.
 */
export function manifestPath(path: string): string {
  const query = path.indexOf('?');
  if (query > 0) return path.slice(0, query);
  let colon = path.indexOf(':');
  // Skip `C:/` drive letters and `scheme://`.
  while (colon >= 0 && path[colon + 1] === '/') colon = path.indexOf(':', colon + 1);
  if (colon <= 0) return path;
  const before = path.slice(0, colon);
  const lastSegment = before.slice(before.lastIndexOf('/') + 1);
  return /\.[A-Za-z0-9_-]+$/.test(lastSegment) ? before : path;
}

/** What every finding of one dependency shares. */
interface DependencyContext {
  identity: PackageIdentity;
  label: string;
  repoPath?: string;
  fileName?: string;
  packageFilePath?: string;
  relatedPaths: string[];
  resource: Resource;
  evidence?: string;
}

function setDetail(details: Record<string, string>, key: string, value: string | undefined): void {
  if (value !== undefined && value.trim() !== '') details[key] = truncate(value, LIMITS.detailsOtherValue);
}

function dependencyContext(dependency: DcDependency, options: DraftOptions): DependencyContext {
  const roots = options.sourceRoots ?? [];
  const repoPath = dependency.filePath ? toRepoPath(dependency.filePath, roots) || undefined : undefined;
  const identity = packageIdentity(dependency, repoPath ?? 'unknown dependency');
  const relatedPaths = unique(
    dependency.related
      .map((r) => (r.filePath ? toRepoPath(r.filePath, roots) : r.fileName))
      .filter((p): p is string => p !== undefined && p !== '' && p !== repoPath),
  );
  const details: Record<string, string> = {};
  setDetail(details, 'package', identity.name);
  setDetail(details, 'version', identity.version);
  setDetail(details, 'purl', identity.purl);
  setDetail(details, 'cpe', identity.cpe ?? bestIdentifier(dependency.cpes)?.id);
  setDetail(details, 'fileName', dependency.fileName);
  setDetail(details, 'filePath', repoPath);
  setDetail(details, 'virtual', String(dependency.isVirtual));
  setDetail(details, 'sha256', dependency.sha256);
  if (relatedPaths.length > 0) {
    setDetail(details, 'relatedDependencies', String(relatedPaths.length));
    setDetail(details, 'relatedPaths', joinLimited(relatedPaths, '; ', LIMITS.detailsOtherValue));
  }
  const resourceId = identity.purl ?? repoPath ?? dependency.fileName ?? identity.key;
  return {
    identity,
    label: packageLabel(identity),
    ...(repoPath ? { repoPath } : {}),
    ...(dependency.fileName ? { fileName: dependency.fileName } : {}),
    ...(repoPath ? { packageFilePath: dependency.isVirtual ? manifestPath(repoPath) : repoPath } : {}),
    relatedPaths,
    resource: { Type: 'Other', Id: truncate(resourceId, 1024, '…'), Details: { Other: details } },
    ...(dependency.evidence ? { evidence: dependency.evidence } : {}),
  };
}

function describe(context: DependencyContext, vulnerability: DcVulnerability, cwes: readonly string[], reasonLength: number): string {
  const footer: string[] = [];
  const where = context.repoPath ?? context.fileName;
  if (where) footer.push(`Found in: ${truncate(where, DESCRIPTION_FOOTER_PART, '…')}`);
  if (context.relatedPaths.length > 0) {
    const count = context.relatedPaths.length;
    footer.push(`Also found at ${count} other path${count === 1 ? '' : 's'}: ${joinLimited(context.relatedPaths, '; ', DESCRIPTION_FOOTER_PART)}`);
  }
  if (cwes.length > 0) footer.push(`CWE: ${cwes.join(', ')}`);
  const kev = vulnerability.knownExploited;
  if (kev) footer.push(`Listed in the CISA Known Exploited Vulnerabilities catalog${kev.dateAdded ? ` (added ${kev.dateAdded})` : ''}.`);
  // buildFinding collapses whitespace, so the footer items are separated visibly rather than by newlines.
  const tail = footer.join(' | ');
  const body = vulnerability.description ?? `${vulnerability.name} affects ${context.label}.`;
  // buildFinding prefixes suppressed findings with "[Suppressed in <tool>: <reason>] " and cuts at 1024: leave room.
  const room = LIMITS.description - tail.length - 2 - Math.min(reasonLength, 400);
  return tail ? `${truncate(body, Math.max(200, room))}\n\n${tail}` : body;
}

function remediationText(context: DependencyContext, vulnerability: DcVulnerability, fixed: string | undefined): string {
  const base = fixed ? `Upgrade ${context.identity.name} to ${fixed} or later.` : `Upgrade ${context.identity.name} to a version without ${vulnerability.name}.`;
  const kev = vulnerability.knownExploited;
  if (!kev?.requiredAction) return base;
  return `${base} CISA KEV required action: ${kev.requiredAction}${kev.dueDate ? ` (due ${kev.dueDate})` : ''}`;
}

// Built field by field rather than with conditional spreads: this runs once per finding of 50 MB reports.
function asffVulnerability(context: DependencyContext, vulnerability: DcVulnerability, fixed: string | undefined, remediation: string, urls: readonly string[]): Vulnerability {
  const { identity } = context;
  const pkg: NonNullable<Vulnerability['VulnerablePackages']>[number] = { Name: truncate(identity.name, 1024, '…') };
  if (identity.version) pkg.Version = truncate(identity.version, 256, '…');
  if (identity.packageManager) pkg.PackageManager = identity.packageManager;
  if (context.packageFilePath) pkg.FilePath = truncate(context.packageFilePath, 1024, '…');
  if (fixed) {
    pkg.FixedInVersion = truncate(fixed, 256, '…');
    pkg.Remediation = truncate(remediation, 1024);
  }
  const result: Vulnerability = { Id: truncate(vulnerability.name, 512, '…'), VulnerablePackages: [pkg] };
  const cvss = toAsffCvss(vulnerability.cvss);
  if (cvss.length > 0) result.Cvss = cvss;
  if (vulnerability.source) {
    const vendor: NonNullable<Vulnerability['Vendor']> = { Name: truncate(vulnerability.source, 64, '…') };
    if (vulnerability.source.toUpperCase() === 'NVD' && CVE_ID.test(vulnerability.name)) vendor.Url = `https://nvd.nist.gov/vuln/detail/${vulnerability.name.toUpperCase()}`;
    if (vulnerability.severity) vendor.VendorSeverity = truncate(vulnerability.severity, 64, '…');
    result.Vendor = vendor;
  }
  if (urls.length > 0) result.ReferenceUrls = [...urls];
  // FixAvailable YES needs FixedInVersion and Remediation on every package (one here); unknown → left out, not NO.
  if (fixed) result.FixAvailable = 'YES';
  if (vulnerability.knownExploited) result.ExploitAvailable = 'YES';
  return result;
}

interface Candidate {
  draft: FindingDraft;
  identityKey: string;
  pathKey: string;
  defaulted: boolean;
}

function candidate(context: DependencyContext, vulnerability: DcVulnerability, options: DraftOptions): Candidate {
  const severity = decideSeverity(vulnerability, options.defaultSeverity ?? 'MEDIUM');
  const cwes = cweIds(vulnerability);
  const fixed = fixedInVersion(vulnerability.software, context.identity.productNames, context.identity.version);
  const remediation = remediationText(context, vulnerability, fixed);
  const urls = referenceUrls(vulnerability.references);
  const url = advisoryUrl(vulnerability.name, urls);
  const stateReason = vulnerability.suppressed ? truncate(vulnerability.notes ?? 'no suppression note', 1024) : undefined;
  const draft: FindingDraft = {
    ruleId: truncate(vulnerability.name, 512, '…'),
    location: context.identity.key,
    title: `${context.label}: ${vulnerability.name}`,
    description: describe(context, vulnerability, cwes, stateReason ? stateReason.length + 40 : 0),
    severity: { label: severity.label, original: severity.original },
    types: findingTypes(vulnerability.name, cwes),
    resources: [context.resource],
    vulnerabilities: [asffVulnerability(context, vulnerability, fixed, remediation, urls)],
    remediation: { text: remediation, ...(url ? { url } : {}) },
    productFields: {
      VulnerabilitySource: vulnerability.source,
      Package: context.identity.purl ?? context.label,
      FilePath: context.repoPath,
      Cwes: cwes.length > 0 ? cwes.join(', ') : undefined,
      FixedInVersion: fixed,
      KevDueDate: vulnerability.knownExploited?.dueDate,
    },
    ...(vulnerability.suppressed ? { state: 'SUPPRESSED' as const, stateReason } : {}),
    // What Dependency-Check matched the package on: no finding field holds it, so it is stored whole beside the finding.
    ...(context.evidence ? { evidence: [{ name: 'EvidenceCollected', text: context.evidence, contentType: 'application/json' }] } : {}),
  };
  return {
    draft,
    identityKey: `${context.identity.key}\n${vulnerability.name}`,
    pathKey: context.repoPath ?? context.fileName ?? '',
    defaulted: severity.basis === 'default',
  };
}

/**
 * One draft per vulnerability per dependency. Identity = package × vulnerability name; when the same package
 * has the same vulnerability at several paths (a jar in two EARs, one JS file copied twice), each finding's
 * location gets `#<path>` so Ids stay unique without depending on report order. Entries that still collide
 * (same package, path and name) are merged: the first wins, but an active entry beats a suppressed one, so a
 * duplicate can never hide a live vulnerability.
 */
export function toDrafts(dependencies: Iterable<DcDependency>, options: DraftOptions = {}): DraftResult {
  const collector = new DraftCollector(options);
  for (const dependency of dependencies) collector.add(dependency);
  return collector.finish();
}

/**
 * `toDrafts` one dependency at a time (a streamed report): only the candidate drafts are kept, never the
 * dependencies, and the identity rules that need the whole report run in `finish`.
 */
export class DraftCollector {
  private readonly candidates: Candidate[] = [];

  constructor(private readonly options: DraftOptions = {}) {}

  add(dependency: DcDependency): void {
    if (dependency.vulnerabilities.length === 0) return;
    const context = dependencyContext(dependency, this.options);
    for (const vulnerability of dependency.vulnerabilities) this.candidates.push(candidate(context, vulnerability, this.options));
  }

  finish(): DraftResult {
    const candidates = this.candidates;
    // Identities (package × vulnerability) seen at more than one path.
    const firstPath = new Map<string, string>();
    const atSeveralPaths = new Set<string>();
    for (const c of candidates) {
      const seen = firstPath.get(c.identityKey);
      if (seen === undefined) firstPath.set(c.identityKey, c.pathKey);
      else if (seen !== c.pathKey) atSeveralPaths.add(c.identityKey);
    }

    const kept = new Map<string, Candidate>();
    let mergedDuplicates = 0;
    for (const c of candidates) {
      if (c.pathKey && atSeveralPaths.has(c.identityKey)) c.draft.location = `${c.draft.location}#${c.pathKey}`;
      const key = `${c.draft.location}\n${c.draft.ruleId}`;
      const existing = kept.get(key);
      if (!existing) {
        kept.set(key, c);
        continue;
      }
      mergedDuplicates += 1;
      if (existing.draft.state === 'SUPPRESSED' && c.draft.state !== 'SUPPRESSED') kept.set(key, c);
    }

    const finals = [...kept.values()];
    return {
      drafts: finals.map((c) => c.draft),
      defaultedSeverities: finals.filter((c) => c.defaulted).length,
      mergedDuplicates,
    };
  }
}
