import { ZapScanError } from './errors';
import { originOf } from './plan';

export interface TargetReport {
  /** The daemon's report with `site` reduced to the target's origin; every other key as ZAP wrote it. */
  report: Record<string, unknown>;
  alerts: number;
  /** Names of the sites that were dropped (other targets scanned by the same daemon). */
  droppedSites: string[];
}

function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null || value === '' ? [] : [value];
}

function siteName(site: unknown): string {
  const name = typeof site === 'object' && site !== null ? (site as Record<string, unknown>)['@name'] : undefined;
  return typeof name === 'string' ? name : '';
}

/**
 * Keeps only the sites of the target's origin (scheme, host and port, as ZAP names sites). A long-running daemon
 * holds the alerts of every target it ever scanned in this session; they are not this scan's findings.
 * Alerts of other paths on the same origin stay (ZAP's report has no finer unit): use a new session to drop them.
 */
export function reportForOrigin(text: string, origin: string): TargetReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ZapScanError('report', `the JSON report is not valid JSON (${text.length} characters)`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('site' in parsed)) {
    throw new ZapScanError('report', 'the JSON report has no "site" list: is this ZAP’s /OTHER/core/other/jsonreport/?');
  }
  const report = parsed as Record<string, unknown>;
  const sites = asArray(report.site);
  const kept = sites.filter((site) => originOf(siteName(site)) === origin);
  const droppedSites = sites.filter((site) => !kept.includes(site)).map(siteName);
  if (kept.length === 0) {
    const held = droppedSites.length > 0 ? droppedSites.join(', ') : 'none';
    throw new ZapScanError('report', `the report has no site ${origin} (it has: ${held}): the target was not reached`);
  }
  const alerts = kept.reduce<number>((sum, site) => sum + asArray((site as Record<string, unknown>).alerts).length, 0);
  return { report: { ...report, site: kept }, alerts, droppedSites };
}
