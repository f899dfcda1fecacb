import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsSecurityFinding } from '@devsecops/asff';
import { dependencyCheckParser } from '@devsecops/parser-dependency-check';
import { phpstanParser } from '@devsecops/parser-phpstan';
import { sarifParser } from '@devsecops/parser-sarif';
import { sonarqubeParser } from '@devsecops/parser-sonarqube';
import { zapParser } from '@devsecops/parser-zap';
import { readReport } from '@devsecops/report-input';
import { convertDocuments } from '@devsecops/scan-ingest';
import { workspaceRoot } from '@devsecops/test-support';

/*
 * libs/report-html tests the page over the sample application's findings kept as ASFF, so that it depends on no
 * parser (a parser change must not rebuild and redeploy what renders reports). This test keeps that file equal to
 * what the parsers make of the samples today; `UPDATE_GOLDEN=1` rewrites it.
 */
const GOLDEN = join(workspaceRoot, 'libs/report-html/src/__fixtures__/sample-findings.json');
const NOW = '2026-11-22T14:10:00.000Z';
const PARSERS = [dependencyCheckParser, sonarqubeParser, phpstanParser, sarifParser, zapParser];

function convert(dir: string, files: readonly string[]): AwsSecurityFinding[] {
  return files.flatMap((file) => {
    const doc = readReport(readFileSync(join(workspaceRoot, 'samples', dir, file)), file);
    return convertDocuments([doc], {
      parsers: PARSERS,
      scope: {
        awsAccountId: '111122223333',
        region: 'eu-west-1',
        partition: 'aws',
        repository: 'hospital/patient-portal',
        branch: 'main',
        commit: 'a11ce0de00000000000000000000000000000001',
        ...(file.startsWith('zap') ? { target: 'https://staging.patient-portal.example' } : {}),
      },
      now: NOW,
    }).findings;
  });
}

describe('libs/report-html sample findings', () => {
  it('equal what the parsers make of samples/ today', () => {
    // arrange
    const fresh = {
      now: NOW,
      'patient-portal': convert('patient-portal', ['dependency-check-report.json', 'semgrep.sarif', 'phpstan.json', 'zap-report.json']),
      'patient-portal-fixed': convert('patient-portal-fixed', ['dependency-check-report.json']),
    };
    const text = `${JSON.stringify(fresh, null, 1)}\n`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
    // act
    const kept = readFileSync(GOLDEN, 'utf8');
    // assert
    expect(kept).toBe(text);
  });
});
