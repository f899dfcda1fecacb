import { bySeverityThenLocation, findingFacts, isBlocking, SEVERITIES_DESCENDING, type FindingFacts, type ReportInput } from './model';

/** At most this many findings per list, so the comment stays far below GitHub's 65,536-character limit. */
export const MARKDOWN_LIST_LIMIT = 50;
/** Long titles are cut: one line per finding. */
const TITLE_LIMIT = 160;

/**
 * Finding text is attacker-controlled: in a PR comment, markdown or HTML in a title could hide text, fake a
 * verdict or link elsewhere. Everything markdown or HTML reads is backslash-escaped (CommonMark allows escaping any
 * ASCII punctuation): emphasis, code, links and cell separators; `<`/`>`/`&` become entities, and line breaks become
 * spaces so a value stays on its table row. Values never start a line, so list and heading markers are harmless.
 */
export function markdownText(value: unknown, limit = TITLE_LIMIT): string {
  let text = String(value ?? '').replace(/[\r\n\t]+/g, ' ').trim();
  if (text.length > limit) text = `${text.slice(0, limit - 1)}…`;
  return text.replace(/[\\`*_{}[\]|~]/g, (c) => `\\${c}`).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

function code(value: string): string {
  // In a code span only backticks matter; they and pipes (table cells) are replaced.
  return `\`${value.replace(/[`|]/g, "'").replace(/[\r\n]+/g, ' ').slice(0, TITLE_LIMIT)}\``;
}

function line(f: FindingFacts): string {
  const ids = [...f.cves, ...f.cwes].join(', ');
  const fix = f.fixedVersion ? ` → fixed in ${code(f.fixedVersion)}` : '';
  return `| ${f.severity} | ${markdownText(f.tool)} | ${markdownText(f.title)}${ids ? ` (${markdownText(ids)})` : ''} | ${code(f.location)}${fix} |`;
}

function* table(items: readonly FindingFacts[], what: string): Iterable<string> {
  yield '| severity | tool | finding | where |\n|---|---|---|---|\n';
  for (const f of items.slice(0, MARKDOWN_LIST_LIMIT)) yield `${line(f)}\n`;
  if (items.length > MARKDOWN_LIST_LIMIT) yield `\n… and ${items.length - MARKDOWN_LIST_LIMIT} more ${what}.\n`;
}

/**
 * A summary for a pull-request comment or a build summary: the gate verdict first, the active counts by tool and
 * severity, the blocking findings, and what is new and fixed since the base when one was given.
 */
export function* renderMarkdown(input: ReportInput): Iterable<string> {
  const facts = input.findings.map(findingFacts).sort(bySeverityThenLocation);
  const active = facts.filter((f) => f.active);
  const { gate, changes } = input;
  const blocking = gate ? facts.filter((f) => isBlocking(f, gate)) : [];
  if (!gate) yield `## Security findings: ${active.length} active\n\n`;
  else if (gate.passed) yield `## ✅ Security gate passed\n\nNo active finding at or above ${gate.failOn ?? 'the threshold (the gate never fails)'}.\n\n`;
  else yield `## ❌ Security gate failed: ${gate.blocking} blocking\n\n${gate.blocking} active finding(s) at or above ${gate.failOn ?? 'the gate'} block this build.\n\n`;

  const tools = [...new Set(facts.map((f) => f.tool))].sort();
  yield `| tool | ${SEVERITIES_DESCENDING.join(' | ')} | not active |\n|---|${SEVERITIES_DESCENDING.map(() => '---:').join('|')}|---:|\n`;
  for (const tool of tools) {
    const ofTool = facts.filter((f) => f.tool === tool);
    const counts = SEVERITIES_DESCENDING.map((s) => ofTool.filter((f) => f.active && f.severity === s).length);
    yield `| ${markdownText(tool)} | ${counts.join(' | ')} | ${ofTool.filter((f) => !f.active).length} |\n`;
  }
  if (tools.length === 0) yield `| (no findings) | ${SEVERITIES_DESCENDING.map(() => '0').join(' | ')} | 0 |\n`;
  yield '\n';

  if (blocking.length > 0) {
    yield `### Blocking (${blocking.length})\n\n`;
    yield* table(blocking, 'blocking findings');
    yield '\n';
  }
  if (changes) {
    const added = active.filter((f) => changes.newIds.has(f.id));
    const fixed = changes.fixed.map(findingFacts).sort(bySeverityThenLocation);
    yield `### Since ${markdownText(changes.base)}: ${added.length} new, ${fixed.length} fixed\n\n`;
    if (added.length > 0) {
      yield `**New**\n\n`;
      yield* table(added, 'new findings');
      yield '\n';
    }
    if (fixed.length > 0) {
      yield `**Fixed**\n\n`;
      yield* table(fixed, 'fixed findings');
      yield '\n';
    }
  }
  const notActive = facts.length - active.length;
  if (notActive > 0) yield `${notActive} finding(s) not active (suppressed in the tool, resolved or archived) do not count.\n`;
}
