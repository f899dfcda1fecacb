import { renderAsff } from './asff';
import { renderCsv } from './csv';
import { renderHtml } from './html';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import { FORMAT_IDS, type FormatId, type ReportFormat } from './model';
import { renderOcsf } from './ocsf';
import { renderSarif } from './sarif';

/**
 * Every output format, by `--format` name. A new format is one module with a pure `render(input)` and one entry
 * here; the CLI's `--format` choices, help and error messages come from this table.
 */
export const FORMATS: Readonly<Record<FormatId, ReportFormat>> = {
  asff: { id: 'asff', description: 'the ASFF findings as a JSON array (what BatchImportFindings takes)', extension: '.json', mediaType: 'application/json', render: renderAsff },
  sarif: { id: 'sarif', description: 'SARIF 2.1.0, one run per tool (GitHub code scanning and other SARIF readers)', extension: '.sarif', mediaType: 'application/sarif+json', render: renderSarif },
  junit: { id: 'junit', description: 'JUnit XML, one test case per finding, failed when it blocks (CodeBuild test reports)', extension: '.xml', mediaType: 'application/xml', render: renderJunit },
  markdown: { id: 'markdown', description: 'verdict, counts, blocking, new and fixed (pull-request comments, build summaries)', extension: '.md', mediaType: 'text/markdown', render: renderMarkdown },
  csv: { id: 'csv', description: 'one row per finding, RFC 4180, safe to open in a spreadsheet', extension: '.csv', mediaType: 'text/csv', render: renderCsv },
  ocsf: { id: 'ocsf', description: 'OCSF 1.6 findings (2002 Vulnerability, 2007 Application Security Posture) as NDJSON', extension: '.ndjson', mediaType: 'application/x-ndjson', render: renderOcsf },
  html: { id: 'html', description: 'one self-contained triage page: verdict, counts, filters, details, new and fixed (libs/report-html)', extension: '.html', mediaType: 'text/html', render: renderHtml },
};

export function isFormatId(value: string): value is FormatId {
  return (FORMAT_IDS as readonly string[]).includes(value);
}
