import fc from 'fast-check';
import type { ParsedReport } from '@devsecops/asff';
import { StreamingJsonAssembler } from './json-stream';
import type { ReportParser, StreamingParse } from './parser';
import { readReport } from './document';
import { decodeReport } from './decode';
import { AnsiStripper, StreamingDecoder } from './stream-decode';
import { readReportStream, type StreamReadOptions } from './stream-read';
import { isReportError } from './report-error';

/** A streaming parser for `{"kind":"items","items":[…]}`: its findings are the items it received, in order. */
function itemsParser(): ReportParser & { received: unknown[][] } {
  const received: unknown[][] = [];
  const parse = (items: unknown[], doc: { value: unknown }): ParsedReport => ({
    tool: 'items',
    drafts: [],
    warnings: [JSON.stringify({ items, rest: doc.value })],
  });
  return {
    id: 'sarif',
    displayName: 'Items',
    received,
    detect: (doc) => typeof doc.value === 'object' && doc.value !== null && (doc.value as Record<string, unknown>).kind === 'items',
    parse: (doc) => parse(((doc.value as Record<string, unknown>).items as unknown[]) ?? [], { value: { ...(doc.value as object), items: [] } }),
    streaming: {
      itemsPath: ['items'],
      skipItemKeys: ['evidence'],
      claims: (root) => typeof root === 'object' && root !== null && (root as Record<string, unknown>).kind === 'items',
      begin(): StreamingParse {
        const items: unknown[] = [];
        received.push(items);
        return { item: (value) => items.push(value), finish: (doc) => parse(items, doc) };
      },
    },
  };
}


async function read(input: Uint8Array[] | Uint8Array, options: Partial<StreamReadOptions> = {}) {
  const parser = options.parsers?.[0] ?? itemsParser();
  const chunks = input instanceof Uint8Array ? [input] : input;
  return readReportStream(chunks, 'report.json', { parsers: [parser], streamFrom: 0, ...options });
}

/** Splits bytes at the cut points (local: @devsecops/test-support depends on this library). */
function chunkBytes(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [...points, bytes.length].map((p, i, all) => bytes.subarray(i === 0 ? 0 : all[i - 1]!, p)).filter((c) => c.length > 0);
}

const REPORT = { kind: 'items', version: 2, items: [{ id: 1, evidence: { big: 'x'.repeat(50) }, name: 'a' }, { id: 2, name: 'b\u00e9\u{1F600}' }, 3, null], tail: { done: true } };
const TEXT = JSON.stringify(REPORT);
const ASCII = JSON.stringify({ ...REPORT, items: [1, 2] });

describe('StreamingJsonAssembler', () => {
  it('assembles any JSON exactly like JSON.parse, whatever the slices', () => {
    fc.assert(
      fc.property(fc.json(), fc.array(fc.nat(), { maxLength: 6 }), (json, cuts) => {
        // Arrange
        const assembler = new StreamingJsonAssembler();
        const points = [...new Set(cuts.map((c) => c % (json.length + 1)))].sort((a, b) => a - b);
        // Act
        let last = 0;
        for (const p of [...points, json.length]) {
          assembler.write(json.slice(last, p));
          last = p;
        }
        assembler.end();
        // Assert
        expect(assembler.root).toEqual(JSON.parse(json));
      }),
    );
  });

  it('keeps __proto__ an own property, as JSON.parse does', () => {
    const assembler = new StreamingJsonAssembler();
    assembler.write('{"__proto__":{"polluted":true}}');
    assembler.end();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(assembler.root as object)).toEqual(['__proto__']);
  });
});

describe('StreamingDecoder and AnsiStripper', () => {
  it.each([
    ['UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]), 'utf-8'],
    ['UTF-16 LE BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]), 'utf-16le'],
    ['UTF-16 BE BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(TEXT, 'utf16le').swap16()]), 'utf-16be'],
    ['UTF-16 LE without BOM', Buffer.from(ASCII, 'utf16le'), 'utf-16le'],
    ['UTF-16 BE without BOM', Buffer.from(ASCII, 'utf16le').swap16(), 'utf-16be'],
  ])('decodes %s split into 1-byte chunks like decodeReport', (_name, bytes, encoding) => {
    // Arrange
    const decoder = new StreamingDecoder('r.json');
    // Act
    let text = '';
    for (const byte of bytes) text += decoder.push(Uint8Array.of(byte));
    text += decoder.end();
    // Assert
    expect(text).toBe(decodeReport(bytes, 'r.json').text);
    expect(decoder.encoding).toBe(encoding);
  });

  it('reads Latin-1 XML by its declaration and names the byte of invalid UTF-8', () => {
    const latin = new StreamingDecoder('r.xml');
    const xml = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>caf\u00e9</a>', 'latin1');
    expect(latin.push(xml) + latin.end()).toBe('<?xml version="1.0" encoding="ISO-8859-1"?><a>caf\u00e9</a>');
    const bad = new StreamingDecoder('r.json');
    const bytes = Buffer.concat([Buffer.from('x'.repeat(5000)), Buffer.from([0xc3, 0x28])]);
    expect(() => bad.push(bytes) + bad.end()).toThrow(/^r\.json: is not valid UTF-8 text \(at or before byte 499\d\)$/);
    expect(() => decodeReport(bytes, 'r.json')).toThrow(/^r\.json: is not valid UTF-8 text \(at or before byte 499\d\)$/);
  });

  it('strips an ANSI sequence split across chunks', () => {
    const ansi = new AnsiStripper();
    const out = ansi.push('a\u001b[3') + ansi.push('2mb\u001b') + ansi.push(']0;title\u0007c') + ansi.end();
    expect(out).toBe('abc');
  });
});

describe('readReportStream', () => {
  it('streams the routed array item by item, skipping the skipped keys, with any chunking and slicing', async () => {
    const bytes = Buffer.from(`\u001b[32mprogress 100%\u001b[0m\n[OK] done\n${TEXT}\nDone in 3s\n`);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 12 }), fc.integer({ min: 1, max: 64 }), async (cuts, sliceChars) => {
        // Arrange
        const parser = itemsParser();
        // Act
        const result = await read(chunkBytes(bytes, cuts), { parsers: [parser], sliceChars });
        // Assert
        expect(result.kind).toBe('streamed');
        const { items, rest } = JSON.parse((result as { parsed: ParsedReport }).parsed.warnings[0]!);
        expect(items).toEqual([{ id: 1, name: 'a' }, REPORT.items[1], 3, null]);
        expect(rest).toEqual({ ...REPORT, items: [] });
        expect(result.doc.skippedPrefix).toBe(readReport(bytes, 'r').skippedPrefix);
      }),
      { numRuns: 60 },
    );
  });

  it('reads UTF-16 with its BOM split across chunks', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]);
    const result = await read([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)]);
    expect(result).toMatchObject({ kind: 'streamed', doc: { encoding: 'utf-16le' } });
  });

  it('an unclaimed or small report is read by readReport, exactly as before', async () => {
    const other = Buffer.from('{"runs":[{"results":[]}]}');
    const small = await read(Buffer.from(TEXT), { streamFrom: 1024, size: TEXT.length });
    const unclaimed = await read(other);
    const xml = await read(Buffer.from('<?xml version="1.0"?><kind>items</kind>'));
    expect(small).toEqual({ kind: 'document', doc: readReport(Buffer.from(TEXT), 'report.json') });
    expect(unclaimed).toEqual({ kind: 'document', doc: readReport(other, 'report.json') });
    expect(xml.doc.format).toBe('xml');
  });

  it('a report truncated anywhere is a ReportError naming the file, never a partial read', async () => {
    const bytes = Buffer.from(`${JSON.stringify(REPORT, null, 2)}\n`);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: bytes.length - 3 }), fc.integer({ min: 1, max: 40 }), async (cut, sliceChars) => {
        // Arrange: pretty-printed, so objects nested in the report also start lines (the nested-fragment trap)
        const truncated = bytes.subarray(0, cut);
        // Act
        const error = await read(chunkBytes(truncated, [cut >> 1]), { sliceChars }).then(
          () => undefined,
          (e: unknown) => e,
        );
        // Assert
        expect(isReportError(error)).toBe(true);
        expect((error as Error).message).toMatch(/^report\.json: /);
      }),
      { numRuns: 80 },
    );
  });

  it('names the character and line of a syntax error after the claim, and judges text after the document', async () => {
    const broken = Buffer.from(`{"kind":"items","items":[1,\n2,\n{"a" 1}]}`);
    const chunks = [broken.subarray(0, 10), broken.subarray(10)];
    // Whole report at hand: exact, as readReport; arriving later than the head: the slice that failed.
    await expect(read(chunks, { sliceChars: 4 })).rejects.toThrow('report.json: is not valid JSON: ColonExpected at line 3 (character 36)');
    const long = Buffer.from(`{"kind":"items","items":[${'1,'.repeat(5000)}\n2,\n{"a" 1}]}`);
    await expect(read([long.subarray(0, 5000), long.subarray(5000)], { sliceChars: 4, headChars: 8 })).rejects.toThrow(
      /^report\.json: is not valid JSON: expected ':' at or before character 1003\d \(line 3\)$/,
    );
    await expect(read(Buffer.from(`${TEXT}\n,{"more":1}`))).rejects.toThrow(/^report\.json: is not valid JSON/);
    await expect(read(Buffer.from(`{"kind":"items","items":[1,2`))).rejects.toThrow(/truncated/);
  });

  it('refuses a report too large to hold as one string with a clear error, without holding it', async () => {
    // The same 1 MiB chunk 600 times: 600 MiB arrive, 1 MiB is held.
    const chunk = Buffer.alloc(1 << 20, 0x20);
    const chunks = { *[Symbol.iterator]() { yield Buffer.from('{"runs":['); for (let i = 0; i < 600; i += 1) yield chunk; } };
    await expect(readReportStream(chunks, 'huge.sarif', { parsers: [itemsParser()] })).rejects.toThrow(
      /^huge\.sarif: is \d+ MB, larger than the 512 MB a report can have to be read in memory/,
    );
  });
});

describe('readReportStream releases its source', () => {
  it('stops the source when the report is refused', async () => {
    // Arrange
    let stopped = false;
    const source: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: Buffer.from('{"kind":"items","items":[1,}') }),
        return: async () => {
          stopped = true;
          return { done: true, value: undefined };
        },
      }),
    };
    // Act
    const error = await readReportStream(source, 'r.json', { parsers: [itemsParser()], streamFrom: 0 }).catch((e: Error) => e);
    // Assert
    expect(isReportError(error)).toBe(true);
    expect(stopped).toBe(true);
  });
});
