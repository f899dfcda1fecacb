export { renderHtmlReport, escapeHtml, CONTENT_SECURITY_POLICY, SEVERITY_COLOURS } from './render';
export { buildReportModel, compareRows } from './model';
export type { HtmlReportInput, GateVerdict, SuppressionNote, ReportModel, ReportRow, RowStatus, Link } from './model';
export { cveUrl, cweUrl, consoleUrl, repositoryUrl } from './links';
