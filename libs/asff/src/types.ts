import type {
  AwsSecurityFinding,
  Resource,
  Vulnerability,
} from '@aws-sdk/client-securityhub';

export type { AwsSecurityFinding, Resource, Vulnerability };

export const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type SeverityLabel = (typeof SEVERITY_LABELS)[number];

/** The partitions Security Hub's Resource.Partition accepts. */
export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn';

/** Where findings are imported: the AWS account and Region the Lambda (or CLI) runs in. */
export interface AwsTarget {
  awsAccountId: string;
  region: string;
  partition: Partition;
}

/**
 * One scan of one tool over one repository branch. The scope (tool + repository + branch) is the unit of
 * deduplication and archiving: a finding missing from a later scan of the same scope is archived.
 */
export interface ScanScope extends AwsTarget {
  /** Canonical scope tool id, e.g. `dependency-check`, `sonarqube`, `phpstan`, `zap`, or a SARIF driver such as `semgrep`. */
  tool: string;
  repository: string;
  branch: string;
  /**
   * Tells apart several scans of one tool over one repository branch (Semgrep on the backend and on the frontend,
   * ZAP against two targets), as GitHub code scanning's `category`. Part of the scan identity: archiving happens
   * only within the same tool + repository + branch + category. Absent = today's scope and Ids.
   */
  category?: string;
  /**
   * The category was derived from the scanned target (DAST: its origin), not given: it scopes archiving but is
   * left out of the Ids, because DAST locations already name the URL; today's DAST Ids stay stable.
   */
  categoryFromTarget?: boolean;
  commit?: string;
  buildId?: string;
  /** Where the raw report is kept (s3://bucket/key or a file path); linked from each finding. */
  reportUri?: string;
  /**
   * Where whole evidence is stored (`s3://bucket/evidence/` or a directory, ending in `/`): a finding links each of
   * its evidence texts as `<location>sha256/<hex>`. Absent: the finding records the digest and size only.
   */
  evidenceLocation?: string;
  /** The URL that was scanned (DAST). */
  target?: string;
}

/**
 * How a finding stands in the tool's own report.
 * - ACTIVE: an open problem.
 * - SUPPRESSED: the tool (or a person, in the tool) accepted it: imported archived, Workflow SUPPRESSED, never counted.
 * - RESOLVED: the tool reports it closed/fixed: imported archived, never counted.
 */
export type DraftState = 'ACTIVE' | 'SUPPRESSED' | 'RESOLVED';

/**
 * What a parser produces: plain data about one problem, independent of AWS account, time and scope.
 * `buildFinding` turns it into an `AwsSecurityFinding`.
 */
export interface FindingDraft {
  /** Rule, check or vulnerability id (CVE-2021-44228, typescript:S5542, 10020). Part of the Id and GeneratorId. */
  ruleId: string;
  /**
   * Normalised location that, with ruleId, identifies the problem across scans: a package purl, a repo-relative
   * `path` (plus a disambiguator when needed), a site URL. Never a position in the report, a build id or a time.
   */
  location: string;
  /** Replaces rule + location in the Id hash when the tool has its own stable identity (Sonar key, SARIF fingerprint). */
  identity?: string;
  title: string;
  description: string;
  severity: { label: SeverityLabel; original: string };
  /** ASFF Types; defaults to `Software and Configuration Checks/Vulnerabilities`. */
  types?: string[];
  /** Resources without Partition/Region; filled in by buildFinding. At least one; more than 32 are cut with a count. */
  resources: Resource[];
  vulnerabilities?: Vulnerability[];
  remediation?: { text?: string; url?: string };
  /** Tool-specific fields; keys are prefixed by buildFinding unless they already contain a '/'. */
  productFields?: Record<string, string | undefined>;
  state?: DraftState;
  /** Why the tool suppressed or closed it (shown in the description and ProductFields). */
  stateReason?: string;
  /** Deep link to the finding in the tool's own UI. */
  sourceUrl?: string;
  /** 0-100 */
  confidence?: number;
  /**
   * Whole texts the finding cannot carry (a ZAP alert's 1.5 MB other info, the requests and responses of its
   * instances): stored whole beside the report, linked from ProductFields, and part of the content hash.
   */
  evidence?: EvidenceText[];
}

export interface EvidenceText {
  /** One word, e.g. `OtherInfo`, `Requests`: the ProductFields key is `devsecops/Evidence/<name>`. */
  name: string;
  text: string;
  /** Media type of the stored object (default text/plain; charset=utf-8). */
  contentType?: string;
}

/** What a parser returns for one report. */
export interface ParsedReport {
  /** Scope tool id (see ScanScope.tool). */
  tool: string;
  toolVersion?: string;
  drafts: FindingDraft[];
  /** Things a person should know: defaulted severities, skipped entries, inconsistent counts. */
  warnings: string[];
  /**
   * Set when the tool says its scan did not complete (SARIF `executionSuccessful: false`): why. The gate fails
   * closed, since missing results are not a clean result, and the import archives nothing.
   */
  incomplete?: string;
  /** Tool-specific counts for the summary, e.g. { dependencies: 92, suppressed: 2 }. */
  stats?: Record<string, number>;
}

export interface FindingProblem {
  path: string;
  message: string;
}
