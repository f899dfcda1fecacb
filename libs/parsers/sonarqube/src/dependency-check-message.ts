/**
 * Issues raised by the dependency-check-sonar-plugin (rule `OWASP:UsingComponentWithKnownVulnerability`) pack the
 * vulnerability into `message` (DependencyCheckUtils.formatDescription), in one of two layouts:
 *   per vulnerability: `Filename: <file> | Reference: <name> | CVSS Score: <score> | [Category: <cwe> | ]<description>`
 *   summarised:        `Filename: <file> | Highest CVSS Score: <score> | Amount of CVSS: <n> | References: <name> (<score>) …`
 */

export const DEPENDENCY_CHECK_RULE = 'OWASP:UsingComponentWithKnownVulnerability';

export interface PluginVulnerability {
  /** CVE-…, GHSA-…, an NPM advisory number or an OSS Index name: kept as the plugin wrote it. */
  id: string;
  score?: number;
}

export interface PluginMessage {
  fileName?: string;
  packageName?: string;
  packageVersion?: string;
  vulnerabilities: PluginVulnerability[];
  /** `CWE-120` */
  cwe?: string;
  description?: string;
}

/** Longer messages are not the plugin's (SonarQube caps messages at 4000 characters); skip them rather than scan them. */
const MAX_MESSAGE = 10_000;
const LABELLED = /^(Filename|Reference|CVSS Score|Category|Highest CVSS Score|Amount of CVSS|References):\s?(.*)$/s;
const REFERENCE = /(\S.*?) \((\d{1,2}(?:\.\d+)?|NaN|null)\)(?:\s+|$)/gy;
const VIRTUAL_PACKAGE = /^(.+?):(\d[^:\s]*)$/;

function score(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d{1,2}(\.\d+)?$/.test(raw.trim())) return undefined;
  const value = Number(raw.trim());
  return value >= 0 && value <= 10 ? value : undefined;
}

function references(raw: string): PluginVulnerability[] {
  const found: PluginVulnerability[] = [];
  REFERENCE.lastIndex = 0;
  const trimmed = raw.trim();
  for (let m = REFERENCE.exec(trimmed); m; m = REFERENCE.exec(trimmed)) {
    found.push({ id: m[1]!.trim(), score: score(m[2]) });
  }
  // Names without a score in brackets: keep the whole text as one reference rather than lose it.
  if (found.length === 0 && trimmed.length > 0) found.push({ id: trimmed });
  return found;
}

/** Reads a plugin message; undefined when the message does not have the plugin's layout. */
export function parsePluginMessage(message: string): PluginMessage | undefined {
  if (message.length > MAX_MESSAGE || !message.startsWith('Filename:')) return undefined;
  const fields = new Map<string, string>();
  const rest: string[] = [];
  for (const segment of message.split(' | ')) {
    const m = rest.length === 0 ? LABELLED.exec(segment) : null;
    if (m && !fields.has(m[1]!)) fields.set(m[1]!, m[2]!.trim());
    else rest.push(segment);
  }
  const fileName = fields.get('Filename') || undefined;
  const vulnerabilities: PluginVulnerability[] = [];
  const reference = fields.get('Reference');
  if (reference) vulnerabilities.push({ id: reference, score: score(fields.get('CVSS Score')) });
  const many = fields.get('References');
  if (many) vulnerabilities.push(...references(many));
  if (vulnerabilities.length === 0) return undefined;
  const cwe = /CWE-(\d{1,5})\b/.exec(fields.get('Category') ?? '')?.[1];
  const virtual = fileName ? VIRTUAL_PACKAGE.exec(fileName) : null;
  const description = rest.join(' | ').trim();
  return {
    fileName,
    packageName: virtual ? virtual[1] : fileName,
    packageVersion: virtual ? virtual[2] : undefined,
    vulnerabilities,
    cwe: cwe ? `CWE-${Number(cwe)}` : undefined,
    description: description || undefined,
  };
}

/** Who publishes a vulnerability id, and where to read about it. */
export function vulnerabilitySource(id: string): { vendor: string; url?: string; isCve: boolean } {
  if (/^CVE-\d{4}-\d{4,}$/i.test(id)) return { vendor: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${id.toUpperCase()}`, isCve: true };
  if (/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/i.test(id)) {
    return { vendor: 'GitHub Advisory Database', url: `https://github.com/advisories/${id}`, isCve: false };
  }
  return { vendor: 'OWASP Dependency-Check', isCve: false };
}
