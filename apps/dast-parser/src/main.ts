import { zapParser } from '@devsecops/parser-zap';
import { createScanFunction } from '@devsecops/scan-ingest/lambda';

/** DAST: OWASP ZAP traditional JSON and XML reports → Security Hub. */
const dastParser = createScanFunction({ serviceName: 'dast-parser', parsers: [zapParser] });

export const processScan = dastParser.processScan;
export const handler = dastParser.handler;
