/**
 * One normalised shape for Dependency-Check JSON (reportSchema 1.1) and XML (schemas 1.x to 4.x), so the mapping to
 * findings is written once. Readers fill it; nothing here knows about ASFF.
 */

export interface CvssEntry {
  /** Major CVSS version, from the block the score came from (cvssV2 / cvssV3 / cvssV4, legacy flat fields = 2). */
  major: 2 | 3 | 4;
  /** "2.0", "3.0", "3.1", "4.0"; undefined when the report does not say (v3 without `version`, legacy flat fields). */
  version?: string;
  baseScore?: number;
  /** `CVSS:3.1/AV:N/…`, `CVSS:4.0/…`, or an unprefixed vector when the version is unknown (v2 vectors have no prefix). */
  vector?: string;
  /** Who scored it: the v4 block's `source` (e.g. an email of the CNA), else the vulnerability's source. */
  source?: string;
  /** Schema 1.x flat `cvssScore`/`cvssAccessVector`… fields: no version stated, ranked after the severity word. */
  legacy?: boolean;
}

export interface DcIdentifier {
  id: string;
  confidence?: string;
}

/** One `vulnerableSoftware/software` entry: a CPE with the affected version range. */
export interface DcSoftware {
  cpe: string;
  /** DC's `vulnerabilityIdMatched="true"` (older: `matched`): the entry that matched this dependency. */
  matched: boolean;
  /** `vulnerable="false"` marks a platform condition, not affected software. */
  vulnerable: boolean;
  versionStartIncluding?: string;
  versionStartExcluding?: string;
  versionEndIncluding?: string;
  versionEndExcluding?: string;
}

/** CISA Known Exploited Vulnerabilities catalog entry. */
export interface DcKnownExploited {
  name?: string;
  dateAdded?: string;
  dueDate?: string;
  requiredAction?: string;
}

export interface DcVulnerability {
  /** CVE id, advisory number, OSS Index name or RetireJS text; never empty. */
  name: string;
  suppressed: boolean;
  /** NVD, OSSINDEX, RETIREJS, NPM… */
  source?: string;
  /** The report's severity word (HIGH, Moderate, lowercase RetireJS words, Unknown). */
  severity?: string;
  unscored: boolean;
  cvss: CvssEntry[];
  /** Raw CWE entries (CWE-79, NVD-CWE-Other, "CWE-400: …"). */
  cwes: string[];
  description?: string;
  /** Suppression reason for suppressed entries. */
  notes?: string;
  /**
   * Raw `references` entries (`{source, url, name}`) and raw `vulnerableSoftware` entries (JSON `software` objects,
   * XML `software` elements), containers already unwrapped. Kept raw because NVD lists run to hundreds per CVE and
   * only a few are ever looked at: the URLs up to a cap, and the CPEs when guessing the fixed version.
   */
  references: readonly unknown[];
  software: readonly unknown[];
  knownExploited?: DcKnownExploited;
}

export interface DcRelatedDependency {
  fileName?: string;
  filePath?: string;
}

export interface DcDependency {
  fileName?: string;
  filePath?: string;
  isVirtual: boolean;
  sha256?: string;
  /** Package URLs (`packages[]`, `identifiers/package`). */
  packages: DcIdentifier[];
  /** CPEs (`vulnerabilityIds[]`, `identifiers/vulnerabilityIds`, old `identifier[@type=cpe]`). */
  cpes: DcIdentifier[];
  /** Maven `group:artifact:version` (old `identifier[@type=maven]`). */
  mavenCoordinates: DcIdentifier[];
  related: DcRelatedDependency[];
  vulnerabilities: DcVulnerability[];
  /** `evidenceCollected` as JSON text, kept only for a dependency with vulnerabilities (evidence of its findings). */
  evidence?: string;
}

export interface DcReport {
  engineVersion?: string;
  dependencies: DcDependency[];
  /** Entries that were not objects or had no vulnerability name: counted for a warning. */
  skippedDependencies: number;
  skippedVulnerabilities: number;
}
