import { HOSTILE_TITLES, knownFindings, scanFinding } from './__fixtures__/findings';
import { chromiumPath, DEBIAN_CHROMIUM, observeInBrowser } from './__fixtures__/chromium';
import { activeRows, toRow } from './findings-view';
import { renderReport, SEVERITY_COLOURS, type ReportInput } from './report-html';

// The jest global setup installs Debian's chromium when it can; without it these tests are skipped, and it says why.
const chromium = chromiumPath();
const describeInBrowser = chromium ? describe : describe.skip;
if (!chromium) process.stderr.write(`[local-pipeline] report-browser.spec: no Chromium at ${process.env.CHROMIUM_PATH ?? DEBIAN_CHROMIUM} (apt-get install -y chromium): browser tests skipped\n`);

const hostile = HOSTILE_TITLES.map((title, i) => scanFinding('zap', 20 + i, 'LOW', { title, resources: [{ Type: 'Other', Id: `https://staging.example/?q=${title}` }] }));

function report(overrides: Partial<ReportInput> = {}): string {
  return renderReport({
    title: 'patient-portal <local> run',
    generatedAt: '2026-11-22T14:10:00.000Z',
    repository: 'hospital/patient-portal',
    branch: 'main',
    commit: 'a11ce0de00000000000000000000000000000001',
    sample: 'patient-portal',
    rows: activeRows([...knownFindings(), ...hostile]),
    archived: [toRow(scanFinding('zap', 30, 'LOW', { title: HOSTILE_TITLES[1] }))],
    ...overrides,
  });
}

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

describeInBrowser('report.html in headless Chromium', () => {
  jest.setTimeout(300_000);

  it('runs its script to the end and draws one bar per tool, segment heights proportional to the counts', () => {
    // Act
    const seen = observeInBrowser(chromium!, report());
    // Assert
    expect(seen.ready).toBe('true');
    expect(seen.bars.map((b) => [b.tool, b.label, b.total])).toEqual([
      ['dependency-check', 'dependency-check', '3'],
      ['semgrep', 'semgrep', '1'],
      ['zap', 'zap', '5'],
    ]);
    expect(seen.bars[0]!.segments.map((s) => [s.severity, s.count])).toEqual([
      ['CRITICAL', 1],
      ['HIGH', 2],
    ]);
    expect(seen.bars[2]!.segments.map((s) => [s.severity, s.count])).toEqual([
      ['MEDIUM', 1],
      ['LOW', 4],
    ]);
    const perFinding = seen.bars.flatMap((b) => b.segments.map((s) => s.height / s.count));
    for (const h of perFinding) expect(h).toBeCloseTo(perFinding[0]!, 0);
    expect(perFinding[0]).toBeGreaterThan(10);
  });

  it('applies its own stylesheet under its Content-Security-Policy (severity colours)', () => {
    // Act
    const seen = observeInBrowser(chromium!, report());
    // Assert
    expect(seen.bars[0]!.segments[0]!.fill).toBe(rgb(SEVERITY_COLOURS.CRITICAL));
    expect(seen.bars[2]!.segments[1]!.fill).toBe(rgb(SEVERITY_COLOURS.LOW));
  });

  it('shows the counts table and one row per active finding, most severe first', () => {
    // Act
    const seen = observeInBrowser(chromium!, report());
    // Assert
    expect(seen.counts).toEqual([
      ['dependency-check', 1, 2, 0, 0, 0, 3],
      ['semgrep', 0, 1, 0, 0, 0, 1],
      ['zap', 0, 0, 1, 4, 0, 5],
      ['total', 1, 3, 1, 4, 0, 9],
    ]);
    expect(seen.rows).toHaveLength(9);
    expect(seen.rows.map((r) => r[0])).toEqual(['CRITICAL', 'HIGH', 'HIGH', 'HIGH', 'MEDIUM', 'LOW', 'LOW', 'LOW', 'LOW']);
    expect(seen.summary).toMatch(/^9 active finding\(s\): CRITICAL 1 · HIGH 3 · MEDIUM 1 · LOW 4 · INFORMATIONAL 0$/);
    expect(seen.sort).toMatchObject({ key: 'severity', direction: 'desc', aria: { severity: 'descending', tool: 'none' } });
  });

  it('sorts by a header click, the other way on a second click, and by severity rank (not alphabetically)', () => {
    // Act
    const seen = observeInBrowser(chromium!, report(), { clicks: ['tool', 'tool', 'severity', 'severity', 'title'] });
    // Assert
    const [toolAsc, toolDesc, severityDesc, severityAsc, titleAsc] = seen.clicks;
    const column = (rows: string[][], i: number) => rows.map((r) => r[i]!);
    expect(column(toolAsc!.rows, 1)).toEqual(['dependency-check', 'dependency-check', 'dependency-check', 'semgrep', 'zap', 'zap', 'zap', 'zap', 'zap']);
    expect(toolAsc!.sort).toMatchObject({ key: 'tool', direction: 'asc', aria: { tool: 'ascending', severity: 'none' } });
    expect(column(toolDesc!.rows, 1)).toEqual(['zap', 'zap', 'zap', 'zap', 'zap', 'semgrep', 'dependency-check', 'dependency-check', 'dependency-check']);
    expect(toolDesc!.sort.aria.tool).toBe('descending');
    expect(column(severityDesc!.rows, 0)).toEqual(['CRITICAL', 'HIGH', 'HIGH', 'HIGH', 'MEDIUM', 'LOW', 'LOW', 'LOW', 'LOW']);
    expect(column(severityAsc!.rows, 0)).toEqual(['LOW', 'LOW', 'LOW', 'LOW', 'MEDIUM', 'HIGH', 'HIGH', 'HIGH', 'CRITICAL']);
    const titles = column(titleAsc!.rows, 2);
    expect(titles).toEqual([...titles].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));
    expect(new Set(titles)).toEqual(new Set(column(seen.rows, 2)));
  });

  it('opens sorted as the URL hash says (#sort=tool-desc)', () => {
    // Act
    const seen = observeInBrowser(chromium!, report(), { hash: '#sort=tool-desc' });
    // Assert
    expect(seen.sort).toMatchObject({ key: 'tool', direction: 'desc' });
    expect(seen.rows[0]![1]).toBe('zap');
    expect(seen.rows.at(-1)![1]).toBe('dependency-check');
  });

  it('renders script and markup in finding text inert: shown as text, nothing injected, nothing run', () => {
    // Act
    const seen = observeInBrowser(chromium!, report());
    // Assert
    expect(seen.pwned).toBeNull();
    expect(seen.injected).toBe(0);
    expect(seen.scripts).toBe(2); // the page's own and the observer
    expect(seen.title).toBe('patient-portal <local> run');
    const titles = seen.rows.map((r) => r[2]);
    for (const title of HOSTILE_TITLES) expect(titles).toContain(title);
    expect(seen.rows.map((r) => r[3])).toContain(`https://staging.example/?q=${HOSTILE_TITLES[2]}`);
  });

  it('shows an empty report without a chart and without script errors', () => {
    // Act
    const seen = observeInBrowser(chromium!, report({ rows: [], archived: [] }));
    // Assert
    expect(seen.ready).toBe('true');
    expect(seen.bars).toEqual([]);
    expect(seen.rows).toEqual([]);
  });
});
