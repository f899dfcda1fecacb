import { createHash } from 'node:crypto';
import { severityRank, type SeverityLabel } from '@devsecops/asff';
import { SEVERITIES_DESCENDING, countsByTool, totalCounts, type FindingRow, type ToolCounts } from './findings-view';

/**
 * The run as one self-contained HTML page: findings by tool and severity as an SVG chart, the counts as a table,
 * and every ACTIVE finding in a table sortable by clicking its headers. Pure: data in, string out.
 *
 * Finding text is attacker-controlled (a ZAP alert quotes the page it attacked, a SARIF message quotes code), so
 * every value is escaped, nothing is put in a URL, and a Content-Security-Policy allows only this page's own
 * script and style (by hash) and no network access at all, so an escaping mistake could still not run a script.
 */

export interface ReportStep {
  stage: string;
  title: string;
  lambda?: string;
  durationMs: number;
  status: 'ok' | 'failed';
}

export interface ReportInput {
  title: string;
  generatedAt: string;
  repository: string;
  branch: string;
  commit: string;
  sample: string;
  /** ACTIVE findings. */
  rows: readonly FindingRow[];
  /** Findings this run archived (fixed since the previous run). */
  archived?: readonly FindingRow[];
  steps?: readonly ReportStep[];
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export const SEVERITY_COLOURS: Readonly<Record<SeverityLabel, string>> = {
  CRITICAL: '#a31515',
  HIGH: '#e0620d',
  MEDIUM: '#d9a400',
  LOW: '#2f7fc1',
  INFORMATIONAL: '#8a9099',
};

/** A round axis maximum and tick step for counts up to `max`. */
export function niceScale(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 1, step: 1 };
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const wholeStep = Math.max(1, Math.round(step));
  return { top: Math.ceil(max / wholeStep) * wholeStep, step: wholeStep };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Stacked bars, one per tool, most severe at the bottom; each segment carries its tool, severity and count. */
export function renderChart(table: readonly ToolCounts[]): string {
  if (table.length === 0) return '<p class="empty" id="chart-empty">No active findings.</p>';
  const barWidth = 56;
  const gap = 40;
  const left = 48;
  const top = 24;
  const plotHeight = 220;
  const width = left + table.length * (barWidth + gap) + gap;
  const height = top + plotHeight + 56;
  const { top: maxValue, step } = niceScale(Math.max(...table.map((t) => t.total)));
  const y = (value: number) => top + plotHeight - (value / maxValue) * plotHeight;

  const ticks: string[] = [];
  for (let v = 0; v <= maxValue; v += step) {
    ticks.push(`<line class="grid" x1="${left}" x2="${width - gap / 2}" y1="${round(y(v))}" y2="${round(y(v))}"/>`);
    ticks.push(`<text class="tick" x="${left - 8}" y="${round(y(v) + 4)}" text-anchor="end">${v}</text>`);
  }
  const bars = table.map((tool, index) => {
    const x = left + gap + index * (barWidth + gap);
    let base = 0;
    const segments = [...SEVERITIES_DESCENDING]
      .filter((label) => tool.counts[label] > 0)
      .map((label) => {
        const count = tool.counts[label];
        const segment =
          `<rect class="bar sev-${label}" x="${x}" y="${round(y(base + count))}" width="${barWidth}" height="${round(y(base) - y(base + count))}" ` +
          `data-tool="${escapeHtml(tool.tool)}" data-severity="${label}" data-count="${count}"><title>${escapeHtml(tool.tool)}: ${count} ${label}</title></rect>`;
        base += count;
        return segment;
      });
    return (
      `<g class="tool-bar" data-tool="${escapeHtml(tool.tool)}" data-total="${tool.total}">${segments.join('')}` +
      `<text class="bar-total" x="${x + barWidth / 2}" y="${round(y(tool.total) - 6)}" text-anchor="middle">${tool.total}</text>` +
      `<text class="bar-label" x="${x + barWidth / 2}" y="${top + plotHeight + 18}" text-anchor="middle">${escapeHtml(tool.tool)}</text></g>`
    );
  });
  const legend = SEVERITIES_DESCENDING.map(
    (label, i) => `<g transform="translate(${left + i * 118},${top + plotHeight + 38})"><rect class="sev-${label}" width="12" height="12"/><text x="18" y="11">${label}</text></g>`,
  );
  return (
    `<svg id="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 ${Math.max(width, left + 5 * 118)} ${height}" width="${Math.max(width, left + 5 * 118)}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="chart-title">Active findings by tool and severity</title>${ticks.join('')}${bars.join('')}${legend.join('')}</svg>`
  );
}

function renderCountsTable(table: readonly ToolCounts[]): string {
  const total = totalCounts(table);
  const row = (t: ToolCounts, cls: string) =>
    `<tr class="${cls}" data-tool="${escapeHtml(t.tool)}"><th scope="row">${escapeHtml(t.tool)}</th>${SEVERITIES_DESCENDING.map((l) => `<td data-severity="${l}">${t.counts[l]}</td>`).join('')}<td data-severity="total">${t.total}</td></tr>`;
  return (
    `<table id="counts"><thead><tr><th scope="col">tool</th>${SEVERITIES_DESCENDING.map((l) => `<th scope="col">${l}</th>`).join('')}<th scope="col">total</th></tr></thead>` +
    `<tbody>${table.map((t) => row(t, 'tool')).join('')}</tbody><tfoot>${row(total, 'total')}</tfoot></table>`
  );
}

const COLUMNS: readonly { key: keyof FindingRow; label: string; type: 'number' | 'text'; first: 'asc' | 'desc'; nowrap?: boolean }[] = [
  { key: 'severity', label: 'Severity', type: 'number', first: 'desc' },
  { key: 'tool', label: 'Tool', type: 'text', first: 'asc', nowrap: true },
  { key: 'title', label: 'Title', type: 'text', first: 'asc' },
  { key: 'resource', label: 'Resource', type: 'text', first: 'asc' },
  { key: 'workflow', label: 'Workflow', type: 'text', first: 'asc' },
  { key: 'updatedAt', label: 'Updated (UTC)', type: 'text', first: 'desc', nowrap: true },
];

/** `2026-11-22T14:07:31.000Z` → `2026-11-22 14:07`; anything else as given. */
function shortTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

function renderFindingsTable(rows: readonly FindingRow[]): string {
  const head = COLUMNS.map(
    (c) =>
      `<th scope="col" data-key="${c.key}" data-type="${c.type}" data-first="${c.first}" aria-sort="${c.key === 'severity' ? 'descending' : 'none'}"><button type="button">${c.label}</button></th>`,
  ).join('');
  const body = rows
    .map((row, index) => {
      const cells = COLUMNS.map((c) => {
        if (c.key === 'severity') return `<td data-value="${severityRank(row.severity)}"><span class="sev sev-${row.severity}">${row.severity}</span></td>`;
        if (c.key === 'updatedAt') return `<td class="nowrap" data-value="${escapeHtml(row.updatedAt)}">${escapeHtml(shortTime(row.updatedAt))}</td>`;
        return `<td${c.nowrap ? ' class="nowrap"' : ''}>${escapeHtml(row[c.key])}</td>`;
      }).join('');
      return `<tr data-order="${index}" data-id="${escapeHtml(row.id)}">${cells}</tr>`;
    })
    .join('');
  return `<table id="findings" data-sort-key="severity" data-sort-direction="desc"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function renderArchived(rows: readonly FindingRow[]): string {
  if (rows.length === 0) return '';
  const items = rows.map((r) => `<li><span class="sev sev-${r.severity}">${r.severity}</span> ${escapeHtml(r.tool)}: ${escapeHtml(r.title)}${r.resource && !r.title.includes(r.resource) ? ` (${escapeHtml(r.resource)})` : ''}</li>`);
  return `<section><h2>Archived by this run (fixed)</h2><ul id="archived">${items.join('')}</ul></section>`;
}

function renderSteps(steps: readonly ReportStep[]): string {
  if (steps.length === 0) return '';
  const rows = steps.map(
    (s) =>
      `<tr class="${s.status}"><td>${escapeHtml(s.stage)}</td><td>${escapeHtml(s.title)}</td><td>${escapeHtml(s.lambda ?? '')}</td><td class="num">${Math.round(s.durationMs)} ms</td><td>${s.status}</td></tr>`,
  );
  return `<section><h2>Timeline</h2><table id="steps"><thead><tr><th>stage</th><th>step</th><th>function</th><th>duration</th><th>status</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

const STYLE = `
:root{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#f6f7f9}
body{margin:0 auto;max-width:1180px;padding:24px}
h1{font-size:1.5rem;margin:0 0 4px}h2{font-size:1.15rem;margin:28px 0 10px}
.meta{color:#5b6270;margin:0 0 16px}
section{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:16px 20px;margin:16px 0}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e6e9ee;vertical-align:top}
td{word-break:break-word}
#counts td,#counts thead th+th,.num{text-align:right}
.nowrap{white-space:nowrap}
#counts tfoot th,#counts tfoot td{font-weight:600;border-top:2px solid #c9ced6}
#findings th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
#findings th[aria-sort=ascending] button::after{content:" \\25B2"}
#findings th[aria-sort=descending] button::after{content:" \\25BC"}
.sev{display:inline-block;white-space:nowrap;padding:1px 6px;border-radius:4px;color:#fff;font-size:.78rem;font-weight:600}
span.sev-CRITICAL{background:${SEVERITY_COLOURS.CRITICAL}}span.sev-HIGH{background:${SEVERITY_COLOURS.HIGH}}
span.sev-MEDIUM{background:${SEVERITY_COLOURS.MEDIUM};color:#1d2330}span.sev-LOW{background:${SEVERITY_COLOURS.LOW}}
span.sev-INFORMATIONAL{background:${SEVERITY_COLOURS.INFORMATIONAL}}
rect.sev-CRITICAL{fill:${SEVERITY_COLOURS.CRITICAL}}rect.sev-HIGH{fill:${SEVERITY_COLOURS.HIGH}}rect.sev-MEDIUM{fill:${SEVERITY_COLOURS.MEDIUM}}
rect.sev-LOW{fill:${SEVERITY_COLOURS.LOW}}rect.sev-INFORMATIONAL{fill:${SEVERITY_COLOURS.INFORMATIONAL}}
svg text{font-size:12px;fill:#3a4150}.grid{stroke:#e6e9ee}.bar-total{font-weight:600}
tr.failed td{color:#a31515}
`;

/** Sorting by a header click (again: the other direction); the sort is kept in the URL hash (#sort=tool-asc). */
const SCRIPT = `
(function () {
  'use strict';
  var table = document.getElementById('findings');
  if (table) {
    var body = table.tBodies[0];
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var valueOf = function (row, index, type) {
      var cell = row.cells[index];
      var raw = cell.hasAttribute('data-value') ? cell.getAttribute('data-value') : cell.textContent;
      return type === 'number' ? Number(raw) : String(raw).toLowerCase();
    };
    var sortBy = function (key, direction) {
      var index = headers.findIndex(function (h) { return h.getAttribute('data-key') === key; });
      if (index < 0 || (direction !== 'asc' && direction !== 'desc')) return false;
      var type = headers[index].getAttribute('data-type');
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = valueOf(a, index, type), y = valueOf(b, index, type);
        var c = x < y ? -1 : x > y ? 1 : 0;
        if (direction === 'desc') c = -c;
        return c !== 0 ? c : Number(a.getAttribute('data-order')) - Number(b.getAttribute('data-order'));
      });
      rows.forEach(function (row) { body.appendChild(row); });
      headers.forEach(function (h, i) { h.setAttribute('aria-sort', i === index ? (direction === 'asc' ? 'ascending' : 'descending') : 'none'); });
      table.setAttribute('data-sort-key', key);
      table.setAttribute('data-sort-direction', direction);
      return true;
    };
    headers.forEach(function (header) {
      header.querySelector('button').addEventListener('click', function () {
        var key = header.getAttribute('data-key');
        var same = table.getAttribute('data-sort-key') === key;
        var direction = same ? (table.getAttribute('data-sort-direction') === 'asc' ? 'desc' : 'asc') : header.getAttribute('data-first');
        sortBy(key, direction);
        try { history.replaceState(null, '', '#sort=' + key + '-' + direction); } catch (e) { /* file: URLs may refuse; the sort still applies */ }
      });
    });
    var requested = /^#sort=([A-Za-z]+)-(asc|desc)$/.exec(location.hash);
    if (requested) sortBy(requested[1], requested[2]);
  }
  document.documentElement.setAttribute('data-ready', 'true');
})();
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Content-Security-Policy of the page: its own script and style only, no network at all. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; script-src ${sha256(SCRIPT)}; style-src ${sha256(STYLE)}; img-src data:; base-uri 'none'; form-action 'none'`;

export function renderReport(input: ReportInput): string {
  const table = countsByTool(input.rows);
  const total = totalCounts(table);
  const summary = SEVERITIES_DESCENDING.map((l) => `${l} ${total.counts[l]}`).join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(input.title)}</h1>
<p class="meta">${escapeHtml(input.repository)} @ ${escapeHtml(input.branch)} · commit <code>${escapeHtml(input.commit)}</code> · sample ${escapeHtml(input.sample)} · generated ${escapeHtml(input.generatedAt)}</p>
<p class="meta" id="summary" data-total="${total.total}"><strong>${total.total}</strong> active finding(s): ${summary}</p>
</header>
<section><h2>Active findings by tool and severity</h2>${renderChart(table)}${table.length > 0 ? renderCountsTable(table) : ''}</section>
<section><h2>Active findings</h2>${renderFindingsTable(input.rows)}</section>
${renderArchived(input.archived ?? [])}
${renderSteps(input.steps ?? [])}
<script>${SCRIPT}</script>
</body>
</html>
`;
}
