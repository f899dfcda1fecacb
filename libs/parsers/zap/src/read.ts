import type { ReportDocument } from '@devsecops/report-input';
import { ReportError } from '@devsecops/report-input';
import { FIELD_CAPS, type ZapAlert, type ZapInstance, type ZapReport, type ZapSite } from './model';
import { capField, oneLine, textOf } from './text';

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The report's root object: the JSON document itself, or `OWASPZAPReport` (XML, or JSON converted from it).
 * Undefined when the document is not a ZAP traditional report.
 */
export function zapRoot(doc: Pick<ReportDocument, 'format' | 'value'>): Obj | undefined {
  const value = doc.value;
  if (!isObject(value)) return undefined;
  if (isObject(value.OWASPZAPReport)) return value.OWASPZAPReport;
  if (doc.format === 'xml') {
    // `<OWASPZAPReport/>` or one with only whitespace parses to an empty string.
    return 'OWASPZAPReport' in value ? {} : undefined;
  }
  const hasSite = Array.isArray(value.site) || isObject(value.site);
  return hasSite && ('@version' in value || '@programName' in value) ? value : undefined;
}


/** JSON keeps attributes as `@name`, fast-xml-parser as `@_name`. */
function attr(node: Obj, name: string): string | undefined {
  const text = oneLine(textOf(node[`@${name}`] ?? node[`@_${name}`], FIELD_CAPS.attr));
  return text.length > 0 ? text : undefined;
}

function field(node: Obj, name: string, max: number): string {
  return textOf(node[name], max);
}

function shortField(node: Obj, name: string, max: number = FIELD_CAPS.short): string | undefined {
  const text = oneLine(textOf(node[name], max));
  return text.length > 0 ? text : undefined;
}

function integer(node: Obj, name: string): number | undefined {
  const text = shortField(node, name, 32);
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  return Number(text);
}

/**
 * A list where the report may hold an array, a single object (JSON converted from XML by old ZAP), an XML wrapper
 * element (`<alerts><alertitem>`), or nothing (`<alerts></alerts>` parses to '').
 */
function listOf(value: unknown, wrapper: string, looksLikeItem: (item: Obj) => boolean): { items: Obj[]; skipped: number } {
  if (value === undefined || value === null || value === '') return { items: [], skipped: 0 };
  if (Array.isArray(value)) {
    const items = value.filter(isObject);
    return { items, skipped: value.length - items.length };
  }
  if (isObject(value)) {
    if (wrapper in value) return listOf(value[wrapper], wrapper, looksLikeItem);
    if (looksLikeItem(value)) return { items: [value], skipped: 0 };
    return { items: [], skipped: Object.keys(value).length > 0 ? 1 : 0 };
  }
  if (typeof value === 'string' && value.trim() === '') return { items: [], skipped: 0 };
  return { items: [], skipped: 1 };
}

export const isAlertItem = (item: Obj): boolean =>
  'pluginid' in item || 'alert' in item || 'name' in item || 'alertRef' in item || 'riskcode' in item || 'instances' in item;
const isInstance = (item: Obj): boolean => 'uri' in item || 'method' in item;

/** The first line of an HTTP header block. */
function statusLine(node: Obj): string | undefined {
  const raw = node.responseheader ?? node['response-header'];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const header = textOf(raw, FIELD_CAPS.statusLine * 2);
  const first = oneLine(header.split(/\r?\n/, 1)[0] ?? '');
  return first.length > 0 ? capField(first, FIELD_CAPS.statusLine) : undefined;
}

function readInstance(node: Obj): ZapInstance {
  const instance: ZapInstance = {
    uri: shortField(node, 'uri', FIELD_CAPS.uri) ?? '',
    method: (shortField(node, 'method', FIELD_CAPS.method) ?? '').toUpperCase(),
    param: shortField(node, 'param') ?? '',
    // Only shown for a few sample instances: trimmed here, whitespace collapsed when shown (see draft.ts).
    attack: textOf(node.attack, FIELD_CAPS.short).trim(),
    evidence: textOf(node.evidence, FIELD_CAPS.short).trim(),
    otherInfo: textOf(node.otherinfo, FIELD_CAPS.short).trim(),
  };
  const status = statusLine(node);
  if (status) instance.responseStatus = status;
  return instance;
}

/** An HTTP message part as the report holds it (`request-header` in JSON-plus, `requestheader` in XML-plus). */
function messagePart(node: Obj, part: 'request' | 'response', section: 'header' | 'body'): string {
  return textOf(node[`${part}-${section}`] ?? node[`${part}${section}`], Number.MAX_SAFE_INTEGER);
}

/**
 * Instances whose request and response are kept: the first that carries them, as the description's first example.
 * They wait in memory until the import stores them, so a 30,000-instance alert must not keep 30,000 bodies.
 */
const MAX_EXCHANGES = 1;

/** The requests and responses of an alert's first instances, as one text; '' when the report carries none. */
function requestsEvidence(items: readonly Obj[]): string {
  const blocks: string[] = [];
  for (const node of items) {
    if (blocks.length >= MAX_EXCHANGES) break;
    const parts = [messagePart(node, 'request', 'header'), messagePart(node, 'request', 'body'), messagePart(node, 'response', 'header'), messagePart(node, 'response', 'body')];
    if (parts.every((p) => p.trim() === '')) continue;
    const [requestHeader, requestBody, responseHeader, responseBody] = parts;
    const title = `${(shortField(node, 'method', FIELD_CAPS.method) ?? '').toUpperCase() || 'GET'} ${shortField(node, 'uri', FIELD_CAPS.uri) ?? ''}`.trim();
    blocks.push(`### ${title}\n\n${requestHeader!.trimEnd()}\n\n${requestBody!}\n\n${responseHeader!.trimEnd()}\n\n${responseBody!}\n`);
  }
  if (blocks.length === 0) return '';
  const withMessages = items.filter((node) => ['request-header', 'requestheader', 'response-header', 'responseheader'].some((k) => node[k] !== undefined && node[k] !== '')).length;
  return `Requests and responses of ${blocks.length} of the alert's ${withMessages} instance(s) that carry them, in report order.\n\n${blocks.join('\n')}`;
}

/** The alert's evidence the capped fields lose: the whole other info when it is cut, and the instances' messages. */
function alertEvidence(node: Obj, items: readonly Obj[]): { name: string; text: string }[] {
  const evidence: { name: string; text: string }[] = [];
  const otherInfo = textOf(node.otherinfo, Number.MAX_SAFE_INTEGER);
  if (otherInfo.length > FIELD_CAPS.html) evidence.push({ name: 'OtherInfo', text: otherInfo });
  const requests = requestsEvidence(items);
  if (requests) evidence.push({ name: 'Requests', text: requests });
  return evidence;
}

export interface ReadCounters {
  skippedAlerts: number;
  skippedInstances: number;
}

export function readAlert(node: Obj, counters: ReadCounters): ZapAlert {
  const instances = listOf(node.instances, 'instance', isInstance);
  counters.skippedInstances += instances.skipped;
  const positive = (n: number | undefined): number | undefined => (n !== undefined && n > 0 ? n : undefined);
  return {
    pluginId: shortField(node, 'pluginid', 64),
    alertRef: shortField(node, 'alertRef', 64) ?? shortField(node, 'alertref', 64),
    title: shortField(node, 'alert', FIELD_CAPS.title) ?? shortField(node, 'name', FIELD_CAPS.title) ?? '',
    riskCode: integer(node, 'riskcode'),
    confidence: integer(node, 'confidence'),
    riskDesc: shortField(node, 'riskdesc', 64),
    confidenceDesc: shortField(node, 'confidencedesc', 64),
    desc: field(node, 'desc', FIELD_CAPS.html),
    solution: field(node, 'solution', FIELD_CAPS.html),
    reference: field(node, 'reference', FIELD_CAPS.html),
    otherInfo: field(node, 'otherinfo', FIELD_CAPS.html),
    cweId: positive(integer(node, 'cweid')),
    wascId: positive(integer(node, 'wascid')),
    sourceId: shortField(node, 'sourceid', 32),
    count: integer(node, 'count'),
    instances: instances.items.map((item) => readInstance(item)),
    ...evidenceOf(node, instances.items),
  };
}

function evidenceOf(node: Obj, items: readonly Obj[]): Pick<ZapAlert, 'evidence'> {
  const evidence = alertEvidence(node, items);
  return evidence.length > 0 ? { evidence } : {};
}

/** `scheme://host[:port]` from a site's host/port/ssl attributes, for reports that lack `@name`. */
function siteNameFrom(host: string | undefined, port: string | undefined, ssl: string | undefined): string | undefined {
  if (!host) return undefined;
  const secure = ssl === 'true' || port === '443';
  const scheme = secure ? 'https' : 'http';
  const defaultPort = secure ? '443' : '80';
  return `${scheme}://${host}${port && port !== defaultPort ? `:${port}` : ''}`;
}

/** The scheme and authority of a URI (used when a site has no name and no host). */
function originOf(uri: string): string | undefined {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#\s]+)/i.exec(uri);
  return match?.[1];
}

function skippedWarning(count: number, what: string): string {
  return count === 1 ? `1 ${what} entry is not an object and was skipped` : `${count} ${what} entries are not objects and were skipped`;
}

export interface ReadResult {
  report: ZapReport;
  warnings: string[];
}

/** A site's alerts read as a stream (`alerts` left empty in the site's node), with what reading them skipped. */
export interface StreamedAlerts {
  alerts: ZapAlert[];
  counters: ReadCounters;
}

/**
 * Reads a ZAP traditional report (JSON or XML, 2.7 to 2.16+) into ZapReport; `streamed` holds the alerts of the
 * site nodes whose `alerts` were read as a stream.
 */
export function readZapReport(doc: ReportDocument, streamed?: ReadonlyMap<unknown, StreamedAlerts>): ReadResult {
  const root = zapRoot(doc);
  if (!root) throw new ReportError(doc.source, 'is not a ZAP traditional report (no OWASPZAPReport root or site list)');
  const warnings: string[] = [];
  const siteList = listOf(root.site, 'site', (item) => 'alerts' in item || '@name' in item || '@_name' in item);
  if (siteList.skipped > 0) warnings.push(skippedWarning(siteList.skipped, 'site'));
  const counters: ReadCounters = { skippedAlerts: 0, skippedInstances: 0 };
  const sites: ZapSite[] = siteList.items.map((node, index) => {
    const host = attr(node, 'host');
    const port = attr(node, 'port');
    const ssl = attr(node, 'ssl')?.toLowerCase();
    const alertList = listOf(node.alerts, 'alertitem', isAlertItem);
    counters.skippedAlerts += alertList.skipped;
    const read = streamed?.get(node);
    if (read) {
      counters.skippedAlerts += read.counters.skippedAlerts;
      counters.skippedInstances += read.counters.skippedInstances;
    }
    const alerts = [...(read?.alerts ?? []), ...alertList.items.map((item) => readAlert(item, counters))];
    let name = attr(node, 'name') ?? siteNameFrom(host, port, ssl);
    if (!name) {
      name = alerts.flatMap((a) => a.instances).map((i) => originOf(i.uri)).find((o) => o !== undefined);
      if (!name && alerts.length > 0) warnings.push(`site #${index + 1} has no name, host or instance URL; its findings are located at "unknown-site"`);
    }
    return { name: name ?? 'unknown-site', host, port, ssl, alerts };
  });
  if (counters.skippedAlerts > 0) warnings.push(skippedWarning(counters.skippedAlerts, 'alert'));
  if (counters.skippedInstances > 0) warnings.push(skippedWarning(counters.skippedInstances, 'instance'));
  return {
    report: {
      programName: attr(root, 'programName'),
      version: attr(root, 'version'),
      generated: attr(root, 'generated'),
      sites,
    },
    warnings,
  };
}
