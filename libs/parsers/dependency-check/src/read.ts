import { ReportError, type ReportDocument } from '@devsecops/report-input';
import { readCvssV2, readCvssV3, readCvssV4, readLegacyCvss } from './cvss';
import { purlFromOldStyleIdentifier } from './package-identity';
import type { CvssEntry, DcDependency, DcIdentifier, DcKnownExploited, DcReport, DcRelatedDependency, DcVulnerability } from './model';
import { asArray, attribute, collapse, field, flag, isRecord, records, text, type UnknownRecord } from './values';

/**
 * Reads a Dependency-Check report, JSON or XML, into the normalised model. The two formats name most fields the
 * same; where they differ the XML wraps lists in a container element (`references/reference`,
 * `vulnerableSoftware/software`, `cwes/cwe`), which `children` unwraps, so one reader serves both.
 */

/** Items of a list that JSON writes as an array and XML as `<container><item/>…</container>`. */
export function children(value: unknown, itemName: string): unknown[] {
  const out: unknown[] = [];
  for (const item of asArray(value)) {
    if (isRecord(item) && itemName in item) {
      // A loop, not push(...list): a report can hold more elements than a call has room for arguments.
      for (const child of asArray(item[itemName])) out.push(child);
    } else {
      out.push(item);
    }
  }
  return out;
}

function identifier(record: UnknownRecord, idKey = 'id'): DcIdentifier | undefined {
  const id = field(record, idKey);
  if (!id) return undefined;
  const confidence = attribute(record, 'confidence');
  return { id, ...(confidence ? { confidence } : {}) };
}

interface Identifiers {
  packages: DcIdentifier[];
  cpes: DcIdentifier[];
  mavenCoordinates: DcIdentifier[];
}

function addOldStyleIdentifier(target: Identifiers, record: UnknownRecord): void {
  const type = attribute(record, 'type')?.toLowerCase();
  const id = identifier(record, 'name') ?? identifier(record, 'id');
  if (!id) return;
  if (type === 'cpe') target.cpes.push(id);
  else if (type === 'maven') target.mavenCoordinates.push(id);
  else if (id.id.startsWith('pkg:')) target.packages.push(id);
  else {
    const purl = purlFromOldStyleIdentifier(type, id.id);
    if (purl) target.packages.push({ ...id, id: purl });
  }
}

/**
 * XML `identifiers`: `package` (purl), `vulnerabilityIds` (CPE), old `identifier[@type]`, and (in hand-assembled
 * reports) a nested `identifiers` element; JSON: `packages[]`, `vulnerabilityIds[]`, old `identifiers[]{type,name}`.
 */
function readIdentifiers(dependency: UnknownRecord): Identifiers {
  const found: Identifiers = { packages: [], cpes: [], mavenCoordinates: [] };
  const visit = (node: UnknownRecord, depth: number): void => {
    for (const pkg of records(node.package)) pushDefined(found.packages, identifier(pkg));
    for (const pkg of records(node.packages)) pushDefined(found.packages, identifier(pkg));
    for (const cpe of records(node.vulnerabilityIds)) pushDefined(found.cpes, identifier(cpe));
    for (const old of records(node.identifier)) addOldStyleIdentifier(found, old);
    if (depth < 2) {
      for (const nested of records(node.identifiers)) {
        if ('type' in nested || '@_type' in nested) addOldStyleIdentifier(found, nested);
        else visit(nested, depth + 1);
      }
    }
  };
  visit(dependency, 0);
  return found;
}

function pushDefined<T>(list: T[], value: T | undefined): void {
  if (value !== undefined) list.push(value);
}

function readRelated(dependency: UnknownRecord): DcRelatedDependency[] {
  const related: DcRelatedDependency[] = [];
  for (const item of children(dependency.relatedDependencies, 'relatedDependency')) {
    if (!isRecord(item)) continue;
    const fileName = field(item, 'fileName');
    const filePath = field(item, 'filePath');
    if (fileName || filePath) related.push({ ...(fileName ? { fileName } : {}), ...(filePath ? { filePath } : {}) });
  }
  return related;
}

/** JSON capitalises the KEV keys (`DateAdded`), the XML template does not (`dateAdded`). */
function readKnownExploited(value: unknown): DcKnownExploited | undefined {
  if (!isRecord(value)) return undefined;
  const name = field(value, 'Name', 'name', 'VulnerabilityName', 'vulnerabilityName');
  const dateAdded = field(value, 'DateAdded', 'dateAdded');
  const dueDate = field(value, 'DueDate', 'dueDate');
  const requiredAction = collapse(field(value, 'RequiredAction', 'requiredAction'));
  return {
    ...(name ? { name } : {}),
    ...(dateAdded ? { dateAdded } : {}),
    ...(dueDate ? { dueDate } : {}),
    ...(requiredAction ? { requiredAction } : {}),
  };
}

function readCvss(vulnerability: UnknownRecord, source: string | undefined): CvssEntry[] {
  const entries: Array<CvssEntry | undefined> = [
    readCvssV4(vulnerability.cvssv4 ?? vulnerability.cvssV4, source),
    readCvssV3(vulnerability.cvssv3 ?? vulnerability.cvssV3, source),
    readCvssV2(vulnerability.cvssv2 ?? vulnerability.cvssV2, source),
  ];
  // The schema 1.x flat fields only count when no versioned block exists.
  if (!entries.some((e) => e !== undefined)) entries.push(readLegacyCvss(vulnerability, source));
  return entries.filter((e): e is CvssEntry => e !== undefined);
}

/** One `vulnerability` / `suppressedVulnerability`; undefined when it has no name (nothing to identify it by). */
export function readVulnerability(record: UnknownRecord, suppressed: boolean): DcVulnerability | undefined {
  const name = collapse(field(record, 'name'));
  if (!name) return undefined;
  const source = attribute(record, 'source');
  const severity = field(record, 'severity');
  const severityNode = record.severity;
  const unscored = flag(record.unscored) || (isRecord(severityNode) && flag(severityNode['@_unscored']));
  const cwes = [...children(record.cwes, 'cwe'), ...asArray(record.cwe)].map(text).filter((c): c is string => c !== undefined);
  const description = collapse(field(record, 'description'));
  const notes = collapse(field(record, 'notes'));
  const knownExploited = readKnownExploited(record.knownExploitedVulnerability);
  return {
    name,
    suppressed,
    ...(source ? { source } : {}),
    ...(severity ? { severity } : {}),
    unscored,
    cvss: readCvss(record, source),
    cwes,
    ...(description ? { description } : {}),
    ...(notes ? { notes } : {}),
    references: children(record.references, 'reference'),
    software: children(record.vulnerableSoftware, 'software'),
    ...(knownExploited ? { knownExploited } : {}),
  };
}

interface VulnerabilityCounts {
  skipped: number;
}

function readVulnerabilities(dependency: UnknownRecord, counts: VulnerabilityCounts): DcVulnerability[] {
  const active: unknown[] = [];
  const suppressed: unknown[] = [];
  // JSON: vulnerabilities[] and suppressedVulnerabilities[]; XML: vulnerabilities/{vulnerability, suppressedVulnerability}.
  for (const item of asArray(dependency.vulnerabilities)) {
    if (isRecord(item) && ('vulnerability' in item || 'suppressedVulnerability' in item)) {
      for (const v of asArray(item.vulnerability)) active.push(v);
      for (const v of asArray(item.suppressedVulnerability)) suppressed.push(v);
    } else {
      active.push(item);
    }
  }
  for (const v of children(dependency.suppressedVulnerabilities, 'suppressedVulnerability')) suppressed.push(v);
  const out: DcVulnerability[] = [];
  const add = (item: unknown, isSuppressed: boolean): void => {
    const vulnerability = isRecord(item) ? readVulnerability(item, isSuppressed) : undefined;
    if (vulnerability) out.push(vulnerability);
    else counts.skipped += 1;
  };
  for (const item of active) add(item, false);
  for (const item of suppressed) add(item, true);
  return out;
}

export function readDependency(record: UnknownRecord, counts: VulnerabilityCounts): DcDependency {
  const fileName = field(record, 'fileName');
  const filePath = field(record, 'filePath');
  const isVirtual = record.isVirtual === true || flag(attribute(record, 'isVirtual'));
  const sha256 = field(record, 'sha256');
  const vulnerabilities = readVulnerabilities(record, counts);
  // Most of a report's bytes, and needed by no finding of a dependency without vulnerabilities: dropped there.
  const evidence = vulnerabilities.length > 0 && record.evidenceCollected !== undefined && record.evidenceCollected !== '' ? JSON.stringify(record.evidenceCollected) : undefined;
  return {
    ...(fileName ? { fileName } : {}),
    ...(filePath ? { filePath } : {}),
    isVirtual,
    ...(sha256 ? { sha256 } : {}),
    ...readIdentifiers(record),
    related: readRelated(record),
    vulnerabilities,
    ...(evidence ? { evidence } : {}),
  };
}

export interface LocatedReport {
  /** The raw dependency entries, not yet read. */
  dependencies: unknown[];
  engineVersion?: string;
}

/** The dependency list and engine version, per format; a ReportError when the document has neither shape. */
export function locateDependencies(doc: ReportDocument): LocatedReport {
  const value = doc.value;
  if (doc.format === 'xml') {
    const root = isRecord(value) ? value.analysis : undefined;
    if (!isRecord(root)) throw new ReportError(doc.source, 'is not a Dependency-Check XML report (no <analysis> root element)');
    if (!('dependencies' in root)) throw new ReportError(doc.source, 'is not a Dependency-Check XML report (no <dependencies> element)');
    const engineVersion = isRecord(root.scanInfo) ? field(root.scanInfo, 'engineVersion') : undefined;
    return { dependencies: children(root.dependencies, 'dependency'), ...(engineVersion ? { engineVersion } : {}) };
  }
  if (!isRecord(value)) throw new ReportError(doc.source, 'is not a Dependency-Check JSON report (expected an object, got an array)');
  if (!Array.isArray(value.dependencies)) {
    throw new ReportError(doc.source, `is not a Dependency-Check JSON report ("dependencies" is ${value.dependencies === undefined ? 'missing' : 'not an array'})`);
  }
  const engineVersion = isRecord(value.scanInfo) ? field(value.scanInfo, 'engineVersion') : undefined;
  return { dependencies: value.dependencies, ...(engineVersion ? { engineVersion } : {}) };
}

export interface ReadCounts {
  skippedDependencies: number;
  skippedVulnerabilities: number;
}

/**
 * Reads dependency entries one at a time, so a big report never holds its whole normalised copy in memory:
 * each dependency becomes garbage as soon as its findings are built.
 */
export function* readDependencies(raw: readonly unknown[], counts: ReadCounts): Generator<DcDependency> {
  const vulnerabilityCounts = { skipped: 0 };
  for (const item of raw) {
    if (!isRecord(item)) {
      counts.skippedDependencies += 1;
      continue;
    }
    const dependency = readDependency(item, vulnerabilityCounts);
    counts.skippedVulnerabilities = vulnerabilityCounts.skipped;
    yield dependency;
  }
}

/** The whole report, normalised (for callers that want the model; the parser streams instead). */
export function readDependencyCheckReport(doc: ReportDocument): DcReport {
  const located = locateDependencies(doc);
  const counts: ReadCounts = { skippedDependencies: 0, skippedVulnerabilities: 0 };
  const dependencies = [...readDependencies(located.dependencies, counts)];
  return {
    ...(located.engineVersion ? { engineVersion: located.engineVersion } : {}),
    dependencies,
    ...counts,
  };
}
