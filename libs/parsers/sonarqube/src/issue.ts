import { LIMITS, truncate, type FindingDraft, type Vulnerability } from '@devsecops/asff';
import type { ParseContext } from './context';
import { sonarLocation } from './location';
import { DEPENDENCY_CHECK_RULE, parsePluginMessage, vulnerabilitySource, type PluginMessage } from './dependency-check-message';
import { issueUrl, ruleUrl } from './links';
import { isObject, list, text, texts, word, type JsonObject } from './read';
import { issueSeverity, readImpacts, type Impact } from './severity';
import { issueState, type StateDecision } from './state';
import { compact, humanise, place, titleWithPlace } from './text';

/** What an issue is about, which decides whether it counts (code smells only with includeCodeSmells). */
export type IssueKind = 'security' | 'reliability' | 'maintainability' | 'hotspot' | 'unknown';

const VULNERABILITIES = 'Software and Configuration Checks/Vulnerabilities';
export const ASFF_TYPE: Readonly<Record<IssueKind, string>> = {
  security: VULNERABILITIES,
  hotspot: `${VULNERABILITIES}/Security Hotspot`,
  reliability: 'Software and Configuration Checks/Code Quality/Bug',
  maintainability: 'Software and Configuration Checks/Code Quality/Code Smell',
  unknown: VULNERABILITIES,
};

/**
 * VULNERABILITY, or any issue with a SECURITY impact (MQR mode), is a security issue; SECURITY_HOTSPOT issues come
 * from SonarQube ≤ 8.1; BUG/RELIABILITY is reliability; CODE_SMELL/MAINTAINABILITY is maintainability.
 */
export function issueKind(type: string | undefined, impacts: readonly Impact[]): IssueKind {
  if (type === 'VULNERABILITY') return 'security';
  if (type === 'SECURITY_HOTSPOT') return 'hotspot';
  if (impacts.some((i) => i.softwareQuality === 'SECURITY')) return 'security';
  if (type === 'BUG') return 'reliability';
  if (type === 'CODE_SMELL') return 'maintainability';
  if (type === undefined) {
    if (impacts.some((i) => i.softwareQuality === 'RELIABILITY')) return 'reliability';
    if (impacts.some((i) => i.softwareQuality === 'MAINTAINABILITY')) return 'maintainability';
  }
  return 'unknown';
}

const KIND_LABEL: Readonly<Record<IssueKind, string>> = {
  security: 'vulnerability',
  hotspot: 'security hotspot',
  reliability: 'bug',
  maintainability: 'code smell',
  unknown: 'issue',
};

/** CWE ids from tags such as `cwe-937` (the bare `cwe` tag carries no number). */
export function cwesFromTags(tags: readonly string[]): string[] {
  const cwes: string[] = [];
  for (const tag of tags) {
    const m = /^cwe-(\d{1,5})$/i.exec(tag);
    if (m) cwes.push(`CWE-${Number(m[1])}`);
  }
  return cwes;
}

/** OWASP Top 10 categories from tags such as `owasp-a3`. */
export function owaspFromTags(tags: readonly string[]): string[] {
  const found: string[] = [];
  for (const tag of tags) {
    const m = /^owasp-a(\d{1,2})$/i.exec(tag);
    if (m) found.push(`A${Number(m[1])}`);
  }
  return found;
}

/** The latest comment, when SonarQube was asked for comments (additionalFields=comments): usually the triage reason. */
export function lastComment(comments: unknown): string | undefined {
  const all = list(comments);
  for (let i = all.length - 1; i >= 0; i -= 1) {
    const c = all[i];
    if (!isObject(c)) continue;
    const body = text(c.markdown) ?? text(typeof c.htmlText === 'string' ? c.htmlText.slice(0, 4000).replace(/<[^>]*>/g, ' ') : undefined);
    if (body) return truncate(body.replace(/\s+/g, ' '), 300);
  }
  return undefined;
}

export function stateReason(decision: StateDecision, comment: string | undefined): string | undefined {
  if (decision.state === 'ACTIVE') return decision.reason;
  if (!decision.reason) return comment;
  return comment ? `${decision.reason}: ${comment}` : decision.reason;
}

function pluginVulnerabilities(plugin: PluginMessage): Vulnerability[] {
  return plugin.vulnerabilities.map((v) => {
    const source = vulnerabilitySource(v.id);
    const pkg = plugin.packageName ? [{ Name: truncate(plugin.packageName, 1024), ...(plugin.packageVersion ? { Version: plugin.packageVersion } : {}) }] : undefined;
    return {
      Id: truncate(v.id, 512),
      ...(pkg ? { VulnerablePackages: pkg } : {}),
      ...(v.score !== undefined ? { Cvss: [{ BaseScore: v.score, Source: 'OWASP Dependency-Check' }] } : {}),
      Vendor: { Name: source.vendor, ...(source.url ? { Url: source.url } : {}) },
      ...(source.url ? { ReferenceUrls: [source.url] } : {}),
    };
  });
}

export interface IssueInput {
  issue: JsonObject;
  key: string;
  identity: string;
}

/** One issue of /api/issues/search as a draft; undefined when it is left out (a code smell without includeCodeSmells). */
export function issueDraft({ issue, key, identity }: IssueInput, ctx: ParseContext): FindingDraft | undefined {
  const counters = ctx.counters;
  const type = word(issue.type);
  const impacts = readImpacts(issue.impacts);
  const kind = issueKind(type, impacts);
  if (kind === 'maintainability') {
    counters.codeSmells += 1;
    if (!ctx.includeCodeSmells) {
      counters.codeSmellsExcluded += 1;
      return undefined;
    }
  } else if (kind === 'security') counters.vulnerabilities += 1;
  else if (kind === 'reliability') counters.bugs += 1;
  else if (kind === 'hotspot') counters.hotspotIssues += 1;
  else counters.unknownTypes += 1;

  const rule = text(issue.rule) ?? 'sonarqube-issue';
  const { project, component, path, line } = sonarLocation(issue, ctx);
  const message = text(issue.message) ?? rule;
  const legacySeverity = word(issue.severity);
  const tags = texts(issue.tags);
  const plugin = rule === DEPENDENCY_CHECK_RULE ? parsePluginMessage(message) : undefined;

  let severity = issueSeverity(impacts, legacySeverity);
  if (!severity) {
    counters.defaultedSeverity += 1;
    severity = { label: ctx.defaultSeverity, original: legacySeverity ?? 'none', source: 'legacy' };
  }
  const decision = issueState(word(issue.status), word(issue.resolution), word(issue.issueStatus));
  if (!decision.known) counters.unknownStatus += 1;

  const cwes = [...new Set([...(plugin?.cwe ? [plugin.cwe] : []), ...cwesFromTags(tags)])];
  const owasp = owaspFromTags(tags);
  const vulnerabilities = plugin ? pluginVulnerabilities(plugin) : undefined;
  const ids = plugin?.vulnerabilities.map((v) => v.id) ?? [];
  const where = place(path, line);
  const title = plugin
    ? titleWithPlace(`${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ` and ${ids.length - 3} more` : ''} in ${plugin.fileName ?? 'a dependency'}`, where)
    : titleWithPlace(message, where);
  const cleanCode = text(issue.cleanCodeAttribute);
  const cleanCodeCategory = text(issue.cleanCodeAttributeCategory);
  const branch = text(issue.branch) ?? ctx.branch;
  const pullRequest = text(issue.pullRequest) ?? ctx.pullRequest;

  const description = [
    message,
    `SonarQube ${KIND_LABEL[kind]} ${rule} ${where ? `in ${where}` : `on project ${project ?? component ?? 'unknown'}`}.`,
    impacts.length ? `Impacts: ${impacts.map((i) => `${humanise(i.softwareQuality)} ${humanise(i.severity)}`).join(', ')}.` : undefined,
    cleanCode ? `Clean code attribute: ${humanise(cleanCode)}${cleanCodeCategory ? ` (${humanise(cleanCodeCategory)})` : ''}.` : undefined,
  ]
    .filter(Boolean)
    .join(' ');

  const sourceUrl = ctx.serverUrl && project ? issueUrl(ctx.serverUrl, { project, key, branch, pullRequest }) : undefined;
  const referenceUrl = vulnerabilities?.find((v) => v.ReferenceUrls?.length)?.ReferenceUrls?.[0];
  const remediation = plugin
    ? {
        text: `Upgrade or replace ${plugin.fileName ?? 'the dependency'} with a version that is not affected by ${ids.slice(0, 5).join(', ')}.`,
        url: referenceUrl,
      }
    : ruleRemediation(rule, ctx);

  return {
    ruleId: rule,
    location: path ?? project ?? component ?? 'sonarqube',
    identity,
    title,
    description,
    severity: { label: severity.label, original: severity.original },
    types: [ASFF_TYPE[kind], ...(vulnerabilities?.some((v) => vulnerabilitySource(v.Id!).isCve) ? [`${VULNERABILITIES}/CVE`] : [])],
    resources: [
      {
        Type: 'Other',
        Id: truncate(path ?? project ?? component ?? 'sonarqube', 4096, ''),
        Details: { Other: compact({ path, line, project, component }) },
      },
    ],
    vulnerabilities,
    remediation,
    productFields: compact(
      {
        Key: key,
        Type: type,
        Severity: legacySeverity,
        SeveritySource: severity.source,
        Impacts: impacts.map((i) => `${i.softwareQuality}:${i.severity}`).join(', ') || undefined,
        CleanCodeAttribute: cleanCode,
        CleanCodeAttributeCategory: cleanCodeCategory,
        Status: word(issue.status),
        Resolution: word(issue.resolution),
        IssueStatus: word(issue.issueStatus),
        CWE: cwes.join(', ') || undefined,
        OWASP: owasp.join(', ') || undefined,
        Tags: tags.join(', ') || undefined,
        Scope: word(issue.scope),
        Project: project,
        Branch: branch,
        PullRequest: pullRequest,
        CreationDate: text(issue.creationDate),
      },
      LIMITS.productFieldValue,
    ),
    state: decision.state,
    stateReason: stateReason(decision, lastComment(issue.comments)),
    sourceUrl,
  };
}

/** A link to the rule's description, shared by every finding of that rule. */
export function ruleRemediation(rule: string, ctx: ParseContext): FindingDraft['remediation'] {
  if (ctx.remediationByRule.has(rule)) return ctx.remediationByRule.get(rule);
  const url = ruleUrl(rule, ctx.serverUrl);
  const remediation = url ? { text: `See SonarQube rule ${rule} for why this is a problem and how to fix it.`, url } : undefined;
  ctx.remediationByRule.set(rule, remediation);
  return remediation;
}
