import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFinding, validateFinding, type AwsSecurityFinding, type ParsedReport } from '@devsecops/asff';
import { readReport, type ReportDocument } from '@devsecops/report-input';
import { FIXED_NOW, testScope } from '@devsecops/test-support';

export function fixtureText(name: string): string {
  return readFileSync(join(__dirname, name), 'utf8');
}

export function fixtureDoc(name: string): ReportDocument {
  return readReport(readFileSync(join(__dirname, name)), name);
}

/** Fixture JSON as tests edit it: any path, no declared shape (the parser must cope with any shape anyway). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into arbitrary fixture paths
export type FixtureJson = Record<string, any>;

/** A fresh deep copy of a JSON fixture, for tests that edit it. */
export function fixtureJson(name: string): FixtureJson {
  return JSON.parse(fixtureText(name));
}

export function jsonDoc(value: unknown, source = 'report.json'): ReportDocument {
  return { source, format: 'json', value, encoding: 'utf-8', skippedPrefix: 0, bytes: 0 };
}

export const zapScope = testScope({ tool: 'zap', target: 'https://staging.hospital.example' });

export function findingsOf(report: ParsedReport): AwsSecurityFinding[] {
  return report.drafts.map((draft) => buildFinding(draft, zapScope, FIXED_NOW));
}

/** Every problem of every finding, as readable strings (empty when Security Hub would accept them all). */
export function problemsOf(findings: readonly AwsSecurityFinding[]): string[] {
  return findings.flatMap((f) => validateFinding(f).map((p) => `${f.Title}: ${p.path} ${p.message}`));
}
