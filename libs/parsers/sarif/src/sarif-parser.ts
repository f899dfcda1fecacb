import { hash } from 'node:crypto';
import { nonEmpty, severityRank, truncate, LIMITS, type FindingDraft, type ParsedReport, type Vulnerability } from '@devsecops/asff';
import { ReportError, repoPaths, type ParseOptions, type RepoPaths, type ReportDocument, type ReportParser, type StreamingJsonParser, type StreamingParse } from '@devsecops/report-input';
import { makeIdsUnique } from './unique-ids';
import { fingerprintOf } from './fingerprints';
import { arrayAt, isArray, isObject, multiformatText, objectAt, textAt, type JsonObject } from './json';
import { readUnresolvedLocation, resolveLocation, type FoundLocation, type UnresolvedLocation } from './locations';
import { resultMessage } from './message';
import { RunRules, type RuleFacts } from './rules';
import { CODE_QUALITY_MAX_SEVERITY, CODE_QUALITY_TYPE, isCodeQualityRule, trivyPackageOf, type TrivyPackage } from './quality';
import { sarifSeverity } from './severity';
import { cveOf, resultCwes } from './taxonomy';
import { reportToolId, toolSlug } from './tool-slug';

/** Rule id for results that name no rule at all. */
export const NO_RULE = 'sarif.result';
/** Location of a result without any location. */
export const NO_LOCATION = 'no-location';

interface Driver {
  name?: string;
  version?: string;
}

/** What one result says, shared by the findings of its locations. */
interface ReadResult {
  driver: Driver;
  ruleId: string;
  facts: RuleFacts;
  message: string;
  /** The first fix's description. */
  fix?: string;
  baselineState?: string;
  fingerprint?: string;
  severity: { label: FindingDraft['severity']['label']; original: string };
  level: string;
  suppression: Suppression;
  cwes: readonly string[];
}

/** One result at one of its locations, read in the first pass; paths are made repo-relative in the second. */
interface Pending {
  read: ReadResult;
  /** Resolved when the run is complete (its artifacts and uriBase ids may follow its results); `unresolved` until then. */
  location: FoundLocation;
  unresolved?: UnresolvedLocation;
  /** Position among the result's locations: the fingerprint describes the first one. */
  locationIndex: number;
}

interface Suppression {
  state?: 'SUPPRESSED' | 'RESOLVED';
  reason?: string;
  kind?: string;
  status?: string;
}

interface Collected {
  pending: Pending[];
  drivers: Driver[];
  warnings: string[];
  /** Drivers of runs that report executionSuccessful=false. */
  incomplete: string[];
  stats: { runs: number; results: number; skippedNotFail: number; skippedMalformed: number; suppressed: number; resolved: number };
}

function driverOf(run: JsonObject): Driver {
  const driver = objectAt(objectAt(run, 'tool'), 'driver');
  return { name: textAt(driver, 'name')?.trim(), version: (textAt(driver, 'version') ?? textAt(driver, 'semanticVersion'))?.trim() };
}

/**
 * SARIF §3.27.23: absent or [] = not suppressed; otherwise suppressed when any suppression is `accepted` or has no
 * status (`underReview` and `rejected` are not). baselineState `absent` = gone since the baseline: resolved.
 */
function suppressionOf(result: JsonObject): Suppression {
  const suppressions = arrayAt(result, 'suppressions').filter(isObject);
  const accepted = suppressions.find((s) => {
    const status = textAt(s, 'status');
    return status === undefined || status.toLowerCase() === 'accepted';
  });
  if (accepted) {
    const kind = textAt(accepted, 'kind');
    return { state: 'SUPPRESSED', reason: textAt(accepted, 'justification')?.trim() ?? `suppressed ${kind ?? 'in the tool'}`, kind, status: textAt(accepted, 'status') };
  }
  if (textAt(result, 'baselineState') === 'absent') return { state: 'RESOLVED', reason: 'absent from this run (baselineState absent)' };
  return { status: suppressions.length > 0 ? textAt(suppressions[0], 'status') : undefined };
}

/** True when the run says it did not complete. */
function checkInvocations(run: JsonObject, driver: Driver, warnings: string[]): boolean {
  if (arrayAt(run, 'invocations').some((inv) => isObject(inv) && inv['executionSuccessful'] === false)) {
    warnings.push(`${driver.name ?? 'a SARIF run'} reports executionSuccessful=false: its results may be incomplete`);
    return true;
  }
  return false;
}

/** A run being read: its driver and rules, as of its first result; `from` is the index of its first Pending. */
interface RunState {
  run: JsonObject;
  driver: Driver;
  rules: RunRules;
  from: number;
}

const NOT_READ: FoundLocation = { isFilePath: false };

function readResult(result: JsonObject, { rules, driver }: RunState, out: Collected, problems: Set<string>): void {
  const found = rules.find(result);
  const facts = rules.factsOf(found.rule);
  const ruleId = nonEmpty(found.ruleId, NO_RULE);
  const level = result['level'] ?? facts.defaultLevel;
  const { problem, ...severity } = sarifSeverity({ securitySeverity: facts.securitySeverity, level });
  if (problem) problems.add(`${ruleId}: ${problem}`);
  const message = resultMessage(result['message'], found.rule, found.component) ?? facts.shortDescription ?? facts.fullDescription ?? facts.name ?? ruleId;
  const suppression = suppressionOf(result);
  if (suppression.state === 'SUPPRESSED') out.stats.suppressed += 1;
  if (suppression.state === 'RESOLVED') out.stats.resolved += 1;
  const fingerprint = fingerprintOf(result);
  const cwes = resultCwes(facts.cwes, result);
  const locations = arrayAt(result, 'locations');
  const fix = arrayAt(result, 'fixes').map((f) => multiformatText(objectAt(f, 'description'))).find((t) => t !== undefined);
  const read: ReadResult = { driver, ruleId, facts, message, fix, baselineState: textAt(result, 'baselineState'), fingerprint, severity, level: typeof level === 'string' ? level : 'warning', suppression, cwes };
  if (locations.length === 0) {
    out.pending.push({ read, location: NOT_READ, unresolved: readUnresolvedLocation(undefined), locationIndex: 0 });
    return;
  }
  for (let i = 0; i < locations.length; i += 1) out.pending.push({ read, location: NOT_READ, unresolved: readUnresolvedLocation(locations[i]), locationIndex: i });
}

/** The log's runs; the errors of a document that is not a SARIF 2.1.0 log. */
function runsOf(log: unknown, source: string): unknown[] {
  if (!isObject(log) || !isArray(log['runs'])) throw new ReportError(source, 'is not a SARIF log (expected an object with a "runs" list)');
  const version = log['version'];
  if (version !== undefined && version !== '2.1.0') throw new ReportError(source, `is SARIF version ${typeof version === 'string' ? JSON.stringify(version.slice(0, 40)) : `of type ${Array.isArray(version) ? 'array' : typeof version}`}; only 2.1.0 is supported`);
  return log['runs'];
}

function checkRun(run: unknown, runIndex: number, source: string): JsonObject {
  if (!isObject(run)) throw new ReportError(source, `runs[${runIndex}] is not an object`);
  const results = run['results'];
  if (results !== undefined && results !== null && !isArray(results)) throw new ReportError(source, `runs[${runIndex}].results is not a list`);
  return run;
}

/**
 * The first pass, one result at a time: shared by the in-memory parse and the streamed one (results as they are
 * read, each run's other members complete only at its end), so both give the same drafts, warnings and stats.
 */
class SarifCollector {
  private readonly out: Collected = { pending: [], drivers: [], warnings: [], incomplete: [], stats: { runs: 0, results: 0, skippedNotFail: 0, skippedMalformed: 0, suppressed: 0, resolved: 0 } };
  private readonly problems = new Set<string>();

  /** Results are read with the run's `tool` as it is now: complete, or absent for good. */
  beginRun(run: JsonObject): RunState {
    return { run, driver: driverOf(run), rules: new RunRules(run), from: this.out.pending.length };
  }

  addResult(result: unknown, state: RunState): void {
    if (!isObject(result)) {
      this.out.stats.skippedMalformed += 1;
      return;
    }
    this.out.stats.results += 1;
    const kind = result['kind'];
    // pass, open, informational, notApplicable, review: not a problem found.
    if (kind !== undefined && kind !== 'fail') {
      this.out.stats.skippedNotFail += 1;
      return;
    }
    readResult(result, state, this.out, this.problems);
  }

  /** The run is complete: its results' locations are resolved against its artifacts and originalUriBaseIds. */
  endRun({ run, from }: RunState): void {
    const pending = this.out.pending;
    for (let i = from; i < pending.length; i += 1) {
      const entry = pending[i]!;
      entry.location = resolveLocation(entry.unresolved!, run);
      entry.unresolved = undefined;
    }
  }

  /** Counts a complete run, in document order. */
  countRun(run: JsonObject, runIndex: number, driver: Driver): void {
    const out = this.out;
    out.drivers.push(driver);
    out.stats.runs += 1;
    if (checkInvocations(run, driver, out.warnings)) out.incomplete.push(driver.name ?? `runs[${runIndex}]`);
  }

  finish(): Collected {
    const out = this.out;
    if (out.stats.skippedMalformed > 0) out.warnings.push(`skipped ${out.stats.skippedMalformed} result(s) that are not objects`);
    const listed = [...this.problems];
    out.warnings.push(...listed.slice(0, 20));
    if (listed.length > 20) out.warnings.push(`… and ${listed.length - 20} more severity problems`);
    return out;
  }
}

/** Reads a run's results from the run itself (in memory, or a streamed run's that were kept until its end). */
function collectRun(collector: SarifCollector, run: JsonObject, results: readonly unknown[]): RunState {
  const state = collector.beginRun(run);
  for (const result of results) collector.addResult(result, state);
  collector.endRun(state);
  return state;
}

function collect(doc: ReportDocument): Collected {
  const runs = runsOf(doc.value, doc.source);
  const collector = new SarifCollector();
  runs.forEach((entry, runIndex) => {
    const run = checkRun(entry, runIndex, doc.source);
    const state = collectRun(collector, run, (run['results'] as unknown[] | null | undefined) ?? []);
    collector.countRun(run, runIndex, state.driver);
  });
  return collector.finish();
}

/** Where a finding is: repo path, else logical location, else nothing. */
interface Place {
  path?: string;
  /** `path:line`, for titles and descriptions. */
  where?: string;
  /** Normalised location that identifies the finding with its rule: path + snippet digest, or path:startLine. */
  key: string;
}

function placeOf(location: FoundLocation, paths: RepoPaths): Place {
  const path = location.rawPath === undefined ? undefined : location.isFilePath ? paths.toRepo(location.rawPath) : location.rawPath;
  if (path === undefined) return { where: location.logical, key: location.logical ?? NO_LOCATION };
  const where = location.startLine !== undefined ? `${path}:${location.startLine}` : path;
  const snippet = location.snippet?.replace(/\s+/g, ' ').trim();
  return { path, where, key: snippet ? `${path}#${hash('sha256', snippet).slice(0, 16)}` : where };
}

/** `message (path:line)`, the message shortened so the location always fits in the 256-character Title. */
function titleFor(message: string, where: string | undefined): string {
  const text = nonEmpty(message, 'SARIF result');
  if (!where) return truncate(text, LIMITS.title);
  const suffix = ` (${where})`;
  const room = LIMITS.title - suffix.length;
  return room < 40 ? truncate(`${text}${suffix}`, LIMITS.title) : `${truncate(text, room, '…')}${suffix}`;
}

function describe(r: ReadResult, location: FoundLocation, place: Place): string {
  let text = r.message;
  if (place.where) text += `\nLocation: ${place.where}${place.path && location.logical ? ` (${location.logical})` : ''}`;
  if (location.message && location.message !== r.message) text += `\nAt this location: ${location.message}`;
  if (location.snippet) text += `\nSnippet: ${truncate(location.snippet.replace(/\s+/g, ' ').trim(), 300, '…')}`;
  text += `\nRule: ${r.ruleId}${r.facts.shortDescription ? ` - ${r.facts.shortDescription}` : ''}`;
  const full = r.facts.fullDescription;
  if (full && full !== r.facts.shortDescription && full !== r.message) text += `\n${full}`;
  if (r.cwes.length > 0) text += `\nCWE: ${r.cwes.join(', ')}`;
  return text;
}

function remediationOf(r: ReadResult): FindingDraft['remediation'] {
  const text = r.fix ?? r.facts.helpText;
  const url = r.facts.helpUri;
  if (!text && !url) return undefined;
  const remediation: NonNullable<FindingDraft['remediation']> = {};
  if (text) remediation.text = nonEmpty(text, '');
  if (url) remediation.url = url;
  return remediation;
}

function detailsOf(place: Place, location: FoundLocation): Record<string, string> {
  const details: Record<string, string> = {};
  if (place.path !== undefined) details['path'] = truncate(place.path, LIMITS.detailsOtherValue);
  if (location.startLine !== undefined) details['startLine'] = `${location.startLine}`;
  if (location.endLine !== undefined) details['endLine'] = `${location.endLine}`;
  if (location.startColumn !== undefined) details['startColumn'] = `${location.startColumn}`;
  if (location.logical !== undefined) details['logicalLocation'] = truncate(location.logical, LIMITS.detailsOtherValue);
  if (location.snippet !== undefined) details['snippet'] = truncate(location.snippet, LIMITS.detailsOtherValue);
  return details;
}

function vulnerabilityOf(cve: string, r: ReadResult, pkg: TrivyPackage | undefined): Vulnerability {
  const vulnerability: Vulnerability = r.facts.helpUri ? { Id: cve, ReferenceUrls: [r.facts.helpUri] } : { Id: cve };
  if (!pkg) return vulnerability;
  const affected: NonNullable<Vulnerability['VulnerablePackages']>[number] = { Name: truncate(pkg.name, 1024, '…'), Version: truncate(pkg.installedVersion, 256, '…') };
  if (pkg.fixedVersion) {
    affected.FixedInVersion = truncate(pkg.fixedVersion, 256, '…');
    affected.Remediation = truncate(`Upgrade ${pkg.name} to ${pkg.fixedVersion} or later.`, 1024);
    // YES needs FixedInVersion and Remediation on every vulnerable package (asff.md §5); one here.
    vulnerability.FixAvailable = 'YES';
  }
  vulnerability.VulnerablePackages = [affected];
  return vulnerability;
}

function toDraft({ read: r, location, locationIndex }: Pending, paths: RepoPaths, options: ParseOptions): FindingDraft {
  const place = placeOf(location, paths);
  const cve = cveOf(r.ruleId);
  const securitySeverity = r.facts.securitySeverity;
  const pkg = cve ? (trivyPackageOf(r.message) ?? trivyPackageOf(r.facts.helpText)) : undefined;
  const quality = !options.qualityRulesAsSecurity && isCodeQualityRule({ ruleId: r.ruleId, driverName: r.driver.name, facts: r.facts, cwes: r.cwes, cve });
  const label = quality && severityRank(r.severity.label) > severityRank(CODE_QUALITY_MAX_SEVERITY) ? CODE_QUALITY_MAX_SEVERITY : r.severity.label;
  const draft: FindingDraft = {
    ruleId: r.ruleId,
    location: place.key,
    title: pkg && cve ? truncate(`${pkg.name}@${pkg.installedVersion}: ${cve}`, LIMITS.title, '…') : titleFor(r.message, place.where),
    description: describe(r, location, place),
    severity: { label, original: r.severity.original },
    // No file: the repository itself is the resource (buildFinding puts the scope's repository in an empty Id).
    resources: [{ Type: 'Other', Id: place.path ?? location.logical ?? '', Details: { Other: detailsOf(place, location) } }],
    productFields: {
      tool: r.driver.name,
      toolVersion: r.driver.version,
      ruleName: r.facts.name !== r.ruleId ? r.facts.name : undefined,
      level: r.level,
      securitySeverity: securitySeverity !== undefined && securitySeverity !== null ? `${securitySeverity}` : undefined,
      cwe: r.cwes.length > 0 ? r.cwes.join(', ') : undefined,
      cve,
      tags: r.facts.tags.length > 0 ? r.facts.tags.join(', ') : undefined,
      precision: r.facts.precision,
      line: location.startLine !== undefined ? `${location.startLine}` : undefined,
      fingerprint: r.fingerprint,
      baselineState: r.baselineState,
      suppressionKind: r.suppression.kind,
      suppressionStatus: r.suppression.status,
      category: quality ? 'code-quality' : undefined,
      Package: pkg ? `${pkg.name}@${pkg.installedVersion}` : undefined,
      FixedInVersion: pkg?.fixedVersion,
    },
  };
  if (quality) draft.types = [CODE_QUALITY_TYPE];
  if (r.fingerprint !== undefined) {
    // Tools hash the code, not always its file (CodeQL's line hash is per file, so copied code repeats it): the
    // repo path joins rule and fingerprint, as GitHub keys alerts by path too. Later locations add their own place.
    draft.identity = `${r.ruleId}|${place.path ?? place.key}|${r.fingerprint}${locationIndex > 0 ? `|${place.key}` : ''}`;
  }
  if (cve) {
    draft.types = ['Software and Configuration Checks/Vulnerabilities/CVE'];
    draft.vulnerabilities = [vulnerabilityOf(cve, r, pkg)];
  }
  const remediation = pkg?.fixedVersion ? { text: `Upgrade ${pkg.name} to ${pkg.fixedVersion} or later.`, ...(r.facts.helpUri ? { url: r.facts.helpUri } : {}) } : remediationOf(r);
  if (remediation) draft.remediation = remediation;
  if (r.suppression.state) {
    draft.state = r.suppression.state;
    draft.stateReason = r.suppression.reason;
  }
  return draft;
}

function toolVersionOf(drivers: readonly Driver[]): string | undefined {
  const versions = new Set(drivers.map((d) => `${toolSlug(d.name)}@${d.version ?? ''}`));
  return versions.size === 1 ? drivers[0]!.version : undefined;
}

/**
 * Result members no finding uses (SARIF §3.27): never assembled while streaming. Data flows, related locations and
 * stacks are most of a CodeQL report's bytes.
 */
const UNUSED_RESULT_KEYS = ['codeFlows', 'relatedLocations', 'stacks', 'graphs', 'graphTraversals', 'webRequest', 'webResponse', 'attachments', 'provenance', 'workItemUris'];

/** What `detect` looks at, on the members before `runs` (a Semgrep log writes `version` after them, `$schema` before). */
function claimsSarif(root: unknown): boolean {
  if (!isObject(root)) return false;
  const schema = root['$schema'];
  return root['version'] === '2.1.0' || (typeof schema === 'string' && /sarif/i.test(schema));
}

/**
 * SARIF as a stream: each run's `results` one at a time. A run's `tool` usually comes before its results (CodeQL,
 * Trivy, ESLint); its results are then read as they arrive, only their locations waiting for the run's end (its
 * `artifacts` and `originalUriBaseIds` may follow). When results come first (Semgrep), they are kept, without their
 * unused members, until the run is complete.
 */
function sarifStreaming(): StreamingJsonParser {
  return {
    itemsPath: ['runs', '*', 'results'],
    skipItemKeys: UNUSED_RESULT_KEYS,
    detachStrings: true,
    claims: claimsSarif,
    begin(source: string, options: ParseOptions = {}): StreamingParse {
      const collector = new SarifCollector();
      const streamed = new Map<JsonObject, RunState>();
      let current: { run: JsonObject; state?: RunState; kept?: unknown[] } | undefined;
      /** The current run is complete once the next one's results start, or the document ends. */
      const endCurrent = (): void => {
        if (!current) return;
        const state = current.kept ? collectRun(collector, current.run, current.kept) : current.state!;
        if (current.state) collector.endRun(state);
        streamed.set(current.run, state);
        current = undefined;
      };
      return {
        item(value, _path, container) {
          const run = container as JsonObject;
          if (current?.run !== run) {
            endCurrent();
            current = 'tool' in run ? { run, state: collector.beginRun(run) } : { run, kept: [] };
          }
          if (current.state) collector.addResult(value, current.state);
          else current.kept!.push(value);
        },
        finish(doc) {
          endCurrent();
          runsOf(doc.value, source).forEach((entry, runIndex) => {
            const run = checkRun(entry, runIndex, source);
            // A run without results was never streamed (its empty or null list is still in the skeleton).
            const state = streamed.get(run) ?? collectRun(collector, run, (run['results'] as unknown[] | null | undefined) ?? []);
            collector.countRun(run, runIndex, state.driver);
          });
          return convert(collector.finish(), options);
        },
      };
    },
  };
}

/** SARIF 2.1.0 from any tool: one finding per result and location, the tool named by its driver. */
export const sarifParser: ReportParser = {
  id: 'sarif',
  displayName: 'SARIF',

  detect(doc: ReportDocument): boolean {
    const value = doc.value;
    if (doc.format !== 'json' || !isObject(value) || !isArray(value['runs'])) return false;
    const schema = value['$schema'];
    return value['version'] === '2.1.0' || (typeof schema === 'string' && /sarif/i.test(schema));
  },

  parse(doc: ReportDocument, options: ParseOptions = {}): ParsedReport {
    return convert(collect(doc), options);
  },

  streaming: sarifStreaming(),
};

function convert(collected: Collected, options: ParseOptions): ParsedReport {
  const paths = repoPaths(
    collected.pending.flatMap((p) => (p.location.isFilePath && p.location.rawPath !== undefined ? [p.location.rawPath] : [])),
    options.sourceRoots ?? [],
  );
  const drafts = collected.pending.map((p) => toDraft(p, paths, options));
  const renamed = makeIdsUnique(drafts, (i) => collected.pending[i]!.read.message);
  if (renamed.byMessage > 0) {
    collected.warnings.push(
      `${renamed.byMessage} finding(s) shared rule and location: told apart by a digest of their message${renamed.byOrder > 0 ? `, ${renamed.byOrder} of them also by report order` : ''}`,
    );
  }
  return {
    tool: reportToolId(collected.drivers.map((d) => d.name)),
    toolVersion: toolVersionOf(collected.drivers),
    drafts,
    warnings: collected.warnings,
    ...(collected.incomplete.length > 0 ? { incomplete: `${collected.incomplete.join(', ')} reported executionSuccessful=false` } : {}),
    stats: { ...collected.stats, findings: drafts.length },
  };
}
