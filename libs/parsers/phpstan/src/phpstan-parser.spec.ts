import { readFileSync } from 'node:fs';
import { findingId, type FindingDraft } from '@devsecops/asff';
import { ReportError, readReport } from '@devsecops/report-input';
import { testScope } from '@devsecops/test-support';
import { checkFindings, fixtureDoc, fixturePath, jsonDoc } from './__fixtures__/support';
import { normaliseMessage, phpstanParser, splitFileKey } from './phpstan-parser';

const scope = testScope({ tool: 'phpstan' });
const idOf = (draft: FindingDraft): string => findingId(scope, draft);
const modernValue = (): Record<string, unknown> => JSON.parse(readFileSync(fixturePath('modern.json'), 'utf8'));

function byMessage(drafts: readonly FindingDraft[], fragment: string): FindingDraft[] {
  return drafts.filter((d) => d.description.includes(fragment));
}

describe('phpstanParser.parse: a modern report', () => {
  const report = phpstanParser.parse(fixtureDoc('modern.json'));

  it('gives one finding per file message and per global error, all valid with unique Ids', () => {
    // Act
    const { problems, duplicateIds } = checkFindings(report);

    // Assert
    expect(report.tool).toBe('phpstan');
    expect(report.drafts).toHaveLength(11);
    expect(report.stats).toEqual({ files: 5, fileErrors: 9, globalErrors: 2, skipped: 0 });
    expect(report.warnings).toEqual([]);
    expect(problems).toEqual([]);
    expect(duplicateIds).toEqual([]);
  });

  it('makes file keys repo-relative and keeps the trait context out of the path', () => {
    // Act
    const resourceIds = [...new Set(report.drafts.map((d) => d.resources[0]!.Id))].sort();
    const globalLocations = report.drafts.filter((d) => d.productFields?.['global']).map((d) => d.location);
    const trait = byMessage(report.drafts, 'Order::currency()');

    // Assert
    expect(resourceIds).toEqual([
      // Global errors: an empty Id, which buildFinding fills with the repository.
      '',
      'app/Concerns/HasMoney.php',
      'app/Http/Controllers/OrderController.php',
      'app/Models/Order.php',
      'tests/Feature/CheckoutTest.php',
    ]);
    expect(globalLocations).toEqual([expect.stringMatching(/^global#[0-9a-f]{16}$/), expect.stringMatching(/^global#[0-9a-f]{16}$/)]);
    expect(trait.map((d) => d.resources[0]!.Details?.Other?.['context'])).toEqual(['class App\\Models\\Order', 'class App\\Models\\Invoice']);
    expect(trait[0]!.description).toContain('File: app/Concerns/HasMoney.php:19 (in context of class App\\Models\\Order)');
    expect(new Set(trait.map(idOf)).size).toBe(2);
  });

  it('removes the build-machine root from messages', () => {
    // Act
    const unmatched = byMessage(report.drafts, 'was not matched')[0]!;

    // Assert
    expect(unmatched.description).toContain('in path app/Models/Order.php was not matched');
    expect(report.drafts.every((d) => !JSON.stringify(d).includes('/home/dev/projects'))).toBe(true);
  });

  it('applies the severity table with Original = identifier or "error"', () => {
    // Act
    const severities = Object.fromEntries(report.drafts.map((d) => [`${d.ruleId}@${d.resources[0]!.Id}`, `${d.severity.label}/${d.severity.original}`]));

    // Assert
    expect(severities).toMatchObject({
      'property.notFound@app/Http/Controllers/OrderController.php': 'LOW/property.notFound',
      'interface.notFound@app/Http/Controllers/OrderController.php': 'MEDIUM/interface.notFound',
      'ignore.unmatched@app/Models/Order.php': 'INFORMATIONAL/ignore.unmatched',
      'phpstan.parse@tests/Feature/CheckoutTest.php': 'MEDIUM/phpstan.parse',
      'phpstan.error@': 'INFORMATIONAL/error',
    });
  });

  it('reads the line when given and leaves it out when null or absent', () => {
    // Act
    const lines = report.drafts.filter((d) => d.resources[0]!.Id === 'app/Models/Order.php').map((d) => d.productFields?.['line']);

    // Assert
    expect(lines).toEqual([undefined, undefined]);
    expect(byMessage(report.drafts, 'unknown interface')[0]!.productFields?.['line']).toBe('12');
  });

  it('turns the tip into remediation text with its URL', () => {
    // Act
    const withTip = byMessage(report.drafts, 'unknown interface')[0]!;
    const withoutTip = byMessage(report.drafts, 'has no return type')[0]!;

    // Assert
    expect(withTip.remediation).toEqual({
      text: 'Learn more at https://phpstan.org/user-guide/discovering-symbols',
      url: 'https://phpstan.org/user-guide/discovering-symbols',
    });
    expect(withoutTip.remediation).toBeUndefined();
  });

  it('puts the location in the title', () => {
    expect(byMessage(report.drafts, 'unknown interface')[0]!.title).toBe(
      'Class App\\Http\\Controllers\\OrderController implements unknown interface App\\Contracts\\Exportable. (app/Http/Controllers/OrderController.php:12)',
    );
    expect(report.drafts.find((d) => d.location.startsWith('global#'))!.title).toMatch(/^PHPStan: Ignored error pattern/);
  });
});

describe('phpstanParser.parse: identity', () => {
  it('keeps every Id when lines shift', () => {
    // Arrange
    const shifted = modernValue();
    const text = JSON.stringify(shifted).replace(/"line":(\d+)/g, (_m, n: string) => `"line":${Number(n) + 7}`);

    // Act
    const before = phpstanParser.parse(jsonDoc(modernValue())).drafts.map(idOf);
    const after = phpstanParser.parse(jsonDoc(JSON.parse(text))).drafts.map(idOf);

    // Assert
    expect(text).toContain('"line":38');
    expect(after).toEqual(before);
  });

  it('keeps the Ids when the project is checked out elsewhere', () => {
    // Arrange
    const moved = JSON.parse(JSON.stringify(modernValue()).replaceAll('/home/dev/projects/shop', '/Users/ci/work/shop-clone'));

    // Act
    const before = phpstanParser.parse(jsonDoc(modernValue())).drafts.map(idOf);
    const after = phpstanParser.parse(jsonDoc(moved)).drafts.map(idOf);

    // Assert
    expect(after).toEqual(before);
  });

  it('tells identical messages in one file apart by order only, so the first keeps its Id when a duplicate appears', () => {
    // Arrange
    const single = jsonDoc({ files: { 'src/A.php': { messages: [{ message: 'Variable $x might not be defined.', line: 5, ignorable: true }] } }, errors: [] });
    const double = jsonDoc({
      files: {
        'src/A.php': {
          messages: [
            { message: 'Variable $x might not be defined.', line: 5, ignorable: true },
            { message: 'Variable $x  might not be defined. ', line: 9, ignorable: true },
          ],
        },
      },
      errors: [],
    });

    // Act
    const [only] = phpstanParser.parse(single).drafts.map(idOf);
    const [first, second] = phpstanParser.parse(double).drafts.map(idOf);

    // Assert
    expect(first).toBe(only);
    expect(second).not.toBe(first);
  });

  it('gives different messages, identifiers and files different Ids', () => {
    // Arrange
    const doc = jsonDoc({
      files: {
        'src/A.php': { messages: [{ message: 'M1', line: 1 }, { message: 'M2', line: 1 }, { message: 'M1', line: 1, identifier: 'x.y' }] },
        'src/B.php': { messages: [{ message: 'M1', line: 1 }] },
      },
    });

    // Act
    const ids = phpstanParser.parse(doc).drafts.map(idOf);

    // Assert
    expect(new Set(ids).size).toBe(4);
  });

  it('normalises whitespace, roots and anonymous class lines in messages', () => {
    // Arrange
    const paths = { stripRoots: (t: string) => t.replaceAll('/srv/app/', '') };

    // Act
    const normal = normaliseMessage('Method  class@anonymous/srv/app/src/A.php:77::handle()\n has no type.', paths);

    // Assert
    expect(normal).toBe('Method class@anonymous::handle() has no type.');
  });
});

describe('phpstanParser.parse: other shapes', () => {
  it('reads an older report without identifiers, with relative paths and a missing per-file count', () => {
    // Act
    const report = phpstanParser.parse(fixtureDoc('legacy.json'));

    // Assert
    expect(report.drafts.map((d) => [d.ruleId, d.resources[0]!.Id, d.severity.label, d.severity.original])).toEqual([
      ['phpstan.error', 'src/Billing/Invoice.php', 'LOW', 'error'],
      ['phpstan.error', 'src/Billing/Invoice.php', 'LOW', 'error'],
      ['phpstan.error', 'src/Billing/Tax.php', 'LOW', 'error'],
    ]);
    expect(report.warnings).toEqual([]);
    expect(checkFindings(report).duplicateIds).toEqual([]);
  });

  it('gives zero findings for a clean run whose "files" is []', () => {
    // Act
    const report = phpstanParser.parse(fixtureDoc('clean.json'));

    // Assert
    expect(report.drafts).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('recounts instead of trusting totals, and says so', () => {
    // Arrange
    const doc = jsonDoc({ totals: { errors: 5, file_errors: 1 }, files: { 'a.php': { errors: 3, messages: [{ message: 'A' }, { message: 'B' }] } }, errors: [] });

    // Act
    const report = phpstanParser.parse(doc);

    // Assert
    expect(report.drafts).toHaveLength(2);
    expect(report.warnings).toEqual([
      '1 file(s) declare an "errors" count that differs from their messages; all messages were read',
      'totals.file_errors says 1 but the report holds 2 file messages; all were read',
      'totals.errors says 5 but the report holds 0 global errors; all were read',
    ]);
  });

  it('skips messages without text, with a warning', () => {
    // Arrange
    const doc = jsonDoc({ files: { 'a.php': { messages: [{ message: '' }, 'text', { message: 'Real', line: 'x' }] } }, errors: [null, 'Global'] });

    // Act
    const report = phpstanParser.parse(doc);

    // Assert
    expect(report.drafts.map((d) => d.title)).toEqual(['Real (a.php)', 'PHPStan: Global']);
    expect(report.stats?.['skipped']).toBe(3);
    expect(report.warnings).toContain('skipped 3 message(s) without message text');
  });

  it('uses ParseOptions.defaultSeverity and sourceRoots', () => {
    // Act
    const report = phpstanParser.parse(fixtureDoc('modern.json'), { defaultSeverity: 'MEDIUM', sourceRoots: ['/home/dev/projects'] });

    // Assert
    const interfaceError = byMessage(report.drafts, 'unknown interface')[0]!;
    const propertyError = byMessage(report.drafts, 'undefined property')[0]!;
    expect([interfaceError.severity.label, propertyError.severity.label]).toEqual(['MEDIUM', 'LOW']);
    expect(interfaceError.resources[0]!.Id).toBe('shop/app/Http/Controllers/OrderController.php');
  });

  it.each([
    ['an array', []],
    ['an object without files or errors', { totals: { errors: 0 } }],
    ['a non-empty files list', { files: [{ path: 'a.php' }], errors: [] }],
    ['files as a string', { files: 'a.php', errors: [] }],
    ['a file entry without messages', { files: { 'a.php': { errors: 1 } } }],
    ['errors as an object', { files: {}, errors: { a: 1 } }],
  ])('refuses %s with a ReportError', (_case, value) => {
    expect(() => phpstanParser.parse(jsonDoc(value, 'bad.json'))).toThrow(ReportError);
  });
});

describe('phpstanParser.parse: messy real-world bytes', () => {
  const expected = phpstanParser.parse(fixtureDoc('modern.json')).drafts;

  it.each([
    ['UTF-16LE with a BOM and CRLF', 'modern.utf16le-bom.json', 'utf-16le'],
    ['UTF-8 with a BOM', 'modern.utf8-bom.json', 'utf-8'],
    ['a progress bar, ANSI colours and notes before the JSON', 'modern.progress-ansi.txt', 'utf-8'],
  ])('reads %s', (_case, name, encoding) => {
    // Arrange
    const doc = readReport(readFileSync(fixturePath(name)), name);

    // Act
    const report = phpstanParser.parse(doc);

    // Assert
    expect(doc.encoding).toBe(encoding);
    expect(phpstanParser.detect(doc)).toBe(true);
    expect(report.drafts).toEqual(expected);
  });
});

describe('phpstanParser.detect', () => {
  it.each([
    ['modern.json', true],
    ['legacy.json', true],
    ['clean.json', true],
  ])('detects %s', (name, expected) => {
    expect(phpstanParser.detect(fixtureDoc(name))).toBe(expected);
  });

  it.each([
    ['SARIF', { version: '2.1.0', runs: [] }],
    ['PHP_CodeSniffer JSON', { totals: { errors: 1, warnings: 0, fixable: 0 }, files: { 'a.php': { errors: 1, warnings: 0, messages: [] } } }],
    ['Dependency-Check JSON', { reportSchema: '1.1', dependencies: [] }],
    ['a list', [{ files: {} }]],
  ])('does not claim %s', (_case, value) => {
    expect(phpstanParser.detect(jsonDoc(value))).toBe(false);
  });

  it('does not claim XML', () => {
    expect(phpstanParser.detect({ ...jsonDoc({ files: {}, errors: [] }), format: 'xml' })).toBe(false);
  });

  it('accepts a report without totals when files and errors are there', () => {
    expect(phpstanParser.detect(jsonDoc({ files: [], errors: [] }))).toBe(true);
  });
});

describe('splitFileKey', () => {
  it.each([
    ['phpstan/file3.php (in context of class Bar)', { path: 'phpstan/file3.php', context: 'class Bar' }],
    ['/a/b (x)/T.php (in context of anonymous class)', { path: '/a/b (x)/T.php', context: 'anonymous class' }],
    ['src/A.php', { path: 'src/A.php' }],
    ['src/(in context of weird).php', { path: 'src/(in context of weird).php' }],
  ])('splits %s', (key, expected) => {
    expect(splitFileKey(key)).toEqual(expected);
  });
});
