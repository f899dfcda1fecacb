import { bySeverityThenLocation, findingFacts, isBlocking, type ReportInput } from './model';

export const CSV_COLUMNS = [
  'Id',
  'Tool',
  'Severity',
  'Status',
  'Blocking',
  'Title',
  'Rule',
  'Location',
  'Path',
  'Line',
  'Package',
  'Version',
  'FixedInVersion',
  'URL',
  'CVE',
  'CWE',
  'CVSS',
  'Repository',
  'Branch',
  'Commit',
  'FirstObservedAt',
  'UpdatedAt',
] as const;

/**
 * A spreadsheet opens a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
 * programs strip first) as a formula: finding text is attacker-controlled (a ZAP alert quotes the attacked page),
 * so such a cell is prefixed with `'` (OWASP "CSV Injection"). Numbers are written by this code, never prefixed.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180: a field with a comma, quote, CR or LF is quoted and its quotes doubled. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function row(values: readonly (string | number | undefined)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** One row per finding, header first, CRLF line ends (RFC 4180), sorted by severity. */
export function* renderCsv(input: ReportInput): Iterable<string> {
  yield row(CSV_COLUMNS);
  const facts = input.findings.map(findingFacts).sort(bySeverityThenLocation);
  for (const f of facts) {
    yield row([
      f.id,
      f.tool,
      f.severity,
      f.status,
      isBlocking(f, input.gate) ? 'yes' : 'no',
      f.title,
      f.rule,
      f.location,
      f.path,
      f.startLine,
      f.packageName,
      f.packageVersion,
      f.fixedVersion,
      f.url,
      f.cves.join(' '),
      f.cwes.join(' '),
      f.cvssScore,
      f.repository,
      f.branch,
      f.commit,
      f.firstObservedAt,
      f.updatedAt,
    ]);
  }
}
