/** Turns a campaign's records into the tables and failure examples the CLI prints. Pure. */
import { ISSUE_KINDS, ISSUE_LABELS, type CampaignResult, type Issue, type IssueKind, type RunRecord } from './campaign';

export interface Tally {
  inputs: number;
  ok: number;
  rejected: number;
  /** Inputs with at least one issue of each kind. */
  issues: Record<IssueKind, number>;
}

function emptyTally(): Tally {
  return { inputs: 0, ok: 0, rejected: 0, issues: Object.fromEntries(ISSUE_KINDS.map((k) => [k, 0])) as Record<IssueKind, number> };
}

function add(tally: Tally, record: RunRecord): void {
  tally.inputs += 1;
  if (record.status === 'ok') tally.ok += 1;
  if (record.status === 'rejected') tally.rejected += 1;
  for (const kind of new Set(record.issues.map((i) => i.kind))) tally.issues[kind] += 1;
}

/** Tallies grouped by a key; a record may count under several keys (one per mutator it went through). */
export function tallyBy(records: readonly RunRecord[], keys: (record: RunRecord) => readonly string[]): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  for (const record of records) {
    for (const key of new Set(keys(record))) {
      if (!tallies.has(key)) tallies.set(key, emptyTally());
      add(tallies.get(key)!, record);
    }
  }
  return new Map([...tallies].sort(([a], [b]) => a.localeCompare(b)));
}

export function total(records: readonly RunRecord[]): Tally {
  const tally = emptyTally();
  for (const record of records) add(tally, record);
  return tally;
}

function table(title: string, tallies: Map<string, Tally>, totals?: Tally): string[] {
  const header = [title, 'inputs', 'ok', 'rejected', ...ISSUE_KINDS.map((k) => ISSUE_LABELS[k])];
  const row = (name: string, t: Tally) => `| ${[name, t.inputs, t.ok, t.rejected, ...ISSUE_KINDS.map((k) => t.issues[k])].join(' | ')} |`;
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '--:')).join('|')}|`,
    ...[...tallies].map(([name, t]) => row(name, t)),
    ...(totals ? [row('**total**', totals)] : []),
  ];
}

export interface Example {
  record: RunRecord;
  issue: Issue;
  /** How many issues of this kind share the signature. */
  count: number;
}

/** Up to `limit` examples of one kind, one per distinct signature first (most frequent first). */
export function examples(records: readonly RunRecord[], kind: IssueKind, limit = 10): { examples: Example[]; signatures: number; total: number } {
  const bySignature = new Map<string, Example>();
  let totalIssues = 0;
  for (const record of records) {
    for (const issue of record.issues) {
      if (issue.kind !== kind) continue;
      totalIssues += 1;
      const known = bySignature.get(issue.signature);
      if (known) known.count += 1;
      else bySignature.set(issue.signature, { record, issue, count: 1 });
    }
  }
  const sorted = [...bySignature.values()].sort((a, b) => b.count - a.count || a.record.run - b.record.run);
  return { examples: sorted.slice(0, limit), signatures: bySignature.size, total: totalIssues };
}

function indent(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

function describeMax(records: readonly RunRecord[], value: (r: RunRecord) => number, format: (v: number) => string): string {
  const top = records.reduce<RunRecord | undefined>((best, r) => (best === undefined || value(r) > value(best) ? r : best), undefined);
  return top ? `${format(value(top))} (run ${top.run}, ${(top.bytes / 1024 / 1024).toFixed(2)} MB input, ${top.mutators.join('+')})` : 'none';
}

export interface FormatOptions {
  /** The command that reproduces one run, given its number. */
  reproduce: (run: number) => string;
  /** Where a failing run's input was saved, if it was. */
  savedPath?: (record: RunRecord) => string | undefined;
}

export function formatReport(result: CampaignResult, options: FormatOptions): string {
  const { records } = result;
  const totals = total(records);
  const lines: string[] = [];
  lines.push(
    `Fuzz campaign: seed ${result.seed}, ${records.length} of ${result.runsPlanned} inputs in ${(result.elapsedMs / 1000).toFixed(1)} s` +
      `${result.stoppedEarly ? ' (stopped by the time limit)' : ''}; ${result.families.size} seed reports` +
      `${result.skippedSeeds.length ? ` (left out, no parser reads them: ${result.skippedSeeds.join(', ')})` : ''}.`,
    `Slowest input: ${describeMax(records, (r) => r.ms, (v) => `${v.toFixed(0)} ms`)}; largest memory growth: ${describeMax(records, (r) => r.memoryGrowth, (v) => `${(v / 1024 / 1024).toFixed(0)} MB`)}.`,
    '',
    ...table('family', tallyBy(records, (r) => [r.family]), totals),
    '',
    ...table('mutator', tallyBy(records, (r) => r.mutators)),
    '',
  );
  for (const kind of ISSUE_KINDS) {
    const found = examples(records, kind);
    if (found.total === 0) continue;
    lines.push(`## ${ISSUE_LABELS[kind]}: ${found.total} in ${totals.issues[kind]} input(s), ${found.signatures} distinct signature(s)`, '');
    for (const { record, issue, count } of found.examples) {
      const saved = options.savedPath?.(record);
      lines.push(
        `- run ${record.run} [${record.family}${record.seedName ? ` · ${record.seedName}` : ''}] ×${count} — ${issue.signature}`,
        `    mutation: ${record.description.slice(0, 400)}`,
        `    input: ${record.bytes} bytes, ${record.status}${record.rejection ? ` (${record.rejection.slice(0, 160)})` : ''}, ${record.findings} finding(s), ${record.ms.toFixed(0)} ms`,
        `    reproduce: ${options.reproduce(record.run)}${saved ? `   saved: ${saved}` : ''}`,
        indent(issue.detail.slice(0, 2000), '      '),
        '',
      );
    }
  }
  return lines.join('\n');
}
