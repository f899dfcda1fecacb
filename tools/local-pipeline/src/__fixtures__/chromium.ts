import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/**
 * Headless Chromium from Debian's `chromium` package, for the tests that render report.html in a real browser.
 * No browser is downloaded: the package is installed (by the jest global setup, as root) or the tests are skipped.
 */

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export function chromiumPath(): string | undefined {
  const candidate = process.env.CHROMIUM_PATH ?? DEBIAN_CHROMIUM;
  return existsSync(candidate) ? candidate : undefined;
}

/** Installs the Debian package when it is missing and we may (root, apt-get present); says why not otherwise. */
export function ensureChromium(): { path?: string; reason?: string } {
  const present = chromiumPath();
  if (present) return { path: present };
  if (process.env.CHROMIUM_PATH) return { reason: `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist` };
  if (process.env.SKIP_CHROMIUM_INSTALL) return { reason: `${DEBIAN_CHROMIUM} is missing and SKIP_CHROMIUM_INSTALL is set` };
  if (process.getuid?.() !== 0) return { reason: `${DEBIAN_CHROMIUM} is missing and only root can install it (apt-get install -y chromium)` };
  if (!existsSync('/usr/bin/apt-get')) return { reason: `${DEBIAN_CHROMIUM} is missing and this system has no apt-get` };
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const result = spawnSync('apt-get', args, { env, encoding: 'utf8', timeout: 600_000 });
    if (result.status !== 0) return { reason: `apt-get ${args.join(' ')} failed: ${(result.stderr || result.stdout || String(result.error)).trim().split('\n').slice(-3).join(' ')}` };
  }
  return chromiumPath() ? { path: DEBIAN_CHROMIUM } : { reason: `apt-get installed chromium but ${DEBIAN_CHROMIUM} is still missing` };
}

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

/** What the e2e test reads from report.html as Chromium rendered it. */
export interface RenderedReport {
  verdict: string;
  /** Active findings per tool, summed from the chart's segments. */
  chart: Record<string, number>;
  activeRows: number;
  errors: string[];
  external: string[];
}

/** Opens the report in headless Chromium (playwright-core drives Debian's browser; nothing is downloaded). */
export async function readRenderedReport(executablePath: string, file: string): Promise<RenderedReport> {
  const browser = await chromium.launch({ executablePath, args: FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    const external: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) external.push(r.url());
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="true"]');
    const chart = await page.locator('svg.chart g[data-tool]').evaluateAll((groups) =>
      Object.fromEntries(
        groups.map((g) => [g.getAttribute('data-tool') ?? '', Array.from(g.querySelectorAll('rect')).reduce((sum: number, r) => sum + Number((r as { getAttribute(n: string): string | null }).getAttribute('data-count')), 0)]),
      ),
    );
    return {
      verdict: await page.locator('#verdict').innerText(),
      chart,
      activeRows: await page.locator('#findings tr.finding[data-status="active"]').count(),
      errors,
      external,
    };
  } finally {
    await browser.close();
  }
}
