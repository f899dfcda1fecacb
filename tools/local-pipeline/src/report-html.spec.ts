import { createHash } from 'node:crypto';
import { HOSTILE_TITLES, knownFindings, scanFinding } from './__fixtures__/findings';
import { activeRows, toRow } from './findings-view';
import { CONTENT_SECURITY_POLICY, escapeHtml, niceScale, renderChart, renderReport, type ReportInput } from './report-html';

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    title: 'hospital/patient-portal: local pipeline run',
    generatedAt: '2026-11-22T14:10:00.000Z',
    repository: 'hospital/patient-portal',
    branch: 'main',
    commit: 'a11ce0de00000000000000000000000000000001',
    sample: 'patient-portal',
    rows: activeRows(knownFindings()),
    ...overrides,
  };
}

/** Every `name="value"` of the elements matching `tag … class` in the markup. */
function elements(html: string, pattern: RegExp): Record<string, string>[] {
  return [...html.matchAll(pattern)].map((m) => Object.fromEntries([...m[0].matchAll(/([a-z-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])));
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

describe('HTML report', () => {
  it('draws one stacked bar per tool whose segments carry the counts by severity', () => {
    // Act
    const html = renderReport(input());
    // Assert
    const segments = elements(html, /<rect class="bar [^>]*>/g);
    const byTool = (tool: string) => segments.filter((s) => s['data-tool'] === tool).map((s) => `${s['data-severity']} ${s['data-count']}`);
    expect(byTool('dependency-check')).toEqual(['CRITICAL 1', 'HIGH 2']);
    expect(byTool('semgrep')).toEqual(['HIGH 1']);
    expect(byTool('zap')).toEqual(['MEDIUM 1', 'LOW 1']);
    expect(elements(html, /<g class="tool-bar"[^>]*>/g).map((g) => [g['data-tool'], g['data-total']])).toEqual([
      ['dependency-check', '3'],
      ['semgrep', '1'],
      ['zap', '2'],
    ]);
  });

  it('makes segment heights proportional to their counts, stacked without gaps', () => {
    // Act
    const chart = renderChart([{ tool: 't', counts: { INFORMATIONAL: 0, LOW: 1, MEDIUM: 0, HIGH: 3, CRITICAL: 0 }, total: 4 }]);
    // Assert
    const [high, low] = elements(chart, /<rect class="bar [^>]*>/g).map((r) => ({ y: Number(r.y), height: Number(r.height) }));
    expect(high!.height / 3).toBeCloseTo(low!.height / 1, 1);
    expect(low!.y + low!.height).toBeCloseTo(high!.y, 1);
  });

  it('lists every active finding in the table, most severe first, with the severity rank to sort on', () => {
    // Act
    const html = renderReport(input());
    // Assert
    const rows = [...html.matchAll(/<tr data-order="\d+"[^>]*><td data-value="(\d)">/g)].map((m) => Number(m[1]));
    expect(rows).toEqual([4, 3, 3, 3, 2, 1]);
    expect(html).toContain('<p class="meta" id="summary" data-total="6">');
  });

  it('renders attacker-controlled text as text: no markup of a finding reaches the page', () => {
    // Arrange
    const rows = activeRows(HOSTILE_TITLES.map((title, i) => scanFinding('zap', i, 'HIGH', { title, resources: [{ Type: 'Other', Id: `https://x.example/?q=${title}` }] })));
    // Act
    const html = renderReport(input({ rows, title: '<b>portal</b>', archived: rows.map((r) => ({ ...r })) }));
    // Assert
    for (const title of HOSTILE_TITLES) {
      expect(html).not.toContain(title);
      expect(html).toContain(escapeHtml(title));
    }
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/<(img|svg)[^>]*\son[a-z]+=/i);
    expect(html).toContain('<title>&lt;b&gt;portal&lt;/b&gt;</title>');
  });

  it('is self-contained: no src, href or url() to load, and a policy that allows no network access', () => {
    // Act
    const html = renderReport(input());
    // Assert
    expect(html).not.toMatch(/<[^>]+\s(src|href)=/i);
    expect(html).not.toMatch(/url\(|@import/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none';/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|https?:/);
  });

  it("allows exactly its own script and style by hash in the Content-Security-Policy", () => {
    // Act
    const html = renderReport(input());
    // Assert
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(html).toContain(`content="${CONTENT_SECURITY_POLICY}"`);
    expect(CONTENT_SECURITY_POLICY).toContain(`script-src 'sha256-${sha256(script)}'`);
    expect(CONTENT_SECURITY_POLICY).toContain(`style-src 'sha256-${sha256(style)}'`);
  });

  it('lists the findings this run archived', () => {
    // Arrange
    const archived = [toRow(scanFinding('dependency-check', 9, 'HIGH', { title: 'lodash@4.17.15: CVE-2021-23337' }))];
    // Act
    const html = renderReport(input({ archived }));
    // Assert
    expect(html).toMatch(/<ul id="archived"><li><span class="sev sev-HIGH">HIGH<\/span> dependency-check: lodash@4\.17\.15: CVE-2021-23337/);
  });

  it('says so when nothing is active, without a chart', () => {
    // Act
    const html = renderReport(input({ rows: [] }));
    // Assert
    expect(html).toContain('No active findings.');
    expect(html).not.toContain('<svg');
  });

  it('gives the same page for the same data', () => {
    // Act / Assert
    expect(renderReport(input())).toBe(renderReport(input()));
  });

  it('escapes the five HTML-significant characters', () => {
    // Act / Assert
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('picks a round axis maximum and step', () => {
    // Act / Assert
    expect(niceScale(0)).toEqual({ top: 1, step: 1 });
    expect(niceScale(4)).toEqual({ top: 4, step: 1 });
    expect(niceScale(7)).toEqual({ top: 8, step: 2 });
    expect(niceScale(23)).toEqual({ top: 25, step: 5 });
    expect(niceScale(480)).toEqual({ top: 500, step: 100 });
  });
});
