import type { GateVerdict } from './gate';

/** The verdict as the `gate` member of JSON output (CLI `--json`, the Lambda response): no internal update list. */
export function gateJson(verdict: GateVerdict): Omit<GateVerdict, 'updates'> {
  const { updates: _updates, ...rest } = verdict;
  return rest;
}

/**
 * The verdict as plain text, for a terminal and the CodeBuild log: every blocking finding with why it blocks and
 * its console link, the suppressed ones with who decided, then the one summary line.
 */
export function formatGateText(verdict: GateVerdict): string {
  const lines: string[] = [];
  if (verdict.findings.length > 0) lines.push(`Blocking (${verdict.findings.length}):`);
  for (const f of verdict.findings) {
    const age = f.ageDays !== undefined ? ` · open ${f.ageDays} d` : '';
    lines.push(`  ${f.severity.padEnd(8)} ${f.tool} ${f.rule} · ${f.location}${age}`);
    lines.push(`           ${f.title}`);
    lines.push(`           blocks: ${f.reasons.map((r) => `${r.kind} (${r.detail})`).join(', ')}`);
    lines.push(`           ${f.consoleUrl}`);
  }
  if (verdict.reopened.length > 0) {
    lines.push(`Re-opened (${verdict.reopened.length}):`);
    for (const f of verdict.reopened) lines.push(`  ${f.severity.padEnd(8)} ${f.tool} ${f.rule} · ${f.location} · ${f.why}`);
  }
  if (verdict.suppressed.length > 0) {
    lines.push(`Suppressed (${verdict.suppressed.length}):`);
    for (const f of verdict.suppressed) {
      const until = f.expires ? ` until ${f.expires}${f.expiringSoon ? ' (expiring soon)' : ''}` : '';
      lines.push(`  ${f.severity.padEnd(8)} ${f.tool} ${f.rule} · ${f.location} · by ${f.by}${until} (${f.source}): ${f.note}`);
    }
  }
  for (const s of verdict.staleSuppressions) lines.push(`stale suppression ${s.source} (${s.match}, owner ${s.owner}) matches no finding`);
  for (const p of verdict.invalidSuppressions) lines.push(`invalid suppression ${p.source}${p.line > 0 ? `:${p.line}` : ''}: ${p.message}`);
  lines.push(verdict.summary);
  return `${lines.join('\n')}\n`;
}
