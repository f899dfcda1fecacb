import { dependencyCheckParser } from '@devsecops/parser-dependency-check';
import { createScanFunction } from '@devsecops/scan-ingest/lambda';

/** SCA: OWASP Dependency-Check reports (JSON or XML) → Security Hub. */
const scaParser = createScanFunction({ serviceName: 'sca-parser', parsers: [dependencyCheckParser] });

export const processScan = scaParser.processScan;
export const handler = scaParser.handler;
