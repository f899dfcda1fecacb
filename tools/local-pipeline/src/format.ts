import type { SeverityCounts } from '@devsecops/asff';
import { SEVERITIES_DESCENDING, toRow, type ToolCounts } from './findings-view';
import type { PublishedMessage } from './fake-aws/service';
import type { TimelineStep } from './runner';

/** Plain-text rendering of a run for the terminal: pure functions returning lines. */

export function clockTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** "CRITICAL 2, HIGH 3" — only the severities that occur, most severe first; "none" when empty. */
export function severityList(counts: SeverityCounts): string {
  const parts = SEVERITIES_DESCENDING.filter((l) => counts[l] > 0).map((l) => `${l} ${counts[l]}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

const shortSha = (commit: string) => commit.slice(0, 12);
const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A mail or alert as it would arrive, framed, with at most `maxLines` lines of body. */
export function formatMessage(message: PublishedMessage, maxLines = Number.POSITIVE_INFINITY): string[] {
  const body = message.message.split('\n');
  const shown = body.slice(0, maxLines);
  return [
    `┌─ SNS message to ${message.topicArn}`,
    ...(message.subject !== undefined ? [`│ Subject: ${message.subject}`, '│'] : []),
    ...shown.map((line) => (line ? `│ ${line}` : '│')),
    ...(body.length > shown.length ? [`│ … ${body.length - shown.length} more line(s)`] : []),
    '└─',
  ];
}

function stepDetail(step: TimelineStep): string[] {
  const d = step.detail;
  switch (d.kind) {
    case 'scan': {
      const lines = [`CodeBuild uploads ${d.scan.sources.map((s) => `samples/${s}`).join(' + ')}`, `  to ${d.objectUri}`, `  and invokes ${d.scan.lambda} with {bucket, key}`];
      const r = d.response;
      if (!r) return lines;
      return [
        ...lines,
        `${r.tool}: ${r.total} finding(s), ${r.active} active (${severityList(r.bySeverity)})`,
        `imported ${r.imported}, unchanged ${r.unchanged}, archived ${r.archived}, reactivated ${r.reactivated}, failed ${r.failed.length}; ${r.apiCalls} Security Hub call(s)`,
        ...r.warnings.map((w) => `note: ${w}`),
        `${r.gate.summary} (fail on ${r.gate.failOn})`,
      ];
    }
    case 'gate':
      if (d.passed) return [`passed: no active finding at or above ${d.failOn.join('/') || 'the threshold'}`];
      return [
        `FAILED (fail on ${d.failOn.join('/') || '?'}): ${d.blocking.map((b) => `${b.tool} ${b.blocking}`).join(', ') || 'a scan did not answer'} blocking`,
        'in CodePipeline the build fails and the execution stops here; the local run goes on to show every step',
      ];
    case 'note':
      return d.lines;
    case 'changes': {
      if (d.archived.length === 0 && d.reactivated.length === 0) return ['no finding archived or reactivated (nothing changed since the previous run, or there was none)'];
      const line = (verb: string) => (f: Parameters<typeof toRow>[0]) => {
        const row = toRow(f);
        return `${verb}  ${row.severity.padEnd(13)} ${row.tool.padEnd(17)} ${row.title}${row.resource && !row.title.includes(row.resource) ? ` (${row.resource})` : ''}`;
      };
      return [...d.archived.map(line('archived   ')), ...d.reactivated.map(line('reactivated'))];
    }
    case 'approval': {
      const lines: string[] = [];
      const o = d.outcome;
      if (o) {
        const findings = 'unavailable' in o.findings ? `findings unavailable: ${o.findings.unavailable}` : `${o.findings.total} ACTIVE finding(s) (${severityList(o.findings.bySeverity)})`;
        lines.push(`commit ${o.commit ? shortSha(o.commit) : 'unknown'}: ${findings}`);
        lines.push(`policy: ${o.decision}${d.decision ? ` → PutApprovalResult ${d.decision.status}: "${d.decision.summary}"` : ''}`);
      }
      if (d.mail) lines.push('the mail to the approvers (the SNS Publish the fake recorded):', ...formatMessage(d.mail));
      else lines.push('no mail was published');
      return lines;
    }
    case 'alert': {
      const o = d.outcome;
      const lines: string[] = [];
      if (o?.status === 'alerted') {
        lines.push(`${o.severity} alert for ${o.eventName}: finding ${o.imported ? `imported into Security Hub (${o.findingId})` : 'not imported'}, ${o.mailed ? 'mailed' : 'not mailed'}`);
      } else if (o) {
        lines.push(`ignored: ${o.reason}`);
      }
      if (d.message) {
        // The request parameters at the end are the whole pipeline definition: the summary above them is the alert.
        const body = d.message.message.split('\n');
        const parameters = body.findIndex((l) => l.startsWith('Request parameters'));
        lines.push(...formatMessage(d.message, parameters >= 0 ? parameters + 1 : 40));
      }
      return lines;
    }
    case 'remediation': {
      const o = d.outcome;
      const lines: string[] = [];
      if (!o) return ['no outcome'];
      if (o.status === 'skipped') lines.push(`skipped: ${o.reason}`);
      else if (o.status === 'failed') lines.push(`${o.controlId} on ${o.resource} failed at ${o.stage}: ${o.error}`);
      else if (o.status === 'planned') {
        lines.push(`${o.controlId} on ${o.resource}: dry run, nothing changed. The plan:`);
        lines.push(...(o.steps.length > 0 ? o.steps.map((s, i) => `  ${i + 1}. ${s}`) : ['  nothing to do: the resource already passes']));
        lines.push(...o.followUps.map((f) => `to do: ${f}`));
      } else lines.push(`${o.controlId} on ${o.resource}: remediated and verified (${o.verification})`);
      if (d.workflow) lines.push(`the finding is now ${d.workflow}${d.note ? `, with the plan as its note: "${truncate(d.note, 100)}"` : ''}`);
      return lines;
    }
  }
}

/** One timeline entry: a header with clock time, elapsed time since the start and duration, then its details. */
export function formatStep(step: TimelineStep, runStartedAt: number): string[] {
  const elapsed = `+${((step.startedAt - runStartedAt) / 1000).toFixed(2)} s`;
  const who = step.lambda ? ` — ${step.lambda}` : '';
  const head = `▶ ${clockTime(step.startedAt)} ${elapsed.padStart(9)}  ${step.stage} · ${step.title}${who} (${duration(step.durationMs)})`;
  const body = [
    ...(step.trigger ? [`trigger: ${step.trigger}`] : []),
    ...stepDetail(step),
    ...(step.error ? [`FAILED: ${step.error.code}: ${step.error.message}`] : []),
  ];
  return ['', head, ...body.map((line) => `    ${line}`)];
}

/** The tool × severity table, with a total row. */
export function formatCountsTable(table: readonly ToolCounts[], total: ToolCounts): string[] {
  const width = Math.max(18, ...table.map((r) => r.tool.length + 2));
  const row = (name: string, counts: SeverityCounts, sum: number) =>
    `  ${name.padEnd(width)}${SEVERITIES_DESCENDING.map((l) => String(counts[l]).padStart(l.length + 2)).join('')}${String(sum).padStart(7)}`;
  const header = `  ${'tool'.padEnd(width)}${SEVERITIES_DESCENDING.map((l) => l.padStart(l.length + 2)).join('')}${'total'.padStart(7)}`;
  const rule = `  ${'─'.repeat(header.length - 2)}`;
  return [header, rule, ...table.map((r) => row(r.tool, r.counts, r.total)), rule, row('total', total.counts, total.total)];
}
