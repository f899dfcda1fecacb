/**
 * Measures one report in a fresh process, so peak RSS belongs to this work alone:
 *   convert-worker <tool> <file> parse|convert|both
 * Prints JSON: { parseMs, convertMs, findings, maxRssBytes }.
 * Timings are the median of three alternating rounds (JSON.parse of the same bytes, then the full conversion).
 */
import { readFileSync } from 'node:fs';
import { buildFindings, type ScanScope } from '@devsecops/asff';
import { dependencyCheckParser } from '@devsecops/parser-dependency-check';
import { phpstanParser } from '@devsecops/parser-phpstan';
import { sarifParser } from '@devsecops/parser-sarif';
import { zapParser } from '@devsecops/parser-zap';
import { XMLParser } from 'fast-xml-parser';
import { readReport, type ReportParser } from '@devsecops/report-input';

const PARSERS: Record<string, ReportParser> = { 'dependency-check': dependencyCheckParser, sarif: sarifParser, phpstan: phpstanParser, zap: zapParser };
const scope: ScanScope = { tool: 'bench', repository: 'bench/repo', branch: 'main', commit: 'c', awsAccountId: '123456789012', region: 'us-east-1', partition: 'aws' };

const [tool, file, mode = 'both'] = process.argv.slice(2);
const parser = PARSERS[tool ?? ''];
if (!parser || !file) {
  console.error('usage: convert-worker <tool> <file> parse|convert|both');
  process.exit(2);
}
const bytes = readFileSync(file);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The baseline: JSON.parse, or for XML the same fast-xml-parser settings without our checks. */
const isXml = file!.endsWith('.xml');
function bareParse(): number {
  const start = performance.now();
  const text = new TextDecoder().decode(bytes);
  if (isXml) new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: false, trimValues: true, processEntities: true, htmlEntities: true }).parse(text);
  else JSON.parse(text);
  return performance.now() - start;
}

let findings = 0;
function convert(): number {
  const start = performance.now();
  const doc = readReport(bytes, file!);
  const parsed = parser!.parse(doc);
  findings = buildFindings(parsed, { ...scope, tool: parsed.tool }, '2026-11-22T00:00:00.000Z').length;
  return performance.now() - start;
}

const rounds = mode === 'both' ? 3 : 1;
const parseTimes: number[] = [];
const convertTimes: number[] = [];
for (let r = 0; r < rounds; r += 1) {
  if (mode !== 'convert') parseTimes.push(bareParse());
  if (mode !== 'parse') convertTimes.push(convert());
}
process.stdout.write(
  JSON.stringify({
    parseMs: parseTimes.length ? median(parseTimes) : undefined,
    convertMs: convertTimes.length ? median(convertTimes) : undefined,
    findings,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
