import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

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

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

/** The DOM after the page's scripts ran, as Chromium serialises it (--dump-dom). */
export function dumpDom(chromium: string, file: string, hash = ''): string {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  try {
    const result = spawnSync(chromium, [...FLAGS, `--user-data-dir=${profile}`, '--dump-dom', `${pathToFileURL(file).href}${hash}`], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0 || !result.stdout) throw new Error(`chromium failed (${result.status ?? result.signal}): ${result.stderr.slice(-500)}`);
    return result.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** What the observer reads from the rendered page. */
export interface Observation {
  ready: string | null;
  pwned: string | null;
  scripts: number;
  title: string;
  summary: string;
  bars: { tool: string; label: string; total: string; segments: { severity: string; count: number; height: number; fill: string }[] }[];
  counts: (string | number)[][];
  rows: string[][];
  injected: number;
  sort: { key: string | null; direction: string | null; aria: Record<string, string | null> };
  clicks: { key: string; rows: string[][]; sort: { key: string | null; direction: string | null; aria: Record<string, string | null> } }[];
}

/**
 * Runs in the page after its own script: reads the chart and tables as rendered (SVG geometry, computed colours),
 * clicks the given headers one after the other (real click events on the buttons), and leaves the result, base64
 * JSON, in an attribute of a new element.
 */
function observerScript(clicks: readonly string[]): string {
  return `
(function () {
  var d = document;
  var all = function (sel, root) { return Array.prototype.slice.call((root || d).querySelectorAll(sel)); };
  var rows = function () { return all('#findings tbody tr').map(function (tr) { return all('td', tr).map(function (td) { return td.textContent; }); }); };
  var sort = function () {
    var t = d.getElementById('findings');
    var aria = {};
    all('#findings th').forEach(function (th) { aria[th.getAttribute('data-key')] = th.getAttribute('aria-sort'); });
    return { key: t.getAttribute('data-sort-key'), direction: t.getAttribute('data-sort-direction'), aria: aria };
  };
  var out = {
    ready: d.documentElement.getAttribute('data-ready'),
    pwned: d.documentElement.getAttribute('data-pwned'),
    scripts: d.scripts.length,
    title: d.title,
    summary: (d.getElementById('summary') || {}).textContent || '',
    bars: all('#chart g.tool-bar').map(function (g) {
      return {
        tool: g.getAttribute('data-tool'),
        label: g.querySelector('.bar-label').textContent,
        total: g.querySelector('.bar-total').textContent,
        segments: all('rect.bar', g).map(function (r) {
          return { severity: r.getAttribute('data-severity'), count: Number(r.getAttribute('data-count')), height: r.getBBox().height, fill: getComputedStyle(r).fill };
        })
      };
    }),
    counts: all('#counts tr[data-tool]').map(function (tr) { return [tr.getAttribute('data-tool')].concat(all('td', tr).map(function (td) { return Number(td.textContent); })); }),
    rows: rows(),
    injected: all('#findings img, #findings svg, #findings script, #archived img, #archived svg, #archived script').length,
    sort: sort(),
    clicks: []
  };
  ${JSON.stringify(clicks)}.forEach(function (key) {
    d.querySelector('#findings th[data-key="' + key + '"] button').click();
    out.clicks.push({ key: key, rows: rows(), sort: sort() });
  });
  var pre = d.createElement('pre');
  pre.id = 'observed';
  pre.setAttribute('data-json', btoa(unescape(encodeURIComponent(JSON.stringify(out)))));
  d.body.appendChild(pre);
})();`;
}

/**
 * Opens a copy of `html` with the observer added (its hash added to the page's script-src, the policy otherwise
 * unchanged) and returns what it saw.
 */
export function observeInBrowser(chromium: string, html: string, options: { clicks?: readonly string[]; hash?: string } = {}): Observation {
  const script = observerScript(options.clicks ?? []);
  const hash = `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
  if (!html.includes('script-src ')) throw new Error('the page has no script-src policy');
  const page = html.replace('script-src ', `script-src ${hash} `).replace('</body>', `<script>${script}</script>\n</body>`);
  const dir = mkdtempSync(join(tmpdir(), 'report-'));
  try {
    const file = join(dir, 'report.html');
    writeFileSync(file, page);
    const dom = dumpDom(chromium, file, options.hash);
    const encoded = /id="observed" data-json="([^"]+)"/.exec(dom)?.[1];
    if (!encoded) throw new Error(`the observer left no result: the page's scripts did not run to the end\n${dom.slice(0, 2000)}`);
    return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Observation;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
