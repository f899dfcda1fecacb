import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expectValidFindingsOrReportError, mutatedJson } from '@devsecops/test-support';
import { fixturePath } from './__fixtures__/support';
import { phpstanParser } from './phpstan-parser';

function parsesToValidFindingsOrReportError(value: unknown): void {
  expectValidFindingsOrReportError(phpstanParser, value, 'property.json');
}

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', '   ', 'class@anonymous/x.php:3', ' (in context of class A)'));
const messageArb = fc.record(
  {
    message: fc.oneof(anyText, fc.jsonValue({ maxDepth: 1 })),
    line: fc.oneof(fc.integer(), fc.constant(null), fc.double(), fc.string()),
    ignorable: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 0 })),
    identifier: fc.oneof(anyText, fc.constantFrom('ignore.unmatched', 'property.notFound')),
    tip: fc.oneof(anyText, fc.constant('Learn more: https://phpstan.org/x.')),
  },
  { requiredKeys: [] },
);
const fileKey = fc.oneof(anyText, fc.constantFrom('/home/u/p/app/A.php', 'C:\\w\\src\\B.php (in context of class X)', 'file:///srv/lib/C.php', './a.php', 'a.php'));
const phpstanShaped = fc.record(
  {
    totals: fc.oneof(fc.record({ errors: fc.integer(), file_errors: fc.integer() }), fc.jsonValue({ maxDepth: 1 })),
    files: fc.oneof(
      fc.dictionary(fileKey, fc.record({ errors: fc.jsonValue({ maxDepth: 0 }), messages: fc.array(messageArb, { maxLength: 5 }) }, { requiredKeys: ['messages'] }), { maxKeys: 6 }),
      fc.constant([]),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    errors: fc.oneof(fc.array(fc.oneof(anyText, fc.jsonValue({ maxDepth: 1 })), { maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })),
  },
  { requiredKeys: [] },
);

describe('phpstanParser properties', () => {
  it('arbitrary JSON gives valid findings or a ReportError', () => {
    fc.assert(fc.property(fc.jsonValue(), parsesToValidFindingsOrReportError), { numRuns: 300 });
  });

  it('PHPStan-shaped JSON with arbitrary field values gives valid findings or a ReportError', () => {
    fc.assert(fc.property(phpstanShaped, parsesToValidFindingsOrReportError), { numRuns: 400 });
  });

  it.each(['modern.json', 'legacy.json', 'clean.json'])('mutations of %s give valid findings or a ReportError', (name) => {
    const base: unknown = JSON.parse(readFileSync(fixturePath(name), 'utf8'));
    fc.assert(fc.property(mutatedJson(base), parsesToValidFindingsOrReportError), { numRuns: 300 });
  });
});
