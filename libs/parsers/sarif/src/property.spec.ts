import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expectValidFindingsOrReportError, mutatedJson } from '@devsecops/test-support';
import { fixturePath } from './__fixtures__/support';
import { sarifParser } from './sarif-parser';

function parsesToValidFindingsOrReportError(value: unknown): void {
  expectValidFindingsOrReportError(sarifParser, value, 'property.sarif');
}

const anyJson = fc.jsonValue({ maxDepth: 2 });
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', ' ', 'CVE-2021-44228', 'external/cwe/cwe-079', '{0} [x](1) \\[', 'file:///C:/a%zz/b.c'));
/** Mostly the expected shape, sometimes any JSON in its place. */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: arb, weight: 4 }, { arbitrary: anyJson, weight: 1 });
const messageArb = fc.record({ text: maybe(anyText), markdown: maybe(anyText), id: maybe(anyText), arguments: maybe(fc.array(anyText, { maxLength: 3 })) }, { requiredKeys: [] });
const locationArb = fc.record(
  {
    physicalLocation: fc.record(
      {
        artifactLocation: fc.record({ uri: maybe(fc.oneof(anyText, fc.constantFrom('src/a.php', '/home/u/p/app/b.php', 'https://x.test/'))), uriBaseId: maybe(fc.constantFrom('SRCROOT', 'ROOT', 'X')), index: maybe(fc.nat(3)) }, { requiredKeys: [] }),
        region: fc.record({ startLine: maybe(fc.integer()), snippet: maybe(fc.record({ text: anyText })) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
    logicalLocations: maybe(fc.array(fc.record({ name: anyText }), { maxLength: 2 })),
    message: maybe(messageArb),
  },
  { requiredKeys: [] },
);
const resultArb = fc.record(
  {
    ruleId: maybe(anyText),
    ruleIndex: maybe(fc.integer({ min: -1, max: 3 })),
    rule: maybe(fc.record({ id: anyText, index: fc.nat(3), toolComponent: fc.record({ index: fc.nat(2), name: anyText }, { requiredKeys: [] }) }, { requiredKeys: [] })),
    kind: maybe(fc.constantFrom('fail', 'pass', 'review')),
    level: maybe(fc.constantFrom('error', 'warning', 'note', 'none', 'bad')),
    message: maybe(messageArb),
    locations: maybe(fc.array(locationArb, { maxLength: 3 })),
    suppressions: maybe(fc.array(fc.record({ kind: anyText, status: maybe(fc.constantFrom('accepted', 'underReview', 'rejected')), justification: anyText }, { requiredKeys: [] }), { maxLength: 2 })),
    fingerprints: maybe(fc.dictionary(fc.constantFrom('a/v1', 'a/v2', 'b'), maybe(anyText))),
    partialFingerprints: maybe(fc.dictionary(anyText, maybe(anyText), { maxKeys: 3 })),
    baselineState: maybe(fc.constantFrom('new', 'absent')),
    taxa: maybe(fc.array(fc.record({ id: maybe(anyText), toolComponent: fc.record({ name: fc.constantFrom('CWE', 'x') }) }), { maxLength: 2 })),
  },
  { requiredKeys: [] },
);
const ruleArb = fc.record(
  {
    id: maybe(anyText),
    name: maybe(anyText),
    shortDescription: maybe(fc.record({ text: anyText })),
    helpUri: maybe(fc.oneof(anyText, fc.webUrl())),
    defaultConfiguration: maybe(fc.record({ level: maybe(fc.constantFrom('error', 'note')) })),
    properties: maybe(fc.record({ 'security-severity': maybe(fc.oneof(fc.double(), anyText)), tags: maybe(fc.array(anyText, { maxLength: 3 })), cwe: anyJson }, { requiredKeys: [] })),
    messageStrings: maybe(fc.dictionary(anyText, fc.record({ text: anyText }), { maxKeys: 2 })),
  },
  { requiredKeys: [] },
);
const sarifShaped = fc.record({
  version: maybe(fc.constant('2.1.0')),
  runs: maybe(
    fc.array(
      fc.record(
        {
          tool: maybe(fc.record({ driver: maybe(fc.record({ name: maybe(anyText), version: maybe(anyText), rules: maybe(fc.array(ruleArb, { maxLength: 3 })) }, { requiredKeys: [] })), extensions: maybe(fc.array(fc.record({ name: anyText, rules: fc.array(ruleArb, { maxLength: 2 }) }), { maxLength: 2 })) }, { requiredKeys: [] })),
          results: maybe(fc.array(resultArb, { maxLength: 5 })),
          originalUriBaseIds: maybe(fc.dictionary(fc.constantFrom('SRCROOT', 'ROOT', 'X'), fc.record({ uri: maybe(anyText), uriBaseId: maybe(fc.constantFrom('SRCROOT', 'ROOT', 'X')) }, { requiredKeys: [] }))),
          artifacts: maybe(fc.array(fc.record({ location: fc.record({ uri: anyText }) }), { maxLength: 3 })),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
  ),
});

describe('sarifParser properties', () => {
  it('arbitrary JSON gives valid findings or a ReportError', () => {
    fc.assert(fc.property(fc.jsonValue(), parsesToValidFindingsOrReportError), { numRuns: 300 });
  });

  it('SARIF-shaped JSON with arbitrary field values gives valid findings or a ReportError', () => {
    fc.assert(fc.property(sarifShaped, parsesToValidFindingsOrReportError), { numRuns: 400 });
  });

  it.each(['multi-run.sarif', 'image-scan.sarif', 'codeql-trimmed.sarif'])('mutations of %s give valid findings or a ReportError', (name) => {
    const base: unknown = JSON.parse(readFileSync(fixturePath(name), 'utf8'));
    fc.assert(fc.property(mutatedJson(base), parsesToValidFindingsOrReportError), { numRuns: 250 });
  });
});
