import { basename, join } from 'node:path';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { isReportError, readReportStream } from '@devsecops/report-input';
import { chunkBytes, chunksOf, describeCorpus, liveHeapSampler, parsedInMemory, parsedStreamed, sharedFixtures } from '@devsecops/test-support';
import { zapParser } from './zap-parser';

/** Streaming (readReportStream) and in-memory (readReport + parse) give the same report, whatever the chunks. */

type Json = Record<string, unknown>;
type Site = Json & { alerts?: unknown };

/** ZAP 2.8 writes a single site as an object: nothing to stream, read in memory (below). */
const FIXTURES = ['traditional-2.16.json'];
const fixture = (name: string) => readFileSync(join(__dirname, '__fixtures__', name));
const TRADITIONAL = fixture('traditional-2.16.json');

function reportOf(bytes: Uint8Array): Json & { site: Site[] } {
  return JSON.parse(Buffer.from(bytes).toString('utf8'));
}

function bytesOf(value: unknown, indent?: number): Buffer {
  return Buffer.from(JSON.stringify(value, null, indent));
}

/** The site with its `alerts` written before its `@name`, `@host`, `@port` and `@ssl`. */
function alertsFirst(site: Site): Site {
  const { alerts, ...rest } = site;
  return { alerts, ...rest };
}

async function expectStreamedEqualsInMemory(bytes: Uint8Array, source: string, chunkSize: number, sliceChars: number) {
  const expected = parsedInMemory(zapParser, bytes, source);
  const actual = await parsedStreamed(zapParser, chunksOf(bytes, chunkSize), source, { sliceChars });
  expect(actual).toEqual(expected);
  return actual;
}

describe('ZAP JSON as a stream', () => {
  it.each(FIXTURES)('%s: 1-byte chunks and 1-character slices give the in-memory report', async (name) => {
    const actual = await expectStreamedEqualsInMemory(fixture(name), name, 1, 1);
    expect(actual.drafts.length).toBeGreaterThan(0);
  });

  it.each(FIXTURES)('%s: alerts before the site name, host, port and ssl give the same report', async (name) => {
    // Arrange
    const report = reportOf(fixture(name));
    const bytes = bytesOf({ ...report, site: report.site.map(alertsFirst) });
    // Act
    const actual = await expectStreamedEqualsInMemory(bytes, name, 11, 5);
    // Assert: member order changes nothing
    expect(actual).toEqual(parsedInMemory(zapParser, fixture(name), name));
  });

  it('random chunks and slices, with a BOM, UTF-16 or progress noise before the report, give the same report', async () => {
    const text = TRADITIONAL.toString('utf8');
    const variants: Buffer[] = [
      Buffer.from(`\u001b[32mTotal of 38 URLs\u001b[0m\nPASS: Vulnerable JS Library (10003)\n${text}\nDone\n`),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), TRADITIONAL]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
    ];
    const expected = parsedInMemory(zapParser, TRADITIONAL, 'zap.json');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...variants), fc.array(fc.nat(), { maxLength: 30 }), fc.integer({ min: 1, max: 3000 }), async (bytes, cuts, sliceChars) => {
        const actual = await parsedStreamed(zapParser, chunkBytes(bytes, cuts), 'zap.json', { sliceChars });
        expect(actual).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('several sites, empty ones, a nameless one, entries that are not objects: as in memory', async () => {
    // Arrange
    const report = reportOf(TRADITIONAL);
    const [first, second] = report.site;
    const nameless = { alerts: second!.alerts };
    const sites = [{ '@name': 'https://empty.example', alerts: [] }, first, 'not a site', nameless, { '@host': 'api.example', '@port': '8443', alerts: [3, ...(first!.alerts as unknown[]), null] }, { '@name': 'x' }, alertsFirst(second!)];
    const bytes = bytesOf({ ...report, site: sites }, 2);
    // Act
    const actual = await expectStreamedEqualsInMemory(bytes, 'sites.json', 64, 50);
    // Assert
    expect(actual.stats).toMatchObject({ sites: 6 });
    expect(actual.warnings).toEqual(expect.arrayContaining(['1 site entry is not an object and was skipped', '2 alert entries are not objects and were skipped']));
  });

  it('an OWASPZAPReport member after the sites makes them none of the report, as in memory', async () => {
    const report = reportOf(TRADITIONAL);
    const bytes = bytesOf({ ...report, OWASPZAPReport: { '@version': '2.8.0', site: [report.site[1]] } });
    const actual = await expectStreamedEqualsInMemory(bytes, 'wrapped.json', 256, 256);
    expect(actual.stats).toMatchObject({ sites: 1 });
  });

  it('a report truncated anywhere is a ReportError naming the file, never a partial import', async () => {
    const pretty = bytesOf(reportOf(TRADITIONAL), 2);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: pretty.length - 2 }), fc.array(fc.nat(), { maxLength: 8 }), async (cut, cuts) => {
        // Act
        const outcome = await readReportStream(chunkBytes(pretty.subarray(0, cut), cuts), 'cut.json', { parsers: [zapParser], streamFrom: 0, sliceChars: 256 }).then(
          (read) => read,
          (error: unknown) => error,
        );
        // Assert
        expect(isReportError(outcome)).toBe(true);
        expect((outcome as Error).message).toMatch(/^cut\.json: is not valid JSON/);
      }),
      { numRuns: 60 },
    );
    const claimedAt = pretty.indexOf('"alerts"');
    await expect(readReportStream(chunksOf(pretty.subarray(0, claimedAt + 6000), 32), 'cut.json', { parsers: [zapParser], streamFrom: 0, headChars: claimedAt + 100, sliceChars: 16 })).rejects.toThrow(
      /^cut\.json: is not valid JSON: the document ends early \(truncated\?\) at line \d+ \(character \d+\)$/,
    );
  });

  it('malformed JSON inside the alerts is a ReportError naming the line', async () => {
    const text = TRADITIONAL.toString('utf8');
    const broken = Buffer.from(text.replace(/"riskcode": ?"/, '"riskcode" "'));
    const line = broken.toString('utf8').slice(0, broken.indexOf('"riskcode" "')).split('\n').length;
    await expect(parsedStreamed(zapParser, chunksOf(broken, 100), 'bad.json', { headChars: 64, sliceChars: 16 })).rejects.toThrow(new RegExp(`^bad\\.json: is not valid JSON: .*line ${line}\\b`));
  });

  it('a single site written as an object (ZAP 2.8) is read in memory, as before', async () => {
    const bytes = fixture('legacy-2.8.json');
    const read = await readReportStream(chunksOf(bytes, 64), 'legacy.json', { parsers: [zapParser], streamFrom: 0 });
    expect(read.kind).toBe('document');
    expect(zapParser.parse(read.doc)).toEqual(parsedInMemory(zapParser, bytes, 'legacy.json'));
  });

  it('a document detection does not recognise stays in memory', async () => {
    const bytes = Buffer.from('{"site":[{"@name":"https://a.example","alerts":[{"pluginid":"1"}]}]}');
    const read = await readReportStream([bytes], 'x.json', { parsers: [zapParser], streamFrom: 0 });
    expect(read.kind).toBe('document');
    expect(zapParser.detect(read.doc)).toBe(false);
  });
});

describeCorpus('zap')('ZAP JSON corpus as a stream', () => {
  const files = sharedFixtures('zap').filter((f) => f.endsWith('.json'));
  it.each(files.map((f) => [basename(f), f]))('%s: streamed = in memory, in 7-byte chunks, as written and with alerts first', async (name, file) => {
    const bytes = readFileSync(file);
    await expectStreamedEqualsInMemory(bytes, name, 7, 97);
    const report = reportOf(bytes);
    await expectStreamedEqualsInMemory(bytesOf({ ...report, site: report.site.map(alertsFirst) }), name, 4096, 4096);
  });
});

describe('ZAP JSON as a stream: memory', () => {
  it('holds the findings, not the report: live heap stays a small fraction of a 32 MB report that is never held whole', async () => {
    // Arrange: a report produced chunk by chunk, instances with evidence, long headers and bodies (only each alert's
    // first exchange is kept, as its Requests evidence, until the import stores it)
    const target = 32 * 1024 * 1024;
    const sampler = liveHeapSampler(target / 8);
    let produced = 0;
    function* report(): Generator<Uint8Array> {
      const head = Buffer.from('{"@programName":"ZAP","@version":"2.16.0","site":[{"@name":"https://app.example","@host":"app.example","@port":"443","@ssl":"true","alerts":[');
      produced += head.length;
      yield head;
      for (let i = 0; produced < target; i += 1) {
        const instances = Array.from({ length: 4 }, (_, n) => ({ uri: `https://app.example/page-${i}-${n}`, method: 'GET', evidence: `<script>${'e'.repeat(100)}`, responseheader: `HTTP/1.1 200 OK\r\n${'h'.repeat(2000)}`, responsebody: 'b'.repeat(3000) }));
        const alert = { pluginid: `${10000 + (i % 40)}`, alertRef: `${10000 + (i % 40)}-${i}`, alert: `Alert ${i}`, riskcode: '2', confidence: '2', desc: '<p>d</p>', instances, count: '4' };
        const chunk = Buffer.from(`${i === 0 ? '' : ','}${JSON.stringify(alert)}`);
        produced += chunk.length;
        yield chunk;
      }
      yield Buffer.from(']}]}');
    }
    // Act
    const parsed = await parsedStreamed(zapParser, sampler.wrap(report()), 'big.json');
    // Assert
    expect(parsed.drafts.length).toBeGreaterThan(500);
    expect(produced).toBeGreaterThanOrEqual(target);
    const kept = parsed.drafts.flatMap((d) => d.evidence ?? []).reduce((n, e) => n + e.text.length, 0);
    expect(kept).toBeLessThan(target * 0.3);
    expect(sampler.peak()).toBeLessThan(target * 0.2 + kept);
  });
});

describe('ZAP XML as a stream', () => {
  const xml = (sites: string) => Buffer.from(`<?xml version="1.0"?>\n<OWASPZAPReport programName="ZAP" version="2.16.0" generated="now">\n${sites}\n</OWASPZAPReport>\n`);
  const site = (name: string, alerts: string) => `<site name="${name}" host="${name.replace(/^https?:\/\//, '')}" port="443" ssl="true"><alerts>${alerts}</alerts></site>`;
  const alert = (id: string) =>
    `<alertitem><pluginid>${id}</pluginid><alertRef>${id}</alertRef><alert>Alert ${id} &amp; more</alert><riskcode>2</riskcode><confidence>2</confidence><desc>&lt;p&gt;d&lt;/p&gt;</desc>` +
    `<instances><instance><uri>https://a.example/${id}</uri><method>GET</method><responseheader>HTTP/1.1 200 OK</responseheader></instance></instances><count>1</count></alertitem>`;

  it('the xml-plus fixture, in 1-byte chunks and 1-character slices, gives the in-memory report', async () => {
    // Arrange
    const bytes = readFileSync(join(__dirname, '__fixtures__/xml-plus-2.11.xml'));
    // Act
    const actual = await parsedStreamed(zapParser, chunksOf(bytes, 1), 'xml-plus.xml', { sliceChars: 1 });
    // Assert
    expect(actual).toEqual(parsedInMemory(zapParser, bytes, 'xml-plus.xml'));
    expect(actual.drafts.length).toBeGreaterThan(0);
  });

  it.each([
    ['several sites', site('https://a.example', alert('1') + alert('2')) + site('https://b.example', alert('3'))],
    ['a site whose single item is no alert', site('https://a.example', '<alertitem><other>x</other></alertitem>') + site('https://b.example', alert('3'))],
    ['a site whose single item is empty', site('https://a.example', '<alertitem/>')],
    ['a site whose single item is text', site('https://a.example', '<alertitem>x</alertitem>')],
    ['a site without alerts', site('https://a.example', '') + site('https://b.example', alert('4'))],
  ])('%s: the same findings and warnings as in memory', async (_name, sites) => {
    // Arrange
    const bytes = xml(sites);
    // Act
    const actual = await parsedStreamed(zapParser, chunksOf(bytes, 5), 'z.xml', { sliceChars: 3 });
    // Assert
    expect(actual).toEqual(parsedInMemory(zapParser, bytes, 'z.xml'));
  });
});
