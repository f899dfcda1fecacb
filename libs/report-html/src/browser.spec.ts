import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { NOW, sampleFindings } from './__fixtures__/sample-findings';
import { renderHtmlReport } from './render';

/**
 * The page in a real browser: Debian's chromium (installed by .ci/run), driven by playwright-core, which downloads
 * no browser of its own. Without chromium these tests are skipped and say why.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) process.stderr.write(`[report-html] no Chromium at ${CHROMIUM} (apt-get install -y chromium): browser tests skipped\n`);

const OUT = join(__dirname, '..', '..', '..', 'tmp', 'report-html');
const findings = sampleFindings();
const fixedFindings = sampleFindings('patient-portal-fixed').slice(0, 1).map((f) => ({ ...f, RecordState: 'ARCHIVED' as const }));
const active = findings.filter((f) => f.RecordState === 'ACTIVE' && f.Workflow?.Status !== 'SUPPRESSED');
const high = active.filter((f) => f.Severity?.Label === 'HIGH');
const blocking = active.filter((f) => ['HIGH', 'CRITICAL'].includes(f.Severity?.Label ?? '')).map((f) => f.Id!);

function writeReport(): string {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'report.html');
  writeFileSync(
    file,
    renderHtmlReport({
      title: 'hospital/patient-portal@main',
      generatedAt: NOW,
      findings,
      fixed: fixedFindings,
      blockingIds: blocking,
      previousActiveIds: active.slice(2).map((f) => f.Id!),
      verdicts: [
        { stage: 'Scan', passed: false, blocking: blocking.length, failOn: 'HIGH', consequence: 'stopped before staging' },
        { stage: 'DAST', passed: true, blocking: 0, failOn: 'HIGH' },
      ],
      repositoryUrlTemplate: 'https://github.com/hospital/patient-portal/blob/{commit}/{path}#L{line}',
      region: 'eu-west-1',
    }),
  );
  return file;
}

describeInBrowser('the HTML report in headless Chromium', () => {
  jest.setTimeout(120_000);
  let browser: Browser;
  let file: string;
  const external: string[] = [];
  const errors: string[] = [];

  async function open(width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) external.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  }

  const visibleRows = (page: Page) => page.locator('#findings tr.finding:not([hidden])').count();

  beforeAll(async () => {
    file = writeReport();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the gate verdict first, and the active findings', async () => {
    // Act
    const page = await open(1400);
    const verdict = await page.locator('#verdict').innerText();
    const firstSection = await page.locator('main > section').first().getAttribute('id');

    // Assert
    expect(firstSection).toBe('verdict');
    expect(verdict).toContain('Gate FAILED: Scan');
    expect(verdict).toContain(`Scan: FAILED (${blocking.length} blocking, fail on HIGH) → stopped before staging`);
    expect(await visibleRows(page)).toBe(active.length);
    expect(await page.locator('#shown').innerText()).toBe(`Showing ${active.length} of ${findings.length} findings`);
    await page.close();
  });

  it('narrows the rows with the severity filter, the text search and "new only"', async () => {
    // Arrange
    const page = await open(1400);

    // Act
    await page.selectOption('#f-severity', 'HIGH');
    const highRows = await visibleRows(page);
    await page.selectOption('#f-severity', '');
    await page.fill('#f-text', 'cve-2021-44228');
    const searched = await page.locator('#findings tr.finding:not([hidden])').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-title')));
    await page.fill('#f-text', '');
    await page.check('#f-new');
    const fresh = await visibleRows(page);

    // Assert
    expect(highRows).toBe(high.length);
    expect(highRows).toBeLessThan(active.length);
    expect(searched).toHaveLength(1);
    expect(searched[0]).toContain('log4j-core');
    expect(fresh).toBe(2);
    await page.close();
  });

  it('opens a row to its details: remediation, fixed version, CVSS, CWE, KEV, first seen, links', async () => {
    // Arrange
    const page = await open(1400);
    await page.fill('#f-text', 'cve-2021-44228');
    const row = page.locator('#findings tr.finding:not([hidden])').first();

    // Act
    await row.locator('button.toggle').click();
    const details = page.locator(`#${await row.locator('button.toggle').getAttribute('aria-controls')}`);
    const text = await details.innerText();
    const links = await details.locator('a').evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));

    // Assert
    expect(await details.isVisible()).toBe(true);
    expect(await row.locator('button.toggle').getAttribute('aria-expanded')).toBe('true');
    for (const label of ['Remediation', 'Fixed version', 'CVSS', 'CVE', 'KEV', 'First seen', 'Security Hub']) expect(text).toContain(label);
    expect(links).toContain('https://nvd.nist.gov/vuln/detail/CVE-2021-44228');
    expect(links.some((l) => l.startsWith('https://console.aws.amazon.com/securityhub/home?region=eu-west-1#/findings?search=Id'))).toBe(true);
    await page.close();
  });

  it('groups by package and sorts by clicking a header', async () => {
    // Arrange
    const page = await open(1400);

    // Act
    await page.selectOption('#f-group', 'package');
    const groups = await page.locator('#findings tr.group:not([hidden])').allInnerTexts();
    await page.selectOption('#f-group', '');
    await page.click('#findings th[data-key="age"] button');
    await page.click('#findings th[data-key="rank"] button');
    await page.click('#findings th[data-key="rank"] button');
    const severities = await page.locator('#findings tr.finding:not([hidden])').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-rank'))));
    const aria = await page.locator('#findings th[data-key="rank"]').getAttribute('aria-sort');

    // Assert
    expect(groups.some((g) => /log4j-core \(\d+\)/.test(g))).toBe(true);
    expect(aria).toBe('descending');
    expect(severities).toEqual([...severities].sort((a, b) => b - a));
    await page.close();
  });

  it('lists what this run fixed and the suppressed findings with their reasons', async () => {
    // Act
    const page = await open(1400);
    const fixed = await page.locator('#fixed').innerText();

    // Assert
    expect(fixed).toContain(`Fixed by this run (${fixedFindings.length})`);
    expect(await page.locator('#suppressed h2').innerText()).toMatch(/^Suppressed \(\d+\)$/);
    await page.close();
  });

  it('is readable at 420 px wide: no horizontal scrolling, rows as cards; screenshots at 1400 and 420 px', async () => {
    // Act
    const wide = await open(1400);
    await wide.screenshot({ path: join(OUT, 'report-1400.png'), fullPage: false });
    const narrow = await open(420);
    await narrow.locator('#findings tr.finding:not([hidden]) button.toggle').first().click();
    await narrow.screenshot({ path: join(OUT, 'report-420.png'), fullPage: false });
    // Runs in the page: typed loosely, this project compiles without the DOM library.
    const overflow = await narrow.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    const display = await narrow.locator('#findings tr.finding').first().evaluate((tr) => (globalThis as unknown as { getComputedStyle(e: unknown): { display: string } }).getComputedStyle(tr).display);

    // Assert
    expect(overflow).toBeLessThanOrEqual(0);
    expect(display).toBe('block');
    expect(existsSync(join(OUT, 'report-1400.png')) && existsSync(join(OUT, 'report-420.png'))).toBe(true);
    await wide.close();
    await narrow.close();
  });

  it('made no request outside the file and logged no error (a CSP violation would be one)', () => {
    // Assert
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });
});
