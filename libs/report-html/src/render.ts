import { createHash } from 'node:crypto';
import { SEVERITY_LABELS, type SeverityLabel } from '@devsecops/asff';
import { buildReportModel, type GateVerdict, type HtmlReportInput, type Link, type ReportModel, type ReportRow } from './model';

/**
 * The run as one self-contained page a person triages with. Pure: data in, string out.
 *
 * Finding text is attacker-controlled, so every value is escaped, links come only from validated identifiers
 * (links.ts), the script never writes markup, and the Content-Security-Policy allows this page's own script and
 * style (by hash) and no request at all: an escaping mistake could still neither run a script nor reach a server.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export const SEVERITY_COLOURS: Readonly<Record<SeverityLabel, string>> = {
  CRITICAL: '#a31515',
  HIGH: '#c4540a',
  MEDIUM: '#a87f00',
  LOW: '#2f6fb1',
  INFORMATIONAL: '#6b7280',
};

const DESCENDING: readonly SeverityLabel[] = [...SEVERITY_LABELS].reverse();
const SHORT: Readonly<Record<SeverityLabel, string>> = { CRITICAL: 'CRIT', HIGH: 'HIGH', MEDIUM: 'MED', LOW: 'LOW', INFORMATIONAL: 'INFO' };

const STYLE = `
:root{color-scheme:light;--fg:#1b1f24;--muted:#59636e;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--fail:#b42318;--pass:#1a7f37}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1360px;margin:0 auto;padding:0 20px}
header{padding-top:20px}
h1{font-size:1.45rem;margin:0 0 4px}
h2{font-size:1.1rem;margin:24px 0 8px}
.meta{color:var(--muted);margin:0}
.verdict{border:2px solid var(--line);border-radius:8px;padding:12px 16px;margin:16px 0}
.verdict.failed{border-color:var(--fail);background:#fef3f2}
.verdict.passed{border-color:var(--pass);background:#effaf3}
.verdict h2{margin:0 0 6px;font-size:1.3rem}
.verdict.failed h2{color:var(--fail)}
.verdict.passed h2{color:var(--pass)}
.verdict ul{margin:0;padding-left:18px}
.verdict .summary{display:block;color:var(--muted);font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem;overflow-wrap:anywhere}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;color:#fff;font-size:.78rem;font-weight:600;white-space:nowrap}
.sev-CRITICAL .badge,.badge.sev-CRITICAL{background:${SEVERITY_COLOURS.CRITICAL}}
.sev-HIGH .badge,.badge.sev-HIGH{background:${SEVERITY_COLOURS.HIGH}}
.sev-MEDIUM .badge,.badge.sev-MEDIUM{background:${SEVERITY_COLOURS.MEDIUM}}
.sev-LOW .badge,.badge.sev-LOW{background:${SEVERITY_COLOURS.LOW}}
.sev-INFORMATIONAL .badge,.badge.sev-INFORMATIONAL{background:${SEVERITY_COLOURS.INFORMATIONAL}}
rect.sev-CRITICAL{fill:${SEVERITY_COLOURS.CRITICAL}}rect.sev-HIGH{fill:${SEVERITY_COLOURS.HIGH}}rect.sev-MEDIUM{fill:${SEVERITY_COLOURS.MEDIUM}}rect.sev-LOW{fill:${SEVERITY_COLOURS.LOW}}rect.sev-INFORMATIONAL{fill:${SEVERITY_COLOURS.INFORMATIONAL}}
.tag{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 6px;font-size:.75rem;margin-left:4px;white-space:nowrap}
.tag.kev{border-color:var(--fail);color:var(--fail);font-weight:600}
.tag.new{border-color:#8250df;color:#8250df}
.tag.blocking{background:var(--fail);border-color:var(--fail);color:#fff}
.chart{width:100%;max-width:720px;height:auto}
.chart text{font-size:12px;fill:var(--fg)}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
.toggle{font:inherit;background:none;border:0;padding:0;cursor:pointer;text-align:left;color:inherit}
.toggle::before{content:"\\25B8 ";color:var(--muted)}
.toggle[aria-expanded=true]::before{content:"\\25BE "}
.title,.loc{overflow-wrap:anywhere}
tr.details td{background:var(--soft)}
tr.group th{background:#eef1f4;font-size:.9rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:4px 0}
dt{color:var(--muted)}
dd{margin:0;overflow-wrap:anywhere;white-space:pre-wrap}
.filters{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:end;margin:8px 0}
.filters label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted)}
.filters input,.filters select{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:6px;min-width:9em}
.filters label.check{flex-direction:row;align-items:center;gap:4px;font-size:.9rem;color:var(--fg)}
.filters label.check input{min-width:0}
.changes{display:flex;flex-wrap:wrap;gap:10px}
.changes a{border:1px solid var(--line);border-radius:8px;padding:6px 12px;color:var(--fg);text-decoration:none}
a{color:#0b5cad}
.muted{color:var(--muted)}
.short{display:none}
.scroll{overflow-x:auto}
@media (max-width:640px){
  header,main{padding:0 10px}
  table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
  table.cards thead{position:absolute;left:-9999px}
  table.cards tr{border:1px solid var(--line);border-radius:8px;margin:10px 0 0;padding:4px 0}
  table.cards tr.details,table.cards tr.group{border:0;margin:0 0 10px}
  table.cards td{border:0;padding:3px 10px}
  table.cards td[data-label]::before{content:attr(data-label);display:inline-block;min-width:5.5em;color:var(--muted);font-size:.8rem}
  .counts th,.counts td{padding:4px 3px}
  table.cards td.num{text-align:left}
  .long{display:none}
  .short{display:inline}
  dl{grid-template-columns:1fr}
  dt{margin-top:4px}
}
`;

const SCRIPT = `
(function () {
  var d = document;
  var table = d.getElementById('findings');
  if (!table) return;
  var tbody = table.tBodies[0];
  var pairs = Array.prototype.slice.call(tbody.querySelectorAll('tr.finding')).map(function (row, index) {
    return { row: row, details: row.nextElementSibling, index: index, open: false };
  });
  var byId = function (id) { return d.getElementById(id); };
  var state = { key: null, direction: 'ascending' };
  var value = function (pair, key) {
    var v = pair.row.getAttribute('data-' + key) || '';
    return key === 'rank' || key === 'age' ? Number(v) : v.toLowerCase();
  };
  var compare = function (a, b) {
    if (state.key) {
      var x = value(a, state.key), y = value(b, state.key);
      if (x < y) return state.direction === 'ascending' ? -1 : 1;
      if (x > y) return state.direction === 'ascending' ? 1 : -1;
    }
    return a.index - b.index;
  };
  var matches = function (pair, f) {
    var r = pair.row;
    if (f.severity && r.getAttribute('data-severity') !== f.severity) return false;
    if (f.tool && r.getAttribute('data-tool') !== f.tool) return false;
    if (f.status && r.getAttribute('data-status') !== f.status) return false;
    if (f.onlyNew && r.getAttribute('data-new') !== 'true') return false;
    if (f.onlyBlocking && r.getAttribute('data-blocking') !== 'true') return false;
    if (f.text && (r.getAttribute('data-search') || '').indexOf(f.text) < 0) return false;
    return true;
  };
  var render = function () {
    var f = {
      severity: byId('f-severity').value, tool: byId('f-tool').value, status: byId('f-status').value,
      onlyNew: byId('f-new').checked, onlyBlocking: byId('f-blocking').checked,
      text: byId('f-text').value.trim().toLowerCase()
    };
    var group = byId('f-group').value;
    Array.prototype.slice.call(tbody.querySelectorAll('tr.group')).forEach(function (g) { tbody.removeChild(g); });
    var ordered = pairs.slice().sort(function (a, b) {
      if (group) {
        var x = a.row.getAttribute('data-' + group) || '\\uffff', y = b.row.getAttribute('data-' + group) || '\\uffff';
        if (x !== y) return x < y ? -1 : 1;
      }
      return compare(a, b);
    });
    var shown = 0, current = null, header = null, inGroup = 0;
    var closeGroup = function () { if (header) { header.hidden = inGroup === 0; header.firstChild.textContent = header.getAttribute('data-name') + ' (' + inGroup + ')'; } };
    ordered.forEach(function (pair) {
      if (group) {
        var name = pair.row.getAttribute('data-' + group) || '(none)';
        if (name !== current) {
          closeGroup();
          current = name; inGroup = 0;
          header = d.createElement('tr');
          header.className = 'group';
          header.setAttribute('data-name', name);
          var th = d.createElement('th');
          th.colSpan = 6;
          header.appendChild(th);
          tbody.appendChild(header);
        }
      }
      var ok = matches(pair, f);
      pair.row.hidden = !ok;
      pair.details.hidden = !ok || !pair.open;
      if (ok) { shown += 1; inGroup += 1; }
      tbody.appendChild(pair.row);
      tbody.appendChild(pair.details);
    });
    closeGroup();
    byId('shown').textContent = 'Showing ' + shown + ' of ' + pairs.length + ' findings';
    table.setAttribute('data-shown', String(shown));
  };
  pairs.forEach(function (pair) {
    var button = pair.row.querySelector('button.toggle');
    button.addEventListener('click', function () {
      pair.open = !pair.open;
      button.setAttribute('aria-expanded', String(pair.open));
      pair.details.hidden = !pair.open;
    });
  });
  Array.prototype.slice.call(table.querySelectorAll('th[data-key] button')).forEach(function (button) {
    button.addEventListener('click', function () {
      var th = button.parentNode, key = th.getAttribute('data-key');
      state.direction = state.key === key && state.direction === 'ascending' ? 'descending' : 'ascending';
      state.key = key;
      Array.prototype.slice.call(table.querySelectorAll('th[data-key]')).forEach(function (h) { h.setAttribute('aria-sort', h === th ? state.direction : 'none'); });
      render();
    });
  });
  ['f-severity', 'f-tool', 'f-status', 'f-group', 'f-new', 'f-blocking'].forEach(function (id) { byId(id).addEventListener('change', render); });
  byId('f-text').addEventListener('input', render);
  render();
  d.body.setAttribute('data-ready', 'true');
})();
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The page's policy: its own script and style by hash, no fetch, no frame, no form, no base. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; script-src ${sha256(SCRIPT)}; style-src ${sha256(STYLE)}; img-src data:; base-uri 'none'; form-action 'none'`;

function link(l: Link): string {
  return l.url ? `<a href="${escapeHtml(l.url)}" rel="noopener noreferrer" target="_blank">${escapeHtml(l.text)}</a>` : escapeHtml(l.text);
}

function verdictLine(v: GateVerdict): string {
  const word = v.passed ? 'passed' : 'FAILED';
  const threshold = v.failOn ? `, fail on ${escapeHtml(v.failOn)}` : '';
  const consequence = v.consequence ? ` → ${escapeHtml(v.consequence)}` : '';
  const summary = v.summary ? `<span class="summary">${escapeHtml(v.summary)}</span>` : '';
  return `<li class="${v.passed ? 'passed' : 'failed'}"><strong>${escapeHtml(v.stage)}</strong>: ${word} (${v.blocking} blocking${threshold})${consequence}${summary}</li>`;
}

function verdictSection(model: ReportModel): string {
  if (model.verdicts.length === 0) {
    const active = model.rows.filter((r) => r.status === 'active').length;
    return `<section id="verdict" class="verdict" role="status"><h2>No gate was run</h2><p>${active} active finding(s).</p></section>`;
  }
  const failed = model.verdicts.filter((v) => !v.passed);
  const heading = failed.length > 0 ? `Gate FAILED: ${failed.map((v) => escapeHtml(v.stage)).join(', ')}` : 'Gate passed';
  return `<section id="verdict" class="verdict ${failed.length > 0 ? 'failed' : 'passed'}" role="status"><h2>${heading}</h2><ul>${model.verdicts.map(verdictLine).join('')}</ul></section>`;
}

function chart(model: ReportModel): string {
  const rows = model.countsByTool.filter((t) => t.total > 0);
  if (rows.length === 0) return '<p class="muted">No active findings.</p>';
  const max = Math.max(...rows.map((r) => r.total));
  const labelWidth = 150;
  const barWidth = 520;
  const rowHeight = 26;
  const bars = rows
    .map((t, i) => {
      let x = labelWidth;
      const y = 6 + i * rowHeight;
      const segments = DESCENDING.filter((s) => t.counts[s] > 0)
        .map((s) => {
          const width = (t.counts[s] / max) * barWidth;
          const rect = `<rect class="bar sev-${s}" x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="18" data-severity="${s}" data-count="${t.counts[s]}"><title>${escapeHtml(t.tool)}: ${t.counts[s]} ${s}</title></rect>`;
          x += width;
          return rect;
        })
        .join('');
      return `<g data-tool="${escapeHtml(t.tool)}"><text x="0" y="${y + 13}">${escapeHtml(t.tool)}</text>${segments}<text x="${(x + 6).toFixed(1)}" y="${y + 13}">${t.total}</text></g>`;
    })
    .join('');
  const height = 12 + rows.length * rowHeight;
  return `<svg class="chart" role="img" aria-label="Active findings by tool and severity" viewBox="0 0 ${labelWidth + barWidth + 60} ${height}">${bars}</svg>`;
}

function countsTable(model: ReportModel): string {
  const head = `<tr><th>Tool</th>${DESCENDING.map((s) => `<th class="num"><span class="badge sev-${s}" title="${s}"><span class="long">${s}</span><span class="short">${SHORT[s]}</span></span></th>`).join('')}<th class="num">Total</th></tr>`;
  const body = model.countsByTool
    .map((t) => `<tr data-tool="${escapeHtml(t.tool)}"><td>${escapeHtml(t.tool)}</td>${DESCENDING.map((s) => `<td class="num">${t.counts[s]}</td>`).join('')}<td class="num">${t.total}</td></tr>`)
    .join('');
  return `<div class="scroll"><table class="counts"><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}

function changes(model: ReportModel): string {
  const fresh = model.rows.filter((r) => r.isNew).length;
  const suppressed = model.rows.filter((r) => r.status === 'suppressed').length;
  const blocking = model.rows.filter((r) => r.blocking).length;
  const items = [
    `<a href="#findings-section" id="c-blocking">${blocking} blocking</a>`,
    model.hasPrevious ? `<a href="#findings-section" id="c-new">${fresh} new since the previous run</a>` : `<span class="muted">no previous run to compare with</span>`,
    `<a href="#fixed" id="c-fixed">${model.fixed.length} fixed by this run</a>`,
    `<a href="#suppressed" id="c-suppressed">${suppressed} suppressed</a>`,
  ];
  return `<div class="changes">${items.join('')}</div>`;
}

function details(row: ReportRow): string {
  const items: [string, string][] = [];
  if (row.description) items.push(['Description', escapeHtml(row.description)]);
  if (row.remediation) items.push(['Remediation', escapeHtml(row.remediation)]);
  if (row.remediationUrl) items.push(['Advice (from the report)', `<span class="muted">${escapeHtml(row.remediationUrl)}</span>`]);
  if (row.fixedVersion) items.push(['Fixed version', escapeHtml(row.fixedVersion)]);
  if (row.cvss) items.push(['CVSS', escapeHtml(row.cvss)]);
  if (row.cves.length > 0) items.push(['CVE', row.cves.map(link).join(', ')]);
  if (row.cwes.length > 0) items.push(['CWE', row.cwes.map(link).join(', ')]);
  items.push(['KEV', row.kev ? '<span class="tag kev">known exploited</span>' : 'no']);
  if (row.epss !== undefined) items.push(['EPSS', escapeHtml(row.epss.toFixed(3))]);
  if (row.firstSeen) items.push(['First seen', `${escapeHtml(row.firstSeen)}${row.ageDays !== undefined ? ` (${row.ageDays} days ago)` : ''}`]);
  if (row.suppression) items.push(['Suppressed', suppressionText(row)]);
  items.push(['Rule', escapeHtml(row.rule)]);
  if (row.repositoryUrl) items.push(['Source', `<a href="${escapeHtml(row.repositoryUrl)}" rel="noopener noreferrer" target="_blank">${escapeHtml(row.location)}</a>`]);
  items.push(['Security Hub', row.consoleUrl ? `<a href="${escapeHtml(row.consoleUrl)}" rel="noopener noreferrer" target="_blank">open in the console</a>` : `<span class="muted">${escapeHtml(row.id)}</span>`]);
  return `<dl>${items.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function suppressionText(row: ReportRow): string {
  const s = row.suppression!;
  return [escapeHtml(s.reason), s.owner ? `owner ${escapeHtml(s.owner)}` : '', s.expires ? `expires ${escapeHtml(s.expires)}` : '', s.source ? `(${escapeHtml(s.source)})` : ''].filter(Boolean).join(' · ');
}

const SEVERITY_RANK: Readonly<Record<SeverityLabel, number>> = { CRITICAL: 5, HIGH: 4, MEDIUM: 3, LOW: 2, INFORMATIONAL: 1 };

function findingRow(row: ReportRow, index: number): string {
  const search = [row.title, row.tool, row.rule, row.location, row.id, ...row.cves.map((c) => c.text), ...row.cwes.map((c) => c.text), row.packageName ?? ''].join(' ').toLowerCase();
  const tags = [row.blocking ? '<span class="tag blocking">blocking</span>' : '', row.isNew ? '<span class="tag new">new</span>' : '', row.kev ? '<span class="tag kev">KEV</span>' : ''].join('');
  const attributes = [
    `data-id="${escapeHtml(row.id)}"`,
    `data-severity="${row.severity}"`,
    `data-rank="${SEVERITY_RANK[row.severity]}"`,
    `data-tool="${escapeHtml(row.tool)}"`,
    `data-status="${row.status}"`,
    `data-new="${row.isNew}"`,
    `data-blocking="${row.blocking}"`,
    `data-age="${row.ageDays ?? -1}"`,
    `data-title="${escapeHtml(row.title)}"`,
    `data-location="${escapeHtml(row.location)}"`,
    `data-package="${escapeHtml(row.packageName ?? '')}"`,
    `data-rule="${escapeHtml(row.rule)}"`,
    `data-file="${escapeHtml(row.file ?? '')}"`,
    `data-search="${escapeHtml(search)}"`,
  ].join(' ');
  const detailsId = `d-${index}`;
  return (
    `<tr class="finding sev-${row.severity}" ${attributes}>` +
    `<td data-label="Severity"><button class="toggle" type="button" aria-expanded="false" aria-controls="${detailsId}"><span class="badge">${row.severity}</span></button></td>` +
    `<td data-label="Tool">${escapeHtml(row.tool)}</td>` +
    `<td data-label="Finding" class="title">${escapeHtml(row.title)}${tags}</td>` +
    `<td data-label="Where" class="loc">${row.repositoryUrl ? `<a href="${escapeHtml(row.repositoryUrl)}" rel="noopener noreferrer" target="_blank">${escapeHtml(row.location)}</a>` : escapeHtml(row.location)}</td>` +
    `<td data-label="Status">${row.status}</td>` +
    `<td data-label="Age" class="num">${row.ageDays === undefined ? '' : `${row.ageDays} d`}</td>` +
    `</tr><tr class="details" id="${detailsId}" hidden><td colspan="6">${details(row)}</td></tr>`
  );
}

function option(value: string, text: string, selected = false): string {
  return `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(text)}</option>`;
}

function filters(model: ReportModel): string {
  const active = model.rows.some((r) => r.status === 'active');
  return (
    `<div class="filters" role="search">` +
    `<label>Severity<select id="f-severity">${option('', 'all')}${DESCENDING.map((s) => option(s, s)).join('')}</select></label>` +
    `<label>Tool<select id="f-tool">${option('', 'all')}${model.tools.map((t) => option(t, t)).join('')}</select></label>` +
    `<label>Status<select id="f-status">${option('', 'all', !active)}${['active', 'suppressed', 'resolved', 'archived'].map((s) => option(s, s, active && s === 'active')).join('')}</select></label>` +
    `<label>Group by<select id="f-group">${option('', 'nothing')}${option('package', 'package')}${option('rule', 'rule')}${option('file', 'file')}</select></label>` +
    `<label>Search<input id="f-text" type="search" placeholder="title, CVE, file…" autocomplete="off"></label>` +
    `<label class="check"><input id="f-new" type="checkbox"${model.hasPrevious ? '' : ' disabled'}> new only</label>` +
    `<label class="check"><input id="f-blocking" type="checkbox"> blocking only</label>` +
    `</div><p id="shown" class="muted" aria-live="polite"></p>`
  );
}

function findingsTable(model: ReportModel): string {
  const head = ['severity:Severity', 'tool:Tool', 'title:Finding', 'location:Where', 'status:Status', 'age:Age']
    .map((spec) => {
      const [key, text] = spec.split(':') as [string, string];
      return `<th data-key="${key === 'severity' ? 'rank' : key}" aria-sort="none"${key === 'age' ? ' class="num"' : ''}><button type="button">${text}</button></th>`;
    })
    .join('');
  return `<table id="findings" class="cards"><thead><tr>${head}</tr></thead><tbody>${model.rows.map(findingRow).join('')}</tbody></table>`;
}

function fixedSection(model: ReportModel): string {
  const body =
    model.fixed.length === 0
      ? '<p class="muted">Nothing was fixed by this run.</p>'
      : `<table class="cards"><thead><tr><th>Severity</th><th>Tool</th><th>Finding</th><th>Where</th></tr></thead><tbody>${model.fixed
          .map((r) => `<tr class="sev-${r.severity}" data-id="${escapeHtml(r.id)}"><td data-label="Severity"><span class="badge">${r.severity}</span></td><td data-label="Tool">${escapeHtml(r.tool)}</td><td data-label="Finding" class="title">${escapeHtml(r.title)}</td><td data-label="Where" class="loc">${escapeHtml(r.location)}</td></tr>`)
          .join('')}</tbody></table>`;
  return `<section id="fixed"><h2>Fixed by this run (${model.fixed.length})</h2>${body}</section>`;
}

function suppressedSection(model: ReportModel): string {
  const rows = model.rows.filter((r) => r.status === 'suppressed');
  const body =
    rows.length === 0
      ? '<p class="muted">No suppressed findings.</p>'
      : `<table class="cards"><thead><tr><th>Severity</th><th>Finding</th><th>Reason</th><th>Owner</th><th>Expires</th><th>Decided in</th></tr></thead><tbody>${rows
          .map(
            (r) =>
              `<tr class="sev-${r.severity}" data-id="${escapeHtml(r.id)}"><td data-label="Severity"><span class="badge">${r.severity}</span></td><td data-label="Finding" class="title">${escapeHtml(r.title)}</td><td data-label="Reason">${escapeHtml(r.suppression?.reason ?? '')}</td><td data-label="Owner">${escapeHtml(r.suppression?.owner ?? '')}</td><td data-label="Expires">${escapeHtml(r.suppression?.expires ?? '')}</td><td data-label="Decided in">${escapeHtml(r.suppression?.source ?? '')}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<section id="suppressed"><h2>Suppressed (${rows.length})</h2>${body}</section>`;
}

/** The whole page. */
export function renderHtmlReport(input: HtmlReportInput): string {
  const model = buildReportModel(input);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(model.title)}</title>
<style>${STYLE}</style></head>
<body>
<header><h1>${escapeHtml(model.title)}</h1><p class="meta">Generated ${escapeHtml(model.generatedAt)} · ${model.rows.length} finding(s)</p></header>
<main>
${verdictSection(model)}
<section id="counts"><h2>Active findings by tool and severity</h2>${chart(model)}${countsTable(model)}</section>
<section id="changes-section"><h2>This run</h2>${changes(model)}</section>
<section id="findings-section"><h2>Findings</h2>${filters(model)}${findingsTable(model)}</section>
${fixedSection(model)}
${suppressedSection(model)}
</main>
<script>${SCRIPT}</script>
</body></html>
`;
}
