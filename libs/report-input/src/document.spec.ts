import { readReport } from './document';
import { ReportError } from './report-error';

const REPORT = { totals: { errors: 0, file_errors: 1 }, files: { 'a.php': { errors: 1, messages: [{ message: 'Ünïcode ✓', line: 3 }] } }, errors: [] };
const TEXT = JSON.stringify(REPORT);

function utf16(text: string, endian: 'le' | 'be', bom: boolean): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  const body = endian === 'le' ? le : Buffer.from(le.map((_, i) => le[i % 2 === 0 ? i + 1 : i - 1]!));
  const mark = endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return bom ? Buffer.concat([Buffer.from(mark), body]) : body;
}

function errorOf(fn: () => unknown): ReportError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ReportError) return error;
    throw new Error(`expected a ReportError, got ${String(error)}`);
  }
  throw new Error('expected a ReportError, got none');
}

describe('readReport', () => {
  it.each<[string, Uint8Array | string]>([
    ['plain UTF-8', Buffer.from(TEXT)],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)])],
    ['UTF-16LE with a BOM (PowerShell >)', utf16(TEXT, 'le', true)],
    ['UTF-16BE with a BOM', utf16(TEXT, 'be', true)],
    ['UTF-16LE without a BOM', utf16(TEXT, 'le', false)],
    ['a string with a BOM', `\uFEFF${TEXT}`],
    ['progress output and ANSI colours before the JSON', `\u001b[32m 10/10 [▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓] 100%\u001b[0m\nNote: Using configuration file /app/phpstan.neon.\n${TEXT}`],
    ['CRLF and a trailer after the JSON', `${TEXT}\r\n\r\nDone in 3.2s\r\n`],
    ['a log line containing a brace before the JSON', `warning: {deprecated} option\n${JSON.stringify(REPORT, null, 2)}`],
  ])('reads %s', (_name, input) => {
    // Act
    const doc = readReport(input, 'phpstan.json');
    // Assert
    expect(doc.format).toBe('json');
    expect(doc.value).toEqual(REPORT);
  });

  it('reads XML, decoding entities but keeping values as strings', () => {
    // Act
    const doc = readReport('<?xml version="1.0"?><r a="1"><v>&lt;b&gt; &amp; 007</v></r>', 'r.xml');
    // Assert
    expect(doc.format).toBe('xml');
    expect(doc.value).toEqual({ r: { '@_a': '1', v: '<b> & 007' } });
  });

  it('reads Latin-1 XML when the declaration says so', () => {
    // Arrange
    const bytes = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><r>caf\xe9</r>', 'latin1');
    // Act / Assert
    expect(readReport(bytes, 'r.xml').value).toEqual({ r: 'café' });
  });

  it('refuses XML entity declarations (billion laughs, external entities)', () => {
    // Arrange
    const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><r>&lol2;</r>';
    const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>';
    // Act / Assert
    expect(errorOf(() => readReport(laughs, 'zap.xml')).message).toMatch(/^zap\.xml: declares XML entities/);
    expect(errorOf(() => readReport(xxe, 'zap.xml')).message).toMatch(/entity/);
  });

  it.each<[string, Uint8Array | string, RegExp]>([
    ['an empty file', '', /report\.json: is empty/],
    ['only whitespace', ' \n\t', /is empty/],
    ['truncated JSON', TEXT.slice(0, 40), /is not valid JSON/],
    ['a JSON scalar', '42', /neither a JSON nor an XML document|not a JSON object/],
    ['plain text', 'Segmentation fault (core dumped)', /neither a JSON nor an XML document/],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xfd, 0x22, 0x7d, 0x41]), /not valid (UTF-8|UTF-16)/],
    ['malformed XML', '<a><b></a>', /not well-formed XML/],
  ])('names the file and the problem for %s', (_name, input, pattern) => {
    // Act
    const error = errorOf(() => readReport(input, 'report.json'));
    // Assert
    expect(error.message.startsWith('report.json: ')).toBe(true);
    expect(error.message).toMatch(pattern);
    expect(error.source).toBe('report.json');
  });

  it('points at the line of a JSON syntax error', () => {
    // Act
    const error = errorOf(() => readReport('{\n  "a": 1,\n  "b": ,\n}', 'dc.json'));
    // Assert
    expect(error.message).toMatch(/dc\.json: is not valid JSON: .* at line 3/);
  });
});

describe('readReport never imports part of a broken document', () => {
  it('refuses a pretty-printed report cut right after a nested object', () => {
    // Arrange: the file ends exactly where a nested object closes, so that object alone is valid JSON
    const pretty = JSON.stringify({ dependencies: [{ a: 1 }, { b: 2 }, { c: 3 }] }, null, 2);
    const cut = pretty.slice(0, pretty.indexOf('}', pretty.indexOf('"b"')) + 1);
    // Act
    const error = errorOf(() => readReport(cut, 'dc.json'));
    // Assert
    expect(error.message).toMatch(/dc\.json: is not valid JSON: the document ends early/);
  });

  it('refuses a report whose nested object is followed by more structure', () => {
    const pretty = JSON.stringify({ files: { 'a.php': { messages: [{ m: 1 }] } } }, null, 2).replace('"m": 1', '"m": 1,,');
    expect(() => readReport(pretty, 'p.json')).toThrow(/p\.json: is not valid JSON/);
  });
});

describe('readReport XML entities', () => {
  it('decodes numeric and HTML named references once, never twice', () => {
    // Act
    const doc = readReport('<r a="x&#38;y">a&#13;b&#x2014;c&nbsp;&amp;lt;p&amp;gt;</r>', 'zap.xml');
    // Assert
    expect(doc.value).toEqual({ r: { '@_a': 'x&y', '#text': 'a\rb—c\u00a0&lt;p&gt;' } });
  });
});
