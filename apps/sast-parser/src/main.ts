import { phpstanParser } from '@devsecops/parser-phpstan';
import { sarifParser } from '@devsecops/parser-sarif';
import { sonarqubeParser } from '@devsecops/parser-sonarqube';
import { createScanFunction } from '@devsecops/scan-ingest/lambda';

/** SAST: SonarQube issue/hotspot responses, PHPStan JSON and SARIF 2.1.0 → Security Hub. */
const sastParser = createScanFunction({ serviceName: 'sast-parser', parsers: [sonarqubeParser, phpstanParser, sarifParser] });

export const processScan = sastParser.processScan;
export const handler = sastParser.handler;
