import { buildFindings, validateFinding } from '@devsecops/asff';
import { dependencyCheckParser } from '@devsecops/parser-dependency-check';
import { phpstanParser } from '@devsecops/parser-phpstan';
import { sarifParser } from '@devsecops/parser-sarif';
import { zapParser } from '@devsecops/parser-zap';
import { readReport, type ReportParser } from '@devsecops/report-input';
import { FIXED_NOW, testScope } from '@devsecops/test-support';
import { GENERATORS, PARSER_OF, type GeneratedTool } from './generate';

const PARSERS: Record<string, ReportParser> = { 'dependency-check': dependencyCheckParser, sarif: sarifParser, phpstan: phpstanParser, zap: zapParser };

describe('benchmark report generators', () => {
  it.each(Object.keys(GENERATORS) as GeneratedTool[])('%s: generates a report its parser reads in full, with valid findings', (tool) => {
    // Arrange
    const { text, findings } = GENERATORS[tool](256 * 1024);
    // Act
    const doc = readReport(text, `${tool}.report`);
    const parser = PARSERS[PARSER_OF[tool]]!;
    const parsed = parser.parse(doc);
    const built = buildFindings(parsed, testScope({ tool: parsed.tool }), FIXED_NOW);
    // Assert
    expect(parser.detect(doc)).toBe(true);
    expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(256 * 1024);
    expect(parsed.drafts).toHaveLength(findings);
    expect(built.flatMap((f) => validateFinding(f))).toEqual([]);
    expect(new Set(built.map((f) => f.Id)).size).toBe(findings);
  });
});
