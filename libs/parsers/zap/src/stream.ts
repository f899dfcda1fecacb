import type { ParsedReport } from '@devsecops/asff';
import { ReportError, type ParseOptions, type ReportDocument, type StreamingJsonParser, type StreamingParse, type StreamingXmlParser } from '@devsecops/report-input';
import { isAlertItem, readAlert, type StreamedAlerts } from './read';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value with every string copied flat. The tokenizer's strings are views of the report's text (every instance
 * keeping its URL would keep its 8 KiB piece alive), and capped fields and status lines are views of the longer
 * field they were cut from (a status line of its whole header block): kept for the whole report, each would keep
 * the longer text alive. Copying the kept alert, not every string read (`detachStrings`), copies only what stays.
 */
function flatCopy<T>(value: T): T {
  if (typeof value === 'string') return (value.length < 13 ? value : (' ' + value).slice(1)) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = flatCopy(value[i]);
  } else if (isObject(value)) {
    const record: Record<string, unknown> = value;
    for (const key of Object.keys(record)) record[key] = flatCopy(record[key]);
  }
  return value;
}

/** One streamed alert read at once into its capped form (a non-object entry is counted as skipped, as in memory). */
function addAlert(into: StreamedAlerts, value: unknown, source: string): void {
  if (!isObject(value)) {
    into.counters.skippedAlerts += 1;
    return;
  }
  try {
    into.alerts.push(flatCopy(readAlert(value, into.counters)));
  } catch (error) {
    // As the in-memory parse says it: the user's report, not a crash.
    throw new ReportError(source, `could not be read as a ZAP report: ${(error as Error)?.message ?? String(error)}`);
  }
}

/**
 * What `zapRoot` looks at in a JSON report, on the members before `site` (ZAP writes `@programName`/`@version`
 * first). A JSON `OWASPZAPReport` wrapper puts its sites deeper than a stream reads: such a report is not claimed.
 */
function claimsZap(root: unknown): boolean {
  return isObject(root) && !('OWASPZAPReport' in root) && ('@version' in root || '@programName' in root);
}

/**
 * ZAP JSON as a stream: each site's `alerts` one at a time, each read at once into its capped ZapAlert. The site
 * they belong to is named at the end, from the complete site node (its `@name` may follow its alerts), and an
 * `OWASPZAPReport` member after the sites (which would make them no report's) drops them, as in memory.
 */
export function zapStreaming(convert: (doc: ReportDocument, streamed: ReadonlyMap<unknown, StreamedAlerts>, options?: ParseOptions) => ParsedReport): StreamingJsonParser {
  return {
    itemsPath: ['site', '*', 'alerts'],
    claims: claimsZap,
    begin(source: string, options?: ParseOptions): StreamingParse {
      const streamed = new Map<unknown, StreamedAlerts>();
      let current: StreamedAlerts | undefined;
      let currentSite: unknown;
      return {
        item(value, _path, site) {
          if (site !== currentSite) {
            currentSite = site;
            current = streamed.get(site);
            if (!current) {
              current = { alerts: [], counters: { skippedAlerts: 0, skippedInstances: 0 } };
              streamed.set(site, current);
            }
          }
          addAlert(current!, value, source);
        },
        finish: (doc) => convert(doc, streamed, options),
      };
    },
  };
}

interface XmlSiteAlerts extends StreamedAlerts {
  /** Items seen, and how the first would have read alone: in memory a single `<alertitem>` is judged differently. */
  count: number;
  firstAlone?: 'alert' | 'not-an-alert' | 'empty' | 'skipped';
}

/**
 * ZAP XML (`-x`, xml-plus) as a stream: each `<alertitem>` of `<OWASPZAPReport><site><alerts>` read at once into
 * its capped alert (`StreamingXmlSplitter`: the in-memory fast-xml-parser reads just that element). The path gives
 * the site's position; at the end each skeleton `<site>` gets its alerts, and a site with a single item is judged as
 * the in-memory read judges one (an element that is no alert is skipped, an empty one is nothing).
 */
export function zapXmlStreaming(convert: (doc: ReportDocument, streamed: ReadonlyMap<unknown, StreamedAlerts>, options?: ParseOptions) => ParsedReport): StreamingXmlParser {
  return {
    itemPath: ['OWASPZAPReport', 'site', 'alerts', 'alertitem'],
    begin(source: string, options?: ParseOptions): StreamingParse {
      const bySite = new Map<number, XmlSiteAlerts>();
      return {
        item(value, path) {
          const siteIndex = typeof path[2] === 'number' ? path[2] : 0;
          let site = bySite.get(siteIndex);
          if (!site) {
            site = { alerts: [], counters: { skippedAlerts: 0, skippedInstances: 0 }, count: 0 };
            bySite.set(siteIndex, site);
          }
          site.count += 1;
          if (site.count === 1) site.firstAlone = !isObject(value) ? (value === '' ? 'empty' : 'skipped') : isAlertItem(value) ? 'alert' : 'not-an-alert';
          addAlert(site, value, source);
        },
        finish(doc) {
          const root = isObject(doc.value) ? doc.value.OWASPZAPReport : undefined;
          const rawSites = isObject(root) ? (Array.isArray(root.site) ? root.site : root.site === undefined ? [] : [root.site]) : [];
          const streamed = new Map<unknown, StreamedAlerts>();
          for (const [index, site] of bySite) {
            const node = rawSites[index];
            if (!isObject(node)) continue;
            if (site.count === 1 && site.firstAlone === 'empty') site.counters.skippedAlerts -= 1;
            if (site.count === 1 && site.firstAlone === 'not-an-alert') {
              site.alerts = [];
              site.counters.skippedAlerts += 1;
            }
            streamed.set(node, site);
          }
          return convert(doc, streamed, options);
        },
      };
    },
  };
}
