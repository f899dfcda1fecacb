import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFinding, validateFinding, type AwsSecurityFinding, type FindingDraft, type ParsedReport } from '@devsecops/asff';
import { readReport, type ReportDocument, type XmlParseOptions } from '@devsecops/report-input';
import { FIXED_NOW, testScope } from '@devsecops/test-support';

/** Test-only helpers: read a fixture, build findings, collect validation problems. */

export const FIXTURES = join(__dirname, '..', '__fixtures__');

export function fixtureDoc(name: string, xmlOptions?: XmlParseOptions): ReportDocument {
  return readReport(readFileSync(join(FIXTURES, name)), name, xmlOptions);
}

export function jsonDoc(value: unknown, source = 'test.json'): ReportDocument {
  return { source, format: 'json', value, encoding: 'utf-8', skippedPrefix: 0, bytes: 0 };
}

export function xmlDoc(value: unknown, source = 'test.xml'): ReportDocument {
  return { source, format: 'xml', value, encoding: 'utf-8', skippedPrefix: 0, bytes: 0 };
}

export const scope = testScope({ tool: 'dependency-check' });

export function build(draft: FindingDraft): AwsSecurityFinding {
  return buildFinding(draft, scope, FIXED_NOW);
}

export function findingsOf(report: ParsedReport): AwsSecurityFinding[] {
  return report.drafts.map(build);
}

/** Every validation problem of every finding, as `<Id>: <path> <message>`. */
export function problemsOf(findings: readonly AwsSecurityFinding[]): string[] {
  return findings.flatMap((f) => validateFinding(f).map((p) => `${f.Id}: ${p.path} ${p.message}`));
}

export function byRuleId(report: ParsedReport, ruleId: string): FindingDraft[] {
  return report.drafts.filter((d) => d.ruleId === ruleId);
}

export function onlyByRuleId(report: ParsedReport, ruleId: string): FindingDraft {
  const found = byRuleId(report, ruleId);
  if (found.length !== 1) throw new Error(`expected one draft for ${ruleId}, found ${found.length}`);
  return found[0]!;
}
