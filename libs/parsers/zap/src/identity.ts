import { createHash } from 'node:crypto';
import type { ZapAlert } from './model';

/**
 * A site name reduced to what identifies it: lower-case scheme and host, default port dropped, no trailing slash.
 * `https://Example.com:443/` and `https://example.com` are the same site.
 */
export function siteKey(name: string): string {
  const trimmed = name.trim();
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(trimmed);
  if (!match) return trimmed;
  const scheme = match[1]!.toLowerCase();
  let authority = match[2]!.toLowerCase();
  if ((scheme === 'https' && authority.endsWith(':443')) || (scheme === 'http' && authority.endsWith(':80'))) {
    authority = authority.replace(/:\d+$/, '');
  }
  return `${scheme}://${authority}${match[3]!.replace(/\/+$/, '')}`;
}

/** The rule an alert belongs to: `alertRef` (pluginid or pluginid-N for a variant), else `pluginid`. */
export function ruleIdOf(alert: ZapAlert): string | undefined {
  return alert.alertRef || alert.pluginId || undefined;
}

/** A URI without its query and fragment: query strings carry attack payloads and session tokens that change per scan. */
export function stripQuery(uri: string): string {
  const cut = uri.search(/[?#]/);
  return cut >= 0 ? uri.slice(0, cut) : uri;
}

function shortHash(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12);
}

function normalisedTitle(title: string): string {
  return title.replace(/\s+/g, ' ').trim().toLowerCase();
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].filter((v) => v.length > 0).sort();
}

/**
 * What tells apart alerts that share a site and a rule, from the most to the least stable property. ZAP groups
 * a report's alerts by rule, name and risk (older versions also by confidence), so the first three separate
 * every variant ZAP itself writes; the parameter and URL sets only separate hand-edited or merged reports.
 */
const DISCRIMINATORS: ReadonlyArray<(alert: ZapAlert) => string> = [
  (a) => `title=${normalisedTitle(a.title)}`,
  (a) => `risk=${a.riskCode ?? '?'}`,
  (a) => `confidence=${a.confidence ?? '?'}`,
  (a) => {
    const params = sortedUnique(a.instances.map((i) => i.param.toLowerCase())).join(',');
    return `params=${params.length <= 120 ? params : shortHash([params])}`;
  },
  (a) => `urls=${shortHash(sortedUnique(a.instances.map((i) => stripQuery(i.uri))))}`,
];

/**
 * The shortest discriminator prefix that no other member of the group shares. Members equal on every
 * discriminator are numbered in report order: they are the same alert written twice. Linear in the group size.
 */
function variantLabels(group: readonly ZapAlert[]): string[] {
  const tuples = group.map((alert) => DISCRIMINATORS.map((d) => d(alert)));
  const prefixCounts = DISCRIMINATORS.map((_, i) => {
    const counts = new Map<string, number>();
    for (const tuple of tuples) {
      const key = JSON.stringify(tuple.slice(0, i + 1));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  });
  const seenFull = new Map<string, number>();
  return tuples.map((tuple) => {
    for (let i = 0; i < tuple.length; i += 1) {
      if (prefixCounts[i]!.get(JSON.stringify(tuple.slice(0, i + 1))) === 1) return tuple.slice(0, i + 1).join('; ');
    }
    const full = JSON.stringify(tuple);
    const ordinal = (seenFull.get(full) ?? 0) + 1;
    seenFull.set(full, ordinal);
    return `${tuple.join('; ')}; #${ordinal}`;
  });
}

export interface AlertKey {
  ruleId: string;
  location: string;
}

/**
 * The Id inputs of every alert of a report, in input order. location = the site key; when several alerts of one
 * site share a rule, each gets the shortest distinguishing label, e.g. `https://a.example [title=…; risk=1]`.
 * An alert alone in its (site, rule) group keeps the bare site, so its Id does not depend on other alerts.
 */
export function alertKeys(entries: ReadonlyArray<{ siteName: string; alert: ZapAlert; ruleId: string }>): AlertKey[] {
  const groups = new Map<string, number[]>();
  const sites = entries.map((e) => siteKey(e.siteName));
  entries.forEach((entry, index) => {
    const key = JSON.stringify([sites[index], entry.ruleId]);
    const members = groups.get(key);
    if (members) members.push(index);
    else groups.set(key, [index]);
  });
  const keys: AlertKey[] = entries.map((entry, index) => ({ ruleId: entry.ruleId, location: sites[index]! }));
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const labels = variantLabels(members.map((i) => entries[i]!.alert));
    members.forEach((entryIndex, k) => {
      keys[entryIndex]!.location = `${sites[entryIndex]} [${labels[k]}]`;
    });
  }
  return keys;
}
