import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFinding, validateFinding, type FindingProblem, type ParsedReport } from '@devsecops/asff';
import { readReport, type ReportDocument } from '@devsecops/report-input';
import { FIXED_NOW, testScope } from '@devsecops/test-support';

/** A fixture of this directory, read the way the pipeline reads a report. */
export function fixture(name: string): ReportDocument {
  const file = join(__dirname, name);
  return readReport(readFileSync(file), file);
}

/** A JSON value as a document, for hand-built inputs. */
export function jsonDoc(value: unknown, source = 'inline.json'): ReportDocument {
  return readReport(JSON.stringify(value), source);
}

/** The ASFF problems of every finding of a report (empty when Security Hub would accept them all). */
export function asffProblems(report: ParsedReport): FindingProblem[] {
  const scope = testScope({ tool: 'sonarqube' });
  return report.drafts.flatMap((draft) => validateFinding(buildFinding(draft, scope, FIXED_NOW)));
}
