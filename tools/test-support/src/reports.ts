import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFinding, validateFinding, type AwsSecurityFinding, type ParsedReport } from '@devsecops/asff';
import { readReport, ReportError, type ReportDocument, type ReportParser } from '@devsecops/report-input';
import { FIXED_NOW, testScope } from './index';

/** A fixture read the way the import reads reports: bytes through readReport. */
export function readFixture(dir: string, name: string): ReportDocument {
  return readReport(readFileSync(join(dir, name)), name);
}

/** A JSON document as readReport would return it. */
export function jsonDoc(value: unknown, source = 'inline.json'): ReportDocument {
  return { source, format: 'json', value, encoding: 'utf-8', skippedPrefix: 0, bytes: 0 };
}

/** Builds every draft for the report's own tool scope; returns the problems and the duplicate Ids (both empty when all is well). */
export function checkFindings(report: ParsedReport): { findings: AwsSecurityFinding[]; problems: string[]; duplicateIds: string[] } {
  const scope = testScope({ tool: report.tool });
  const findings = report.drafts.map((draft) => buildFinding(draft, scope, FIXED_NOW));
  const problems = findings.flatMap((f) => validateFinding(f).map((p) => `${f.Id}: ${p.path} ${p.message}`));
  const seen = new Set<string>();
  const duplicateIds = findings.map((f) => f.Id!).filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  return { findings, problems, duplicateIds };
}

/**
 * The property every parser must hold: parsing any value gives findings that Security Hub accepts (valid, unique
 * Ids) or a ReportError; anything else thrown fails the property.
 */
export function expectValidFindingsOrReportError(parser: ReportParser, value: unknown, source = 'property.json'): void {
  const doc = jsonDoc(value, source);
  expect(typeof parser.detect(doc)).toBe('boolean');
  let report: ParsedReport;
  try {
    report = parser.parse(doc);
  } catch (error) {
    if (error instanceof ReportError) return;
    throw error;
  }
  const { problems, duplicateIds } = checkFindings(report);
  expect(problems).toEqual([]);
  expect(duplicateIds).toEqual([]);
}
