import type { SeverityLabel } from '@devsecops/asff';
import { findingFacts, type FindingFacts, type ReportInput } from './model';

/** GitHub reads `security-severity` (0.0–10.0) for the alert severity: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
const SCORE_OF_LABEL: Record<SeverityLabel, number> = { CRITICAL: 9.5, HIGH: 8.0, MEDIUM: 5.5, LOW: 2.0, INFORMATIONAL: 0.0 };

/** SARIF `level`: error for HIGH and CRITICAL, warning for MEDIUM, note below. */
export function sarifLevel(label: SeverityLabel): 'error' | 'warning' | 'note' {
  return label === 'CRITICAL' || label === 'HIGH' ? 'error' : label === 'MEDIUM' ? 'warning' : 'note';
}

/** The property GitHub code scanning matches alerts across runs by, besides its own line hash. */
export const FINGERPRINT_KEY = 'devsecopsFindingId/v1';

function score(f: FindingFacts): number {
  return f.cvssScore ?? SCORE_OF_LABEL[f.severity];
}

/**
 * A path as a relative URI reference: segments percent-encoded, `\` made `/`, a leading `./` or `/` removed so that
 * GitHub resolves it against the repository root (it requires repository-relative paths).
 */
export function relativeUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function location(f: FindingFacts): object[] {
  if (f.kind === 'dast' && f.url) return [{ physicalLocation: { artifactLocation: { uri: f.url } } }];
  if (!f.path) return [];
  const region: Record<string, number> = {};
  if (f.startLine) region.startLine = f.startLine;
  if (f.startLine && f.endLine && f.endLine >= f.startLine) region.endLine = f.endLine;
  if (f.startLine && f.startColumn) region.startColumn = f.startColumn;
  return [
    {
      physicalLocation: {
        artifactLocation: { uri: relativeUri(f.path), uriBaseId: '%SRCROOT%' },
        ...(Object.keys(region).length > 0 ? { region } : {}),
      },
      ...(f.kind === 'sca' && f.packageName ? { message: { text: `${f.packageName}${f.packageVersion ? `@${f.packageVersion}` : ''}` } } : {}),
    },
  ];
}

function ruleOf(rule: string, findings: readonly FindingFacts[]): object {
  const first = findings[0]!;
  const worst = Math.max(...findings.map(score));
  const cwes = [...new Set(findings.flatMap((f) => f.cwes))];
  const help = [first.remediation, first.remediationUrl].filter(Boolean).join('\n');
  return {
    id: rule,
    shortDescription: { text: first.title.slice(0, 1000) || rule },
    fullDescription: { text: (first.description || first.title || rule).slice(0, 4000) },
    ...(help ? { help: { text: help } } : {}),
    ...(first.remediationUrl && /^https?:\/\//.test(first.remediationUrl) ? { helpUri: first.remediationUrl } : {}),
    defaultConfiguration: { level: sarifLevel(findings.map((f) => f.severity).sort((a, b) => SCORE_OF_LABEL[b] - SCORE_OF_LABEL[a])[0]!) },
    properties: {
      'security-severity': worst.toFixed(1),
      tags: ['security', ...cwes.map((c) => `external/cwe/${c.toLowerCase()}`)],
    },
  };
}

function resultOf(f: FindingFacts, ruleIndex: number): object {
  const suppressed = !f.active;
  return {
    ruleId: f.rule,
    ruleIndex,
    level: sarifLevel(f.severity),
    message: { text: `${f.title}${f.fixedVersion ? ` Fixed in ${f.fixedVersion}.` : ''}` },
    locations: location(f),
    partialFingerprints: { [FINGERPRINT_KEY]: f.id },
    ...(suppressed ? { suppressions: [{ kind: 'external', status: 'accepted', ...(f.statusReason ? { justification: f.statusReason } : {}) }] } : {}),
    properties: {
      severity: f.severity,
      'security-severity': score(f).toFixed(1),
      findingId: f.id,
      ...(f.cves.length > 0 ? { cve: f.cves } : {}),
      ...(f.cvssVector ? { cvssVector: f.cvssVector } : {}),
    },
  };
}

/**
 * SARIF 2.1.0, one run per tool, in the subset GitHub code scanning reads: ruleId, level, message, repository-relative
 * locations, partialFingerprints (the stable finding Id), tool.driver.rules with security-severity and CWE tags,
 * and runAutomationDetails so each tool's runs form their own category. Findings suppressed in the tool are kept with
 * a `suppressions` entry (GitHub dismisses them); findings resolved or archived are left out, as a fixed problem is.
 */
export function* renderSarif(input: ReportInput): Iterable<string> {
  const facts = input.findings.map(findingFacts).filter((f) => f.status !== 'RESOLVED' && f.status !== 'ARCHIVED');
  const tools = [...new Set(input.findings.map((f) => findingFacts(f).tool))].sort();
  yield '{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n  "version": "2.1.0",\n  "runs": [';
  for (let t = 0; t < tools.length; t += 1) {
    const tool = tools[t]!;
    const ofTool = facts.filter((f) => f.tool === tool);
    const rules = new Map<string, FindingFacts[]>();
    for (const f of ofTool) rules.set(f.rule, [...(rules.get(f.rule) ?? []), f]);
    const ruleIds = [...rules.keys()].sort();
    const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
    const run = {
      tool: {
        driver: {
          name: tool,
          organization: 'devsecops-pipeline',
          ...(input.producerVersion ? { semanticVersion: input.producerVersion } : {}),
          rules: ruleIds.map((id) => ruleOf(id, rules.get(id)!)),
        },
      },
      automationDetails: { id: `devsecops/${tool}/` },
      columnKind: 'utf16CodeUnits',
      results: ofTool.map((f) => resultOf(f, ruleIndex.get(f.rule)!)),
    };
    yield `${t === 0 ? '\n' : ',\n'}    ${JSON.stringify(run)}`;
  }
  yield `${tools.length > 0 ? '\n  ' : ''}]\n}\n`;
}
