import { severityRank, type AwsSecurityFinding, type Partition, type SeverityLabel } from '@devsecops/asff';
import { findingConsoleUrl } from '@devsecops/aws-conventions';
import type { EpssScores, KevCatalog } from './exploits';
import { factsOf, type FindingFacts } from './facts';
import { describeMatch, entryAppliesTo, entryLabel, entryMatches, expiresAt, isExpired, type SuppressionEntry, type SuppressionProblem } from './suppressions';

export type GateMode = 'all' | 'new';
export type FailOn = SeverityLabel | 'NONE';
export type WorkflowStatus = 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED';

/**
 * A customer decision held by Security Hub for one finding (a structural subset of @devsecops/securityhub's
 * FindingState: the importer's read-back, or the ledger, fills it).
 */
export interface Decision {
  workflowStatus: WorkflowStatus;
  note?: { text: string; updatedBy: string; updatedAt: string };
  createdAt?: string;
  firstObservedAt?: string;
}

/** Note.UpdatedBy of the decisions the gate writes; lets it tell its own suppressions from a person's. */
export const GATE_NOTE_AUTHOR = 'devsecops-suppressions';
export const NOTE_TEXT_LIMIT = 512;
export const EXPIRING_WITHIN_DAYS = 14;
const DAY_MS = 86_400_000;

export interface GateOptions {
  /** Severity threshold; NONE (or undefined) turns the threshold off (KEV, EPSS and SLA rules still apply). */
  failOn?: FailOn;
  mode?: GateMode;
  /** `new` mode: fingerprints of the findings open on the base branch. */
  baseOpen?: ReadonlySet<string>;
  baseBranch?: string;
  /** `new` mode: why the base branch could not be read (fails closed unless onDecisionReadError is ignore). */
  baseUnavailable?: string;
  /** Per severity, days an existing finding may stay open. */
  slaDays?: Partial<Record<SeverityLabel, number>>;
  kev?: KevCatalog;
  /** KEV findings block at any severity (default true). */
  failOnKev?: boolean;
  epss?: EpssScores;
  /** Block findings whose EPSS score is at or above this (0–1). */
  failOnEpss?: number;
  /** Suppressions from the repository (suppressions files, OpenVEX); `undefined` = none were given. */
  suppressions?: readonly SuppressionEntry[];
  suppressionProblems?: readonly SuppressionProblem[];
  /** Security Hub's decisions by finding Id; undefined = not consulted (offline `findings gate`). */
  decisions?: ReadonlyMap<string, Decision>;
  /** Why the decisions could not be read. */
  decisionsUnavailable?: string;
  onDecisionReadError?: 'fail' | 'ignore';
  /** Ids whose content changed in this import: a RESOLVED decision no longer holds for them. */
  changedIds?: ReadonlySet<string>;
  /** The scan says it did not complete: never a clean result. */
  incomplete?: string;
  now: Date;
  /** For console links; else each finding's Region. */
  region?: string;
  partition?: Partition;
}

export type BlockReasonKind = 'threshold' | 'KEV' | 'EPSS' | 'SLA';

export interface BlockReason {
  kind: BlockReasonKind;
  detail: string;
}

export interface ListedFinding {
  id: string;
  severity: SeverityLabel;
  tool: string;
  rule: string;
  title: string;
  location: string;
  consoleUrl: string;
  firstObservedAt?: string;
  ageDays?: number;
  /** `new` mode: not open on the base branch. Always true in `all` mode. */
  new: boolean;
  kev: boolean;
  epss?: number;
  severityNote?: string;
}

export interface BlockingFinding extends ListedFinding {
  reasons: BlockReason[];
}

export interface SuppressedFinding extends ListedFinding {
  /** Who decided: the entry's owner, or Note.UpdatedBy in Security Hub. */
  by: string;
  /** The reason: the entry's reason, or the Note's text. */
  note: string;
  /** `file:line` of the entry; `security-hub` for a decision taken there; `resolved` for RESOLVED in Security Hub. */
  source: string;
  expires?: string;
  expiringSoon: boolean;
}

/** A BatchUpdateFindings change the gate's decisions need in Security Hub. */
export interface DecisionUpdate {
  id: string;
  productArn: string;
  status: 'SUPPRESSED' | 'NEW';
  note: string;
}

export interface GateVerdict {
  passed: boolean;
  failOn: FailOn;
  mode: GateMode;
  baseBranch?: string;
  /** Number of blocking findings. */
  blocking: number;
  /** Blocking findings, most severe first, then oldest. */
  findings: BlockingFinding[];
  /** Active findings that do not block. */
  nonBlocking: number;
  /** `new` mode: active findings already open on the base branch. */
  existing: number;
  suppressed: SuppressedFinding[];
  /** Findings whose suppression expired (or was removed from the file): re-opened. */
  reopened: (ListedFinding & { why: string })[];
  staleSuppressions: { source: string; match: string; owner: string }[];
  invalidSuppressions: SuppressionProblem[];
  /** Reasons the gate fails without a finding to blame (fail closed). */
  problems: string[];
  /** Changes to make in Security Hub so that it shows the repository's decisions. */
  updates: DecisionUpdate[];
  summary: string;
}

function ageDays(firstObservedAt: string | undefined, now: Date): number | undefined {
  const at = firstObservedAt ? Date.parse(firstObservedAt) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, Math.floor((now.getTime() - at) / DAY_MS));
}

function noteText(text: string): string {
  return text.length <= NOTE_TEXT_LIMIT ? text : `${text.slice(0, NOTE_TEXT_LIMIT - 1)}…`;
}

export function suppressionNote(entry: SuppressionEntry): string {
  const at = `${entryLabel(entry)}${entry.commit ? `@${entry.commit.slice(0, 12)}` : ''}`;
  const expiry = entry.expires ? ` · expires ${entry.expires}` : '';
  return noteText(`Suppressed by ${at}: ${entry.reason} · owner ${entry.owner}${expiry}`);
}

/** Archived findings (closed or suppressed in the tool, or gone) never count. */
function isCountable(facts: FindingFacts): boolean {
  return facts.recordState === 'ACTIVE';
}

const WORKFLOW: readonly string[] = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'];

/** A finding read from Security Hub carries its own decision; a finding just built carries none. */
function ownDecision(facts: FindingFacts): Decision | undefined {
  if (!facts.workflowStatus || !WORKFLOW.includes(facts.workflowStatus)) return undefined;
  return { workflowStatus: facts.workflowStatus as WorkflowStatus, ...(facts.note ? { note: facts.note } : {}) };
}

/**
 * The one gate: which findings of a scan block, and why. Pure; every input comes from the caller.
 * Order of decisions for each active finding:
 * 1. a repository suppression (file entry or OpenVEX statement) in force → suppressed (and SUPPRESSED in Security Hub);
 * 2. Security Hub's SUPPRESSED → suppressed, unless it was the gate's own and its entry expired or was removed;
 *    RESOLVED while the content is unchanged → not blocking;
 * 3. otherwise it blocks for each rule it breaks: threshold (new findings only in `new` mode), KEV, EPSS, SLA.
 */
export function evaluateGate(findings: readonly AwsSecurityFinding[], options: GateOptions): GateVerdict {
  const mode = options.mode ?? 'all';
  const failOn = options.failOn ?? 'NONE';
  const threshold = failOn === 'NONE' ? Number.POSITIVE_INFINITY : severityRank(failOn);
  const now = options.now;
  const soon = now.getTime() + EXPIRING_WITHIN_DAYS * DAY_MS;
  const failOnKev = options.failOnKev ?? true;
  const problems: string[] = [];
  if (options.incomplete) problems.push(`scan incomplete: ${options.incomplete}`);
  const failClosed = (options.onDecisionReadError ?? 'fail') === 'fail';
  if (options.decisionsUnavailable && failClosed) problems.push(`Security Hub's decisions could not be read: ${options.decisionsUnavailable}`);
  let baseOpen = options.baseOpen;
  if (mode === 'new' && baseOpen === undefined) {
    const why = options.baseUnavailable ?? 'no base branch findings given';
    if (failClosed) problems.push(`the base branch ${options.baseBranch ?? ''} could not be read: ${why}`.replace('  ', ' '));
    baseOpen = new Set();
  }
  const entries = options.suppressions ?? [];
  const matched = new Set<SuppressionEntry>();
  const all = findings.map(factsOf);
  const listed = (facts: FindingFacts, isNew: boolean): ListedFinding => {
    const decision = options.decisions?.get(facts.id);
    const first = decision?.firstObservedAt ?? facts.firstObservedAt ?? decision?.createdAt;
    const age = ageDays(first, now);
    const kev = facts.exploitAvailable || facts.cves.some((c) => options.kev?.entries.has(c));
    const epssScores = facts.cves.map((c) => options.epss?.scores.get(c)?.epss).filter((s): s is number => s !== undefined);
    const epss = epssScores.length > 0 ? Math.max(...epssScores) : facts.epssScore;
    return {
      id: facts.id,
      severity: facts.severity,
      tool: facts.tool,
      rule: facts.rule,
      title: facts.title,
      location: facts.where,
      consoleUrl: findingConsoleUrl(facts.id, options.region ?? facts.region ?? 'us-east-1', options.partition ?? 'aws'),
      ...(first ? { firstObservedAt: first } : {}),
      ...(age !== undefined ? { ageDays: age } : {}),
      new: isNew,
      kev,
      ...(epss !== undefined ? { epss } : {}),
      ...(facts.severityNote ? { severityNote: facts.severityNote } : {}),
    };
  };

  const blocking: BlockingFinding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const reopened: GateVerdict['reopened'] = [];
  const updates: DecisionUpdate[] = [];
  let existing = 0;
  let nonBlocking = 0;
  for (const facts of all) {
    if (!isCountable(facts)) continue;
    const isNew = mode === 'all' || !baseOpen!.has(facts.fingerprint);
    const hits = entries.filter((e) => entryMatches(e.match, facts));
    for (const hit of hits) matched.add(hit);
    const inForce = hits.find((e) => !isExpired(e, now));
    const expired = hits.find((e) => isExpired(e, now));
    const decision = options.decisions?.get(facts.id) ?? ownDecision(facts);
    const item = listed(facts, isNew);
    if (inForce) {
      const note = suppressionNote(inForce);
      if (options.decisions && decision?.workflowStatus !== 'SUPPRESSED') updates.push({ id: facts.id, productArn: facts.productArn, status: 'SUPPRESSED', note });
      suppressed.push({
        ...item,
        by: inForce.owner,
        note: inForce.reason,
        source: entryLabel(inForce),
        ...(inForce.expires ? { expires: inForce.expires } : {}),
        expiringSoon: expiresAt(inForce) < soon,
      });
      continue;
    }
    if (decision?.workflowStatus === 'SUPPRESSED') {
      const ours = decision.note?.updatedBy === GATE_NOTE_AUTHOR;
      const lifted = ours && (expired !== undefined || options.suppressions !== undefined);
      if (!lifted) {
        suppressed.push({ ...item, by: decision.note?.updatedBy || 'unknown', note: decision.note?.text ?? '', source: 'security-hub', expiringSoon: false });
        continue;
      }
      const why = expired
        ? `Suppression expired on ${expired.expires} (${entryLabel(expired)}, owner ${expired.owner}): re-opened by the gate.`
        : 'Suppression no longer listed in the repository: re-opened by the gate.';
      updates.push({ id: facts.id, productArn: facts.productArn, status: 'NEW', note: noteText(why) });
      reopened.push({ ...item, why });
    } else if (expired) {
      reopened.push({ ...item, why: `Suppression expired on ${expired.expires} (${entryLabel(expired)}, owner ${expired.owner}).` });
    } else if (decision?.workflowStatus === 'RESOLVED') {
      if (!options.changedIds?.has(facts.id)) {
        suppressed.push({ ...item, by: decision.note?.updatedBy || 'unknown', note: decision.note?.text ?? 'RESOLVED in Security Hub', source: 'resolved', expiringSoon: false });
        continue;
      }
      updates.push({ id: facts.id, productArn: facts.productArn, status: 'NEW', note: 'Changed since it was resolved: re-opened by the gate (Security Hub reopens RESOLVED findings that change).' });
    }
    if (!isNew) existing += 1;
    const reasons: BlockReason[] = [];
    if (isNew && severityRank(facts.severity) >= threshold) {
      reasons.push({ kind: 'threshold', detail: `${facts.severity}${mode === 'new' ? ' (new)' : ''} ≥ ${failOn}${facts.severityNote ? `; ${facts.severityNote}` : ''}` });
    }
    if (failOnKev && item.kev) {
      const added = facts.cves.map((c) => options.kev?.entries.get(c)?.dateAdded).find(Boolean);
      reasons.push({ kind: 'KEV', detail: `in CISA KEV${added ? ` since ${added}` : ''}` });
    }
    if (options.failOnEpss !== undefined && item.epss !== undefined && item.epss >= options.failOnEpss) {
      reasons.push({ kind: 'EPSS', detail: `EPSS ${item.epss} ≥ ${options.failOnEpss}` });
    }
    const sla = options.slaDays?.[facts.severity];
    if (sla !== undefined && item.ageDays !== undefined && item.ageDays > sla) {
      reasons.push({ kind: 'SLA', detail: `open ${item.ageDays} days, SLA ${sla} for ${facts.severity}` });
    }
    if (reasons.length > 0) blocking.push({ ...item, reasons });
    else nonBlocking += 1;
  }

  const tools = new Set(all.map((f) => f.tool.toLowerCase()));
  const scanHas = { packages: all.some((f) => f.packages.length > 0), paths: all.some((f) => f.path !== undefined) };
  const staleSuppressions = entries
    .filter((e) => !matched.has(e) && [...tools].some((t) => entryAppliesTo(e.match, t, scanHas)))
    .map((e) => ({ source: entryLabel(e), match: describeMatch(e.match), owner: e.owner }));

  blocking.sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || (b.ageDays ?? -1) - (a.ageDays ?? -1) || a.id.localeCompare(b.id),
  );
  suppressed.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id));
  const verdict: GateVerdict = {
    passed: blocking.length === 0 && problems.length === 0,
    failOn,
    mode,
    ...(mode === 'new' && options.baseBranch ? { baseBranch: options.baseBranch } : {}),
    blocking: blocking.length,
    findings: blocking,
    nonBlocking,
    existing,
    suppressed,
    reopened,
    staleSuppressions,
    invalidSuppressions: [...(options.suppressionProblems ?? [])],
    problems,
    updates,
    summary: '',
  };
  verdict.summary = summaryLine(verdict);
  return verdict;
}

const PRIMARY: BlockReasonKind[] = ['KEV', 'EPSS', 'SLA', 'threshold'];

/** `gate FAILED: 3 blocking (2 new HIGH, 1 KEV) · 41 existing · 5 suppressed (2 expiring within 14 days) · 1 stale suppression` */
export function summaryLine(verdict: Omit<GateVerdict, 'summary'>): string {
  const groups = new Map<string, number>();
  for (const f of verdict.findings) {
    const primary = PRIMARY.find((k) => f.reasons.some((r) => r.kind === k))!;
    const key = primary === 'threshold' ? `${verdict.mode === 'new' ? 'new ' : ''}${f.severity}` : primary === 'SLA' ? 'over SLA' : primary;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  const breakdown = [...groups].map(([k, n]) => `${n} ${k}`).join(', ');
  const parts = [`gate ${verdict.passed ? 'passed' : 'FAILED'}: ${verdict.blocking} blocking${breakdown ? ` (${breakdown})` : ''}`];
  if (verdict.mode === 'new') parts.push(`${verdict.existing} existing`);
  const soon = verdict.suppressed.filter((s) => s.expiringSoon).length;
  parts.push(`${verdict.suppressed.length} suppressed${soon > 0 ? ` (${soon} expiring within ${EXPIRING_WITHIN_DAYS} days)` : ''}`);
  if (verdict.reopened.length > 0) parts.push(`${verdict.reopened.length} re-opened (suppression expired)`);
  const stale = verdict.staleSuppressions.length;
  if (stale > 0) parts.push(`${stale} stale suppression${stale === 1 ? '' : 's'}`);
  const invalid = verdict.invalidSuppressions.length;
  if (invalid > 0) parts.push(`${invalid} invalid suppression entr${invalid === 1 ? 'y' : 'ies'}`);
  for (const problem of verdict.problems) parts.push(problem);
  return parts.join(' · ');
}

/**
 * Several scans' verdicts as one (the pipeline's scan stage, the local run): blocking findings and lists
 * concatenated and re-sorted; passed only when every one passed. Stale entries count once each.
 */
export function combineVerdicts(verdicts: readonly GateVerdict[]): GateVerdict {
  if (verdicts.length === 1) return verdicts[0]!;
  const first = verdicts[0];
  const findings = verdicts.flatMap((v) => v.findings);
  findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (b.ageDays ?? -1) - (a.ageDays ?? -1) || a.id.localeCompare(b.id));
  const staleKeys = new Map<string, GateVerdict['staleSuppressions'][number]>();
  // An entry is stale for the run only when no scan matched it.
  const matchedAnywhere = new Set<string>();
  for (const v of verdicts) for (const s of v.suppressed) matchedAnywhere.add(s.source);
  for (const v of verdicts) for (const s of v.staleSuppressions) if (!matchedAnywhere.has(s.source)) staleKeys.set(s.source, s);
  const invalid = new Map<string, SuppressionProblem>();
  for (const v of verdicts) for (const p of v.invalidSuppressions) invalid.set(`${p.source}:${p.line}:${p.message}`, p);
  const combined: GateVerdict = {
    passed: verdicts.every((v) => v.passed),
    failOn: first?.failOn ?? 'NONE',
    mode: first?.mode ?? 'all',
    ...(first?.baseBranch ? { baseBranch: first.baseBranch } : {}),
    blocking: findings.length,
    findings,
    nonBlocking: verdicts.reduce((n, v) => n + v.nonBlocking, 0),
    existing: verdicts.reduce((n, v) => n + v.existing, 0),
    suppressed: verdicts.flatMap((v) => v.suppressed),
    reopened: verdicts.flatMap((v) => v.reopened),
    staleSuppressions: [...staleKeys.values()],
    invalidSuppressions: [...invalid.values()],
    problems: [...new Set(verdicts.flatMap((v) => v.problems))],
    updates: verdicts.flatMap((v) => v.updates),
    summary: '',
  };
  combined.summary = summaryLine(combined);
  return combined;
}
