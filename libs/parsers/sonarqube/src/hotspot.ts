import { LIMITS, truncate, type FindingDraft } from '@devsecops/asff';
import type { ParseContext } from './context';
import { ASFF_TYPE, lastComment, ruleRemediation, stateReason } from './issue';
import { hotspotUrl } from './links';
import { sonarLocation } from './location';
import { isObject, text, word, type JsonObject } from './read';
import { hotspotSeverity } from './severity';
import { hotspotState } from './state';
import { compact, humanise, place, titleWithPlace } from './text';

/** The rule of a hotspot: `ruleKey` (SonarQube 9+), a `rule` object (/api/hotspots/show), else its security category. */
function hotspotRule(hotspot: JsonObject): string {
  const fromObject = isObject(hotspot.rule) ? text(hotspot.rule.key) : text(hotspot.rule);
  const category = text(hotspot.securityCategory);
  return text(hotspot.ruleKey) ?? fromObject ?? (category ? `hotspot:${category}` : 'sonarqube-hotspot');
}

export interface HotspotInput {
  hotspot: JsonObject;
  key: string;
  identity: string;
}

/** One hotspot of /api/hotspots/search as a draft: a security-sensitive spot someone has to review. */
export function hotspotDraft({ hotspot, key, identity }: HotspotInput, ctx: ParseContext): FindingDraft {
  const counters = ctx.counters;
  const rule = hotspotRule(hotspot);
  const { project, component, path, line } = sonarLocation(hotspot, ctx);
  const message = text(hotspot.message) ?? rule;
  const category = text(hotspot.securityCategory);
  const probability = word(hotspot.vulnerabilityProbability) ?? (isObject(hotspot.rule) ? word(hotspot.rule.vulnerabilityProbability) : undefined);
  let severity = hotspotSeverity(probability);
  if (!severity) {
    counters.defaultedSeverity += 1;
    severity = { label: ctx.defaultSeverity, original: probability ?? 'none', source: 'probability' };
  }
  const status = word(hotspot.status);
  const resolution = word(hotspot.resolution);
  const decision = hotspotState(status, resolution);
  if (!decision.known) counters.unknownStatus += 1;
  const where = place(path, line);
  const branch = text(hotspot.branch) ?? ctx.branch;
  const pullRequest = text(hotspot.pullRequest) ?? ctx.pullRequest;

  const description = [
    message,
    `SonarQube security hotspot ${rule} ${where ? `in ${where}` : `on project ${project ?? component ?? 'unknown'}`}: review whether this code is safe.`,
    `Category: ${category ? humanise(category) : 'unknown'}; review priority ${humanise(severity.original)}.`,
  ].join(' ');

  return {
    ruleId: rule,
    location: path ?? project ?? component ?? 'sonarqube',
    identity,
    title: titleWithPlace(message, where),
    description,
    severity: { label: severity.label, original: severity.original },
    types: [ASFF_TYPE.hotspot],
    resources: [
      {
        Type: 'Other',
        Id: truncate(path ?? project ?? component ?? 'sonarqube', 4096, ''),
        Details: { Other: compact({ path, line, project, component }) },
      },
    ],
    remediation: ruleRemediation(rule, ctx),
    productFields: compact(
      {
        Key: key,
        Type: 'SECURITY_HOTSPOT',
        SecurityCategory: category,
        VulnerabilityProbability: probability,
        Status: status,
        Resolution: resolution,
        Project: project,
        Branch: branch,
        PullRequest: pullRequest,
        CreationDate: text(hotspot.creationDate),
      },
      LIMITS.productFieldValue,
    ),
    state: decision.state,
    stateReason: stateReason(decision, lastComment(hotspot.comment ?? hotspot.comments)),
    sourceUrl: ctx.serverUrl && project ? hotspotUrl(ctx.serverUrl, { project, key, branch, pullRequest }) : undefined,
  };
}
