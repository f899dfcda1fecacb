import type { ParsedReport } from '@devsecops/asff';
import { ReportError, type ParseOptions, type ReportDocument, type StreamingJsonParser, type StreamingParse } from '@devsecops/report-input';
import { readAlert, type StreamedAlerts } from './read';

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
          if (!isObject(value)) {
            current!.counters.skippedAlerts += 1;
            return;
          }
          try {
            current!.alerts.push(flatCopy(readAlert(value, current!.counters)));
          } catch (error) {
            // As the in-memory parse says it: the user's report, not a crash.
            throw new ReportError(source, `could not be read as a ZAP report: ${(error as Error)?.message ?? String(error)}`);
          }
        },
        finish: (doc) => convert(doc, streamed, options),
      };
    },
  };
}
