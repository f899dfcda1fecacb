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

/** How text is taken from the document (parseXml has already decoded every entity). */
type TextReader = (value: unknown, max: number) => string;

const jsonText: TextReader = textOf;
const xmlText: TextReader = textOf;

/** JSON keeps attributes as `@name`, fast-xml-parser as `@_name`. */
function attr(read: TextReader, node: Obj, name: string): string | undefined {
  const text = oneLine(read(node[`@${name}`] ?? node[`@_${name}`], FIELD_CAPS.attr));
  return text.length > 0 ? text : undefined;
}

function field(read: TextReader, node: Obj, name: string, max: number): string {
  return read(node[name], max);
}

function shortField(read: TextReader, node: Obj, name: string, max: number = FIELD_CAPS.short): string | undefined {
  const text = oneLine(read(node[name], max));
  return text.length > 0 ? text : undefined;
}

function integer(read: TextReader, node: Obj, name: string): number | undefined {
  const text = shortField(read, node, name, 32);
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

const isAlertItem = (item: Obj): boolean =>
  'pluginid' in item || 'alert' in item || 'name' in item || 'alertRef' in item || 'riskcode' in item || 'instances' in item;
const isInstance = (item: Obj): boolean => 'uri' in item || 'method' in item;

/** The first line of an HTTP header block. */
function statusLine(read: TextReader, node: Obj): string | undefined {
  const raw = node.responseheader ?? node['response-header'];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const header = read(raw, FIELD_CAPS.statusLine * 2);
  const first = oneLine(header.split(/\r?\n/, 1)[0] ?? '');
  return first.length > 0 ? capField(first, FIELD_CAPS.statusLine) : undefined;
}

function readInstance(read: TextReader, node: Obj): ZapInstance {
  const instance: ZapInstance = {
    uri: shortField(read, node, 'uri', FIELD_CAPS.uri) ?? '',
    method: (shortField(read, node, 'method', FIELD_CAPS.method) ?? '').toUpperCase(),
    param: shortField(read, node, 'param') ?? '',
    // Only shown for a few sample instances: trimmed here, whitespace collapsed when shown (see draft.ts).
    attack: read(node.attack, FIELD_CAPS.short).trim(),
    evidence: read(node.evidence, FIELD_CAPS.short).trim(),
    otherInfo: read(node.otherinfo, FIELD_CAPS.short).trim(),
  };
  const status = statusLine(read, node);
  if (status) instance.responseStatus = status;
  return instance;
}

interface ReadCounters {
  skippedAlerts: number;
  skippedInstances: number;
}

function readAlert(read: TextReader, node: Obj, counters: ReadCounters): ZapAlert {
  const instances = listOf(node.instances, 'instance', isInstance);
  counters.skippedInstances += instances.skipped;
  const positive = (n: number | undefined): number | undefined => (n !== undefined && n > 0 ? n : undefined);
  return {
    pluginId: shortField(read, node, 'pluginid', 64),
    alertRef: shortField(read, node, 'alertRef', 64) ?? shortField(read, node, 'alertref', 64),
    title: shortField(read, node, 'alert', FIELD_CAPS.title) ?? shortField(read, node, 'name', FIELD_CAPS.title) ?? '',
    riskCode: integer(read, node, 'riskcode'),
    confidence: integer(read, node, 'confidence'),
    riskDesc: shortField(read, node, 'riskdesc', 64),
    confidenceDesc: shortField(read, node, 'confidencedesc', 64),
    desc: field(read, node, 'desc', FIELD_CAPS.html),
    solution: field(read, node, 'solution', FIELD_CAPS.html),
    reference: field(read, node, 'reference', FIELD_CAPS.html),
    otherInfo: field(read, node, 'otherinfo', FIELD_CAPS.html),
    cweId: positive(integer(read, node, 'cweid')),
    wascId: positive(integer(read, node, 'wascid')),
    sourceId: shortField(read, node, 'sourceid', 32),
    count: integer(read, node, 'count'),
    instances: instances.items.map((item) => readInstance(read, item)),
  };
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

/** Reads a ZAP traditional report (JSON or XML, 2.7 to 2.16+) into ZapReport. */
export function readZapReport(doc: ReportDocument): ReadResult {
  const root = zapRoot(doc);
  if (!root) throw new ReportError(doc.source, 'is not a ZAP traditional report (no OWASPZAPReport root or site list)');
  const read = doc.format === 'xml' ? xmlText : jsonText;
  const warnings: string[] = [];
  const siteList = listOf(root.site, 'site', (item) => 'alerts' in item || '@name' in item || '@_name' in item);
  if (siteList.skipped > 0) warnings.push(skippedWarning(siteList.skipped, 'site'));
  const counters: ReadCounters = { skippedAlerts: 0, skippedInstances: 0 };
  const sites: ZapSite[] = siteList.items.map((node, index) => {
    const host = attr(read, node, 'host');
    const port = attr(read, node, 'port');
    const ssl = attr(read, node, 'ssl')?.toLowerCase();
    const alertList = listOf(node.alerts, 'alertitem', isAlertItem);
    counters.skippedAlerts += alertList.skipped;
    const alerts = alertList.items.map((item) => readAlert(read, item, counters));
    let name = attr(read, node, 'name') ?? siteNameFrom(host, port, ssl);
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
      programName: attr(read, root, 'programName'),
      version: attr(read, root, 'version'),
      generated: attr(read, root, 'generated'),
      sites,
    },
    warnings,
  };
}
