import type { FindingDraft, ParsedReport } from '@devsecops/asff';
import type { ParseOptions, ReportDocument, ReportParser } from '@devsecops/report-input';
import { ReportError } from '@devsecops/report-input';
import { alertToDraft } from './draft';
import { alertKeys, ruleIdOf } from './identity';
import type { ZapAlert, ZapReport } from './model';
import { readZapReport, zapRoot, type StreamedAlerts } from './read';
import { zapStreaming, zapXmlStreaming } from './stream';
import { cachedHtmlToPlainText } from './text';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Drafts for every alert of every site of a read report. */
export function reportToDrafts(report: ZapReport, options: ParseOptions = {}): Omit<ParsedReport, 'tool' | 'toolVersion'> {
  const warnings: string[] = [];
  const entries: Array<{ siteName: string; alert: ZapAlert; ruleId: string }> = [];
  let noRule = 0;
  let capped = 0;
  let undercounted = 0;
  let instances = 0;
  for (const site of report.sites) {
    for (const alert of site.alerts) {
      let ruleId = ruleIdOf(alert);
      if (!ruleId) {
        noRule += 1;
        ruleId = alert.title ? `alert:${alert.title.replace(/\s+/g, ' ').trim().slice(0, 100)}` : 'unknown-rule';
      }
      if (alert.count !== undefined && alert.count > alert.instances.length) capped += 1;
      if (alert.count !== undefined && alert.count < alert.instances.length) undercounted += 1;
      instances += alert.instances.length;
      entries.push({ siteName: site.name, alert, ruleId });
    }
  }

  const keys = alertKeys(entries);
  const html = cachedHtmlToPlainText();
  const drafts: FindingDraft[] = [];
  const seen = new Set<string>();
  let guessed = 0;
  let falsePositives = 0;
  entries.forEach((entry, index) => {
    const key = keys[index]!;
    // Labels already separate every alert; this only guards against a site name or title built to collide.
    let location = key.location;
    for (let n = 2; seen.has(JSON.stringify([key.ruleId, location])); n += 1) location = `${key.location} #${n}`;
    seen.add(JSON.stringify([key.ruleId, location]));
    const { draft, severityGuessed } = alertToDraft(entry.alert, {
      siteName: entry.siteName,
      key: { ruleId: key.ruleId, location },
      html,
      defaultSeverity: options.defaultSeverity,
    });
    if (severityGuessed) guessed += 1;
    if (draft.state === 'SUPPRESSED') falsePositives += 1;
    drafts.push(draft);
  });

  if (noRule > 0) warnings.push(`${plural(noRule, 'alert has', 'alerts have')} neither alertRef nor pluginid; identified by title`);
  if (guessed > 0) warnings.push(`${plural(guessed, 'alert has', 'alerts have')} no known riskcode (0-3); severity taken from riskdesc or defaulted`);
  if (capped > 0) {
    warnings.push(`${plural(capped, 'alert lists', 'alerts list')} fewer instances than its "count" (ZAP caps the instances per alert in a report); the count is kept`);
  }
  if (undercounted > 0) {
    warnings.push(`${plural(undercounted, 'alert lists', 'alerts list')} more instances than its "count"; instances were recounted`);
  }
  return {
    drafts,
    warnings,
    stats: { sites: report.sites.length, alerts: entries.length, instances, falsePositives },
  };
}

/** The in-memory parse, or (with `streamed`) the end of the streamed one: the same conversion either way. */
function parseZap(doc: ReportDocument, options?: ParseOptions, streamed?: ReadonlyMap<unknown, StreamedAlerts>): ParsedReport {
  try {
    const { report, warnings } = readZapReport(doc, streamed);
    const result = reportToDrafts(report, options);
    return {
      tool: 'zap',
      ...(report.version ? { toolVersion: report.version } : {}),
      drafts: result.drafts,
      warnings: [...warnings, ...result.warnings],
      stats: result.stats,
    };
  } catch (error) {
    if (error instanceof ReportError) throw error;
    // A shape no rule above foresaw: still the user's report, not a crash.
    throw new ReportError(doc.source, `could not be read as a ZAP report: ${(error as Error)?.message ?? String(error)}`);
  }
}

/**
 * OWASP ZAP traditional report (JSON `-J` / `core/other/jsonreport`, XML `-x`, xml-plus), ZAP 2.7 to 2.16+.
 * One finding per alert per site; see README.md for the mapping.
 */
export const zapParser: ReportParser = {
  id: 'zap',
  displayName: 'OWASP ZAP',
  detect(doc: ReportDocument): boolean {
    return zapRoot(doc) !== undefined;
  },
  parse: (doc: ReportDocument, options?: ParseOptions): ParsedReport => parseZap(doc, options),
  streaming: zapStreaming((doc, streamed, options) => parseZap(doc, options, streamed)),
  streamingXml: zapXmlStreaming((doc, streamed, options) => parseZap(doc, options, streamed)),
};
