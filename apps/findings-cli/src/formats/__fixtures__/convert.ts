import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { AwsSecurityFinding } from '@devsecops/asff';
import { dependencyCheckParser } from '@devsecops/parser-dependency-check';
import { phpstanParser } from '@devsecops/parser-phpstan';
import { sarifParser } from '@devsecops/parser-sarif';
import { sonarqubeParser } from '@devsecops/parser-sonarqube';
import { zapParser } from '@devsecops/parser-zap';
import { readReport } from '@devsecops/report-input';
import { convertDocuments } from '@devsecops/scan-ingest';
import { FIXED_NOW, workspaceRoot } from '@devsecops/test-support';

const PARSERS = [dependencyCheckParser, sonarqubeParser, phpstanParser, sarifParser, zapParser];

/** The sample application's reports, as `npm start` imports them: the repository's own real-shaped fixtures. */
export const SAMPLE_REPORTS = ['dependency-check-report.json', 'sonarqube-issues.json', 'phpstan.json', 'semgrep.sarif', 'zap-report.json'].map((name) =>
  join(workspaceRoot, 'samples/patient-portal', name),
);

/** A report file → its ASFF findings, through the same conversion as the CLI (fixed time, fixed account). */
export function convertFile(path: string, dir = 'patient-portal'): AwsSecurityFinding[] {
  const doc = readReport(readFileSync(path), basename(path));
  return convertDocuments([doc], {
    parsers: PARSERS,
    scope: { awsAccountId: '111122223333', region: 'eu-west-1', partition: 'aws', repository: `hospital/${dir}`, branch: 'main', commit: 'abc123' },
    now: FIXED_NOW,
  }).findings;
}

/** Every finding of the sample application. */
export function sampleFindings(): AwsSecurityFinding[] {
  return SAMPLE_REPORTS.flatMap((p) => convertFile(p));
}

export function text(chunks: Iterable<string>): string {
  return [...chunks].join('');
}
