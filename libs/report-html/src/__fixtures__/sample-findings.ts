import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsSecurityFinding } from '@devsecops/asff';
import { dependencyCheckParser } from '@devsecops/parser-dependency-check';
import { phpstanParser } from '@devsecops/parser-phpstan';
import { sarifParser } from '@devsecops/parser-sarif';
import { sonarqubeParser } from '@devsecops/parser-sonarqube';
import { zapParser } from '@devsecops/parser-zap';
import { readReport } from '@devsecops/report-input';
import { convertDocuments } from '@devsecops/scan-ingest';

const SAMPLES = join(__dirname, '..', '..', '..', '..', 'samples');
const PARSERS = [dependencyCheckParser, sonarqubeParser, phpstanParser, sarifParser, zapParser];
export const NOW = '2026-11-22T14:10:00.000Z';

/** The sample application's real-format reports, converted the way the pipeline converts them. */
export function sampleFindings(dir = 'patient-portal', files = ['dependency-check-report.json', 'semgrep.sarif', 'phpstan.json', 'zap-report.json']): AwsSecurityFinding[] {
  return files.flatMap((file) => {
    const doc = readReport(readFileSync(join(SAMPLES, dir, file)), file);
    const conversion = convertDocuments([doc], {
      parsers: PARSERS,
      scope: { awsAccountId: '111122223333', region: 'eu-west-1', partition: 'aws', repository: 'hospital/patient-portal', branch: 'main', commit: 'a11ce0de00000000000000000000000000000001', ...(file.startsWith('zap') ? { target: 'https://staging.patient-portal.example' } : {}) },
      now: NOW,
    });
    return conversion.findings;
  });
}
