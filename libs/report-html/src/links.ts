import type { Partition } from '@devsecops/asff';
import { findingConsoleUrl } from '@devsecops/aws-conventions';

/**
 * Every link of the page is built here, from identifiers that match a strict pattern; nothing a report wrote is
 * ever put into an href as it is (a ZAP alert quotes the attacked page, a SARIF message quotes code).
 */

const CVE = /^CVE-\d{4}-\d{4,7}$/;
const CWE = /^CWE-(\d{1,5})$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const COMMIT = /^[0-9a-f]{7,64}$/i;
/** A repository path segment: no scheme, no `..`, printable characters only. */
const PATH_SEGMENT = /^[A-Za-z0-9._~@+,=\- ()[\]]+$/;

export function cveUrl(id: string): string | undefined {
  return CVE.test(id) ? `https://nvd.nist.gov/vuln/detail/${id}` : undefined;
}

export function cweUrl(id: string): string | undefined {
  const match = CWE.exec(id);
  return match ? `https://cwe.mitre.org/data/definitions/${Number(match[1])}.html` : undefined;
}

export function consoleUrl(findingId: string, region: string | undefined, partition: Partition | undefined): string | undefined {
  if (!region || !REGION.test(region) || !findingId) return undefined;
  return findingConsoleUrl(findingId, region, partition ?? 'aws');
}

export interface RepositoryLinkParts {
  path: string;
  line?: number;
  commit?: string;
  branch?: string;
}

/**
 * A file:line link from a template such as `https://github.com/acme/shop/blob/{commit}/{path}#L{line}` (also
 * `{branch}`). The template must be an https URL; the path must be repository-relative; each part is encoded.
 */
export function repositoryUrl(template: string | undefined, parts: RepositoryLinkParts): string | undefined {
  if (!template || !template.startsWith('https://') || !template.includes('{path}')) return undefined;
  const segments = parts.path.split('/');
  if (parts.path.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..' || !PATH_SEGMENT.test(s))) return undefined;
  if (template.includes('{commit}') && !(parts.commit && COMMIT.test(parts.commit))) return undefined;
  if (template.includes('{branch}') && !parts.branch) return undefined;
  let url = template
    .replace('{path}', segments.map(encodeURIComponent).join('/'))
    .replace('{commit}', parts.commit ?? '')
    .replace('{branch}', encodeURIComponent(parts.branch ?? ''));
  url = parts.line !== undefined && Number.isInteger(parts.line) && parts.line > 0 ? url.replace('{line}', String(parts.line)) : url.replace(/#?L?\{line\}/, '');
  try {
    return new URL(url).protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
