/** Links into SonarQube and to rule descriptions. Pure string work: no request is made. */

/** The server's base URL (http/https only, no credentials, query or trailing slash), or undefined when unusable. */
export function normaliseServerUrl(raw: string | undefined): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

interface Place {
  project: string;
  key: string;
  branch?: string;
  pullRequest?: string;
}

function branchParams(place: Place): Record<string, string> {
  if (place.pullRequest) return { pullRequest: place.pullRequest };
  if (place.branch) return { branch: place.branch };
  return {};
}

/** `<server>/project/issues?id=<project>&open=<key>` (+ branch or pullRequest). */
export function issueUrl(server: string, place: Place): string {
  const query = new URLSearchParams({ id: place.project, open: place.key, ...branchParams(place) });
  return `${server}/project/issues?${query.toString()}`;
}

/** `<server>/security_hotspots?id=<project>&hotspots=<key>` (+ branch or pullRequest). */
export function hotspotUrl(server: string, place: Place): string {
  const query = new URLSearchParams({ id: place.project, hotspots: place.key, ...branchParams(place) });
  return `${server}/security_hotspots?${query.toString()}`;
}

/** Rule repositories whose `S<n>` rules are described on rules.sonarsource.com, by language page. */
const RSPEC_LANGUAGE: Readonly<Record<string, string>> = {
  java: 'java',
  squid: 'java',
  javasecurity: 'java',
  javascript: 'javascript',
  jssecurity: 'javascript',
  typescript: 'typescript',
  tssecurity: 'typescript',
  python: 'python',
  pythonsecurity: 'python',
  php: 'php',
  phpsecurity: 'php',
  csharpsquid: 'csharp',
  vbnet: 'vbnet',
  go: 'go',
  kotlin: 'kotlin',
  ruby: 'ruby',
  scala: 'scala',
  swift: 'swift',
  c: 'c',
  cpp: 'cpp',
  objc: 'objective-c',
  plsql: 'plsql',
  tsql: 'tsql',
  web: 'html',
  xml: 'xml',
  css: 'css',
  secrets: 'secrets',
  docker: 'docker',
  kubernetes: 'kubernetes',
  terraform: 'terraform',
  cloudformation: 'cloudformation',
};

/**
 * Where a rule is explained: the public rules.sonarsource.com page for SonarSource `S<n>` rules (readable without
 * access to the server), else the server's own rule page when the server is known.
 */
export function ruleUrl(rule: string, server: string | undefined): string | undefined {
  const m = /^([A-Za-z.]+):S(\d{1,6})$/.exec(rule);
  const language = m ? RSPEC_LANGUAGE[m[1]!.toLowerCase()] : undefined;
  if (language) return `https://rules.sonarsource.com/${language}/RSPEC-${m![2]}/`;
  if (server) return `${server}/coding_rules?${new URLSearchParams({ open: rule, rule_key: rule }).toString()}`;
  return undefined;
}
