import {
  FIELD,
  LIMITS,
  labelFromWord,
  truncate,
  type FindingDraft,
  type Resource,
  type SeverityLabel,
} from '@devsecops/asff';
import type { AlertKey } from './identity';
import { stripQuery } from './identity';
import type { ZapAlert, ZapInstance } from './model';
import { oneLine, urlsIn } from './text';

/** riskcode → label. ZAP has no "critical". */
export const RISK_LABELS: Readonly<Record<number, SeverityLabel>> = {
  0: 'INFORMATIONAL',
  1: 'LOW',
  2: 'MEDIUM',
  3: 'HIGH',
};

/** confidence → word and FindingDraft.confidence (0-100). 0 means a person marked the alert a false positive. */
export const CONFIDENCE: Readonly<Record<number, { word: string; score: number }>> = {
  0: { word: 'False Positive', score: 0 },
  1: { word: 'Low', score: 33 },
  2: { word: 'Medium', score: 66 },
  3: { word: 'High', score: 90 },
  4: { word: 'Confirmed', score: 100 },
};

export const FALSE_POSITIVE_REASON = 'marked false positive in ZAP';

/** Room left in the 1024-character Description for the "[Suppressed in zap: …]" prefix buildFinding may add. */
const DESCRIPTION_BUDGET = LIMITS.description - 64;
const SAMPLE_INSTANCES = 3;
const MAX_SET = 10;

export interface DraftContext {
  siteName: string;
  key: AlertKey;
  html: (html: string) => string;
  defaultSeverity?: SeverityLabel;
}

export interface DraftResult {
  draft: FindingDraft;
  /** The riskcode was missing or unknown and the label was guessed. */
  severityGuessed: boolean;
}

interface UrlSummary {
  url: string;
  instances: number;
  /** Up to MAX_SET distinct values each; created on first use (a report can hold 100,000 URLs). */
  methods?: string[];
  params?: string[];
  statuses?: string[];
  attacked: boolean;
  evidenced: boolean;
}

function addCapped(list: string[] | undefined, value: string | undefined): string[] | undefined {
  if (!value) return list;
  if (!list) return [value];
  if (list.length < MAX_SET && !list.includes(value)) list.push(value);
  return list;
}

/** One entry per distinct URL (query stripped), with what ZAP saw there. Linear in the number of instances. */
function summariseUrls(instances: readonly ZapInstance[], siteName: string): UrlSummary[] {
  const byUrl = new Map<string, UrlSummary>();
  for (const instance of instances) {
    const url = stripQuery(instance.uri).trim() || siteName;
    let summary = byUrl.get(url);
    if (!summary) {
      summary = { url, instances: 0, attacked: false, evidenced: false };
      byUrl.set(url, summary);
    }
    summary.instances += 1;
    summary.methods = addCapped(summary.methods, instance.method);
    summary.params = addCapped(summary.params, instance.param);
    summary.statuses = addCapped(summary.statuses, instance.responseStatus);
    summary.attacked ||= instance.attack.length > 0;
    summary.evidenced ||= instance.evidence.length > 0;
  }
  return [...byUrl.values()];
}

/** Most useful first: URLs where ZAP's attack worked, then those with evidence, then the most instances; ties by URL. */
function byUsefulness(a: UrlSummary, b: UrlSummary): number {
  return (
    Number(b.attacked) - Number(a.attacked) ||
    Number(b.evidenced) - Number(a.evidenced) ||
    b.instances - a.instances ||
    (a.url < b.url ? -1 : a.url > b.url ? 1 : 0)
  );
}

function joined(values: readonly string[]): string {
  return truncate([...values].sort().join(', '), LIMITS.detailsOtherValue, '…');
}

function toResource(summary: UrlSummary): Resource {
  const other: Record<string, string> = { Instances: String(summary.instances) };
  if (summary.methods) other.Methods = joined(summary.methods);
  if (summary.params) other.Parameters = joined(summary.params);
  if (summary.statuses) other.ResponseStatus = joined(summary.statuses);
  return { Type: 'Other', Id: truncate(summary.url, LIMITS.productFieldValue, '…'), Details: { Other: other } };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Deterministic "best example" order: attacks, then evidence, then by URI, method, param. */
function bySampleValue(a: ZapInstance, b: ZapInstance): number {
  return (
    Number(b.attack.length > 0) - Number(a.attack.length > 0) ||
    Number(b.evidence.length > 0) - Number(a.evidence.length > 0) ||
    compareText(a.uri, b.uri) ||
    compareText(a.method, b.method) ||
    compareText(a.param, b.param) ||
    compareText(a.evidence, b.evidence)
  );
}

/** The k best instances in one pass (no sort of a 100,000-instance list). */
function topInstances(instances: readonly ZapInstance[], k: number): ZapInstance[] {
  const top: ZapInstance[] = [];
  for (const instance of instances) {
    if (top.length === k && bySampleValue(instance, top[k - 1]!) >= 0) continue;
    top.push(instance);
    top.sort(bySampleValue);
    if (top.length > k) top.pop();
  }
  return top;
}

function quoted(text: string, max: number): string {
  return `"${truncate(oneLine(text), max, '…')}"`;
}

/** Whether a URI holds the attack, as written or URL-encoded. */
function carries(uri: string, attack: string): boolean {
  if (uri.includes(attack)) return true;
  try {
    return decodeURIComponent(uri.replace(/\+/g, ' ')).includes(attack);
  } catch {
    return false; // malformed percent-encoding
  }
}

/** One instance in at most ~200 characters; a URI that carries the attack is shown without it (the attack follows). */
function instanceLine(instance: ZapInstance): string {
  const uri = instance.attack && carries(instance.uri, instance.attack) ? stripQuery(instance.uri) : instance.uri;
  const details = [
    instance.param ? `param ${quoted(instance.param, 40)}` : '',
    instance.attack ? `attack ${quoted(instance.attack, 60)}` : '',
    instance.evidence ? `evidence ${quoted(instance.evidence, 60)}` : '',
    instance.otherInfo ? `info ${quoted(instance.otherInfo, 60)}` : '',
  ].filter(Boolean);
  const line = `${instance.method || 'GET'} ${truncate(uri, 120, '…')}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
  return truncate(line, 220, '…)');
}

interface DescriptionParts {
  desc: string;
  summary: string;
  classification: string;
  examples: readonly string[];
  otherInfo: string;
}

/**
 * The Description within budget, in reading order: rule text (cut to 300), what and where, classification, as
 * many example instances as fit, then the alert's other info cut to what is left. Security Hub shows it as one
 * paragraph (buildFinding collapses whitespace), so each part is a sentence.
 */
function composeDescription(parts: DescriptionParts, budget: number): string {
  let out = [sentence(truncate(parts.desc.replace(/\n/g, ' '), 300, '…')), parts.summary, parts.classification].filter(Boolean).join(' ');
  const kept: string[] = [];
  for (const example of parts.examples) {
    const candidate = `${kept.length + 1 === 1 ? 'Example' : 'Examples'}: ${[...kept, example].join('; ')}.`;
    if (out.length + 1 + candidate.length > budget) break;
    kept.push(example);
  }
  if (kept.length > 0) out += ` ${kept.length === 1 ? 'Example' : 'Examples'}: ${kept.join('; ')}.`;
  const room = budget - out.length - ' Other info: '.length;
  if (parts.otherInfo && room >= 40) out += ` Other info: ${truncate(parts.otherInfo.replace(/\n/g, ' '), room, '…')}`;
  return truncate(out.trim(), budget, '…');
}

function severityOf(alert: ZapAlert, fallback: SeverityLabel): { label: SeverityLabel; original: string; guessed: boolean } {
  const known = alert.riskCode !== undefined ? RISK_LABELS[alert.riskCode] : undefined;
  const original = alert.riskDesc ?? (alert.riskCode !== undefined ? `riskcode ${alert.riskCode}` : 'no riskcode');
  if (known) return { label: known, original, guessed: false };
  const fromWord = labelFromWord(alert.riskDesc?.split(/[\s(]/, 1)[0]);
  return { label: fromWord ?? fallback, original, guessed: true };
}

/** Ends a text with a full stop unless it already ends a sentence. */
function sentence(text: string): string {
  return text && !/[.!?…:]$/.test(text) ? `${text}.` : text;
}

/** ZAP's documentation page for a rule, used when the alert lists no reference. */
function ruleDocsUrl(ruleId: string): string | undefined {
  return /^\d+(-\d+)?$/.test(ruleId) ? `https://www.zaproxy.org/docs/alerts/${ruleId}/` : undefined;
}

/** One ZAP alert of one site → one FindingDraft. */
export function alertToDraft(alert: ZapAlert, context: DraftContext): DraftResult {
  const { siteName, key, html } = context;
  const severity = severityOf(alert, context.defaultSeverity ?? 'MEDIUM');
  const confidence = alert.confidence !== undefined ? CONFIDENCE[alert.confidence] : undefined;
  const confidenceWord = alert.confidenceDesc ?? confidence?.word;
  const falsePositive = alert.confidence === 0;

  const urls = summariseUrls(alert.instances, siteName).sort(byUsefulness);
  const kept = urls.slice(0, LIMITS.resources);
  const omitted = urls.length - kept.length;
  const resources: Resource[] = kept.length > 0 ? kept.map(toResource) : [{ Type: 'Other', Id: siteName }];

  const desc = html(alert.desc);
  const otherInfo = html(alert.otherInfo);
  const references = urlsIn(alert.reference);
  const classification = [
    alert.cweId !== undefined ? `CWE-${alert.cweId}` : '',
    alert.wascId !== undefined ? `WASC-${alert.wascId}` : '',
    confidenceWord ? `Confidence: ${confidenceWord}` : '',
  ].filter(Boolean);
  const listed = alert.instances.length;
  const reported = alert.count !== undefined && alert.count > listed ? alert.count : listed;
  const summary =
    listed > 0
      ? `${reported} instance(s)${reported > listed ? ` (${listed} listed)` : ''} on ${urls.length} URL(s) of ${siteName}.`
      : `Reported for ${siteName} without instances.`;
  const samples = topInstances(alert.instances, SAMPLE_INSTANCES);
  const description = composeDescription(
    {
      desc,
      summary,
      classification: classification.length > 0 ? `${classification.join(', ')}.` : '',
      examples: samples.map(instanceLine),
      // ZAP 2.10+ copies the first instance's other info to the alert; say it once.
      otherInfo: samples.some((i) => i.otherInfo && oneLine(otherInfo).startsWith(oneLine(i.otherInfo).replace(/…$/, ''))) ? '' : otherInfo,
    },
    DESCRIPTION_BUDGET,
  );

  const solution = html(alert.solution);
  const remediationUrl = references[0] ?? ruleDocsUrl(key.ruleId);
  const draft: FindingDraft = {
    ruleId: key.ruleId,
    location: key.location,
    title: alert.title || `ZAP alert ${key.ruleId}`,
    description,
    severity: { label: severity.label, original: severity.original },
    types: alert.cweId !== undefined ? [`Software and Configuration Checks/Vulnerabilities/CWE-${alert.cweId}`] : undefined,
    resources,
    productFields: {
      Site: siteName,
      PluginId: alert.pluginId,
      AlertRef: alert.alertRef,
      RiskCode: alert.riskCode !== undefined ? String(alert.riskCode) : undefined,
      Confidence: confidenceWord,
      CweId: alert.cweId !== undefined ? String(alert.cweId) : undefined,
      WascId: alert.wascId !== undefined ? String(alert.wascId) : undefined,
      SourceId: alert.sourceId,
      Instances: String(reported),
      ListedInstances: reported > listed ? String(listed) : undefined,
      Urls: String(urls.length),
      References: references.length > 0 ? references.join(' ') : undefined,
      OtherInfo: otherInfo || undefined,
      // Resources are cut here rather than in buildFinding so a 50,000-URL alert is never carried whole.
      ...(omitted > 0 ? { [FIELD.resourcesOmitted]: String(omitted) } : {}),
    },
  };
  if (alert.evidence) draft.evidence = alert.evidence;
  if (solution || remediationUrl) draft.remediation = { text: solution || undefined, url: remediationUrl };
  if (confidence) draft.confidence = confidence.score;
  if (falsePositive) {
    draft.state = 'SUPPRESSED';
    draft.stateReason = FALSE_POSITIVE_REASON;
  }
  return { draft, severityGuessed: severity.guessed };
}
