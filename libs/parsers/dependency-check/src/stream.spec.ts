import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { isReportError, readReport, readReportStream, type StreamReadResult } from '@devsecops/report-input';
import { chunkBytes, describeCorpus, sharedFixtures, workspaceRoot } from '@devsecops/test-support';
import { dependencyCheckParser } from './parser';
import { findingsOf, FIXTURES } from './testing/helpers';

/** Streaming (readReportStream) and in-memory (readReport + parse) give the same findings, whatever the chunks. */

const JSON_FIXTURES: Array<[string, Buffer]> = [
  ['report-schema-1.1.json', readFileSync(join(FIXTURES, 'report-schema-1.1.json'))],
  ['patient-portal', readFileSync(join(workspaceRoot, 'samples/patient-portal/dependency-check-report.json'))],
  ['patient-portal-fixed', readFileSync(join(workspaceRoot, 'samples/patient-portal-fixed/dependency-check-report.json'))],
];

function inMemory(bytes: Uint8Array, source: string) {
  const doc = readReport(bytes, source);
  const parsed = dependencyCheckParser.parse(doc);
  return { ...parsed, findings: findingsOf(parsed) };
}


async function streamed(chunks: Iterable<Uint8Array>, source: string, sliceChars?: number) {
  const read: StreamReadResult = await readReportStream(chunks, source, { parsers: [dependencyCheckParser], streamFrom: 0, ...(sliceChars ? { sliceChars } : {}) });
  expect(read.kind).toBe('streamed');
  if (read.kind !== 'streamed') throw new Error('not streamed');
  return { ...read.parsed, findings: findingsOf(read.parsed) };
}

function* bytesOneByOne(bytes: Uint8Array): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += 1) yield bytes.subarray(i, i + 1);
}

describe('Dependency-Check JSON as a stream', () => {
  it.each(JSON_FIXTURES)('%s: 1-byte chunks and 1-character slices give the in-memory findings', async (name, bytes) => {
    // Arrange
    const expected = inMemory(bytes, name);
    // Act
    const actual = await streamed(bytesOneByOne(bytes), name, 1);
    // Assert
    expect(actual).toEqual(expected);
    expect(actual.findings.length).toBeGreaterThan(0);
  });

  it('random chunk and slice sizes, with a BOM or UTF-16 and progress noise before the JSON, give the same findings', async () => {
    const [, base] = JSON_FIXTURES[1]!;
    const noisy = Buffer.from(`\u001b[1mdependency-check\u001b[0m scanning…\n[INFO] Analysis done\n${base.toString('utf8')}\nDone in 3s\n`);
    const variants: Buffer[] = [
      noisy,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), base]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(base.toString('utf8'), 'utf16le')]),
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(base.toString('utf8'), 'utf16le').swap16()]),
    ];
    const expected = inMemory(base, 'r.json').findings;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...variants), fc.array(fc.nat(), { maxLength: 30 }), fc.integer({ min: 1, max: 5000 }), async (bytes, cuts, sliceChars) => {
        // Act
        const actual = await streamed(chunkBytes(bytes, cuts), 'r.json', sliceChars);
        // Assert
        expect(actual.findings).toEqual(expected);
        expect(inMemory(bytes, 'r.json').findings).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('a report truncated anywhere is a ReportError naming the file, never a partial import', async () => {
    const [, base] = JSON_FIXTURES[1]!;
    const pretty = Buffer.from(JSON.stringify(JSON.parse(base.toString('utf8')), null, 2));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: pretty.length - 2 }), fc.array(fc.nat(), { maxLength: 8 }), async (cut, cuts) => {
        // Act
        const outcome = await readReportStream(chunkBytes(pretty.subarray(0, cut), cuts), 'cut.json', { parsers: [dependencyCheckParser], streamFrom: 0, sliceChars: 512 }).then(
          (read) => read,
          (error: unknown) => error,
        );
        // Assert
        expect(isReportError(outcome)).toBe(true);
        expect((outcome as Error).message).toMatch(/^cut\.json: is not valid JSON/);
      }),
      { numRuns: 60 },
    );
  });

  it('reads big evidenceCollected (kept only for vulnerable dependencies) and keeps counts, warnings and the engine version', async () => {
    // Arrange
    const [, base] = JSON_FIXTURES[1]!;
    const report = JSON.parse(base.toString('utf8')) as { dependencies: Array<Record<string, unknown>> };
    for (const d of report.dependencies) d.evidenceCollected = { vendorEvidence: [{ value: 'x'.repeat(10_000) }] };
    report.dependencies.push('not an object' as never);
    const bytes = Buffer.from(JSON.stringify(report));
    // Act
    const actual = await streamed([bytes], 'r.json');
    // Assert
    expect(actual).toEqual(inMemory(bytes, 'r.json'));
    expect(actual.warnings).toContain('1 dependency entry was not an object and skipped');
  });

  it('a document that is not Dependency-Check is read in memory and detected as before', async () => {
    const bytes = Buffer.from('{"dependencies":[],"other":true}');
    const read = await readReportStream([bytes], 'x.json', { parsers: [dependencyCheckParser], streamFrom: 0 });
    expect(read.kind).toBe('document');
    expect(dependencyCheckParser.detect(read.doc)).toBe(false);
  });
});

describeCorpus('dependency-check')('Dependency-Check corpus as a stream', () => {
  const files = sharedFixtures('dependency-check').filter((f) => f.endsWith('.json'));
  it.each(files.map((f) => [f.split('/').pop()!, f]))('%s: streamed = in memory, in 7-byte chunks', async (name, file) => {
    const bytes = readFileSync(file);
    const chunks = chunkBytes(bytes, Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => i * 7));
    expect(await streamed(chunks, name, 97)).toEqual(inMemory(bytes, name));
  });
});

describe('Dependency-Check JSON as a stream: memory', () => {
  it('holds the findings, not the report: live heap stays a small fraction of a 32 MB report that is never held whole', async () => {
    // Arrange: a report produced chunk by chunk (evidence on every dependency, a vulnerability on one in 50)
    const evidence = { vendorEvidence: Array.from({ length: 40 }, (_, e) => ({ type: 'vendor', confidence: 'HIGH', source: 'file', name: 'name', value: `vendor-${e}-${'v'.repeat(200)}` })) };
    const target = 32 * 1024 * 1024;
    let produced = 0;
    let peakHeap = 0;
    // Live memory, not garbage: a full collection before each sample (gc exposed at run time, no flag needed).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let nextSample = 0;
    function* report(): Generator<Uint8Array> {
      const head = Buffer.from('{"reportSchema":"1.1","scanInfo":{"engineVersion":"12.1.1"},"dependencies":[');
      produced += head.length;
      yield head;
      for (let i = 0; produced < target; i += 1) {
        const dependency = {
          fileName: `lib-${i}.jar`,
          filePath: `/src/lib/lib-${i}.jar`,
          evidenceCollected: evidence,
          packages: [{ id: `pkg:maven/org.example/lib-${i}@1.0.0`, confidence: 'HIGH' }],
          ...(i % 50 === 0 ? { vulnerabilities: [{ source: 'NVD', name: `CVE-2026-${10000 + i}`, severity: 'HIGH', cvssv3: { baseScore: 8.1 } }] } : {}),
        };
        const chunk = Buffer.from(`${i === 0 ? '' : ','}${JSON.stringify(dependency)}`);
        produced += chunk.length;
        if (produced >= nextSample) {
          nextSample += target / 8;
          gc();
          peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - baseline);
        }
        yield chunk;
      }
      yield Buffer.from(']}');
    }
    // Act
    const read = await readReportStream(report(), 'big.json', { parsers: [dependencyCheckParser], streamFrom: 0 });
    // Assert
    expect(read.kind).toBe('streamed');
    expect(read.kind === 'streamed' && read.parsed.drafts.length).toBeGreaterThan(50);
    expect(produced).toBeGreaterThanOrEqual(target);
    // In memory, the report's string alone is 32 MB and its parsed tree several times that; streamed, ~2 MB stay live.
    expect(peakHeap).toBeLessThan(target * 0.2);
  });
});

function chunksOf(bytes: Uint8Array, size: number): Uint8Array[] {
  return Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, i * size + size));
}

describe('Dependency-Check XML as a stream', () => {
  const XML_FIXTURES: Array<[string, Buffer]> = ['schema-4.1-multi.xml', 'schema-1.3-npm.xml', 'schema-1.3-single.xml'].map((name) => [name, readFileSync(join(FIXTURES, name))]);

  it.each(XML_FIXTURES)('%s: 1-byte chunks and 1-character slices give the in-memory findings', async (name, bytes) => {
    // Arrange
    const expected = inMemory(bytes, name);
    // Act
    const actual = await streamed(bytesOneByOne(bytes), name, 1);
    // Assert
    expect(actual).toEqual(expected);
    expect(actual.findings.length).toBeGreaterThan(0);
  });

  it('CRLF line ends, astral characters, CDATA and comments that look like tags, a BOM or UTF-16 and noise before: the same findings', async () => {
    // Arrange
    const [, base] = XML_FIXTURES[0]!;
    const text = base
      .toString('utf8')
      .replace('<fileName>commons-text-1.9.jar</fileName>', '<fileName>commons-text-1.9.jar</fileName><!-- <dependency> --><description><![CDATA[</dependency> 😀 <dependency>]]></description>')
      .replace(/\n/g, '\r\n');
    const variants: Array<[string, Buffer]> = [
      ['crlf', Buffer.from(text)],
      ['bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
      ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
      ['noise', Buffer.from(`INFO: Writing XML report\n${text}`)],
    ];
    for (const [name, bytes] of variants) {
      // Act
      const expected = inMemory(bytes, name);
      const actual = await streamed(chunksOf(bytes, 7), name, 5);
      // Assert
      expect(actual).toEqual(expected);
    }
  });

  it('a report cut inside a dependency, or before its end, is a clear error and never a partial result', async () => {
    // Arrange
    const [, base] = XML_FIXTURES[0]!;
    const text = base.toString('utf8');
    const inside = Buffer.from(text.slice(0, text.indexOf('</dependency>') - 5));
    const after = Buffer.from(text.slice(0, text.indexOf('</dependencies>')));
    // Act
    const errors = await Promise.all([inside, after].map((b) => readReportStream(chunksOf(b, 64), 'cut.xml', { parsers: [dependencyCheckParser], streamFrom: 0 }).catch((e: Error) => e)));
    // Assert
    expect(errors.map((e) => (e as Error).message)).toEqual([
      expect.stringMatching(/^cut\.xml: is not well-formed XML: the document ends early \(truncated\?\) inside <dependency> from line 17$/),
      'cut.xml: is not well-formed XML: the document ends early (truncated?): <dependencies> is not closed',
    ]);
    expect(errors.every(isReportError)).toBe(true);
  });

  it('refuses entity declarations and names the line of a malformed dependency in the whole report', async () => {
    // Arrange
    const [, base] = XML_FIXTURES[0]!;
    const text = base.toString('utf8');
    const entity = Buffer.from(text.replace('<analysis', '<!DOCTYPE analysis [<!ENTITY x "y">]>\n<analysis'));
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('<md5>')) + 1;
    const malformed = Buffer.from(text.replace('<md5>aaaa</md5>', '<md5>aaaa</md6>'));
    // Act
    const [refused, bad] = await Promise.all([entity, malformed].map((b) => readReportStream(chunksOf(b, 100), 'r.xml', { parsers: [dependencyCheckParser], streamFrom: 0 }).catch((e: Error) => e)));
    // Assert
    expect((refused as Error).message).toBe('r.xml: declares XML entities (<!ENTITY>); refused to prevent entity expansion and external entity attacks');
    expect((bad as Error).message).toMatch(new RegExp(`^r\\.xml: is not well-formed XML: .*md6.* at line ${line}$`));
  });

  describeCorpus('dependency-check')('the shared corpus', () => {
    it.each(sharedFixtures('dependency-check').filter((f) => f.endsWith('.xml')).map((f) => [f]))('%s streams to the in-memory findings', async (file) => {
      // Arrange
      const bytes = readFileSync(file);
      // Act / Assert
      expect(await streamed(chunksOf(bytes, 4096), file, 997)).toEqual(inMemory(bytes, file));
    });
  });
});

describe('Dependency-Check evidence', () => {
  it("a vulnerable dependency's findings carry its evidenceCollected whole, the same streamed and in memory", async () => {
    // Arrange
    const [, bytes] = JSON_FIXTURES[1]!;
    const report = JSON.parse(bytes.toString('utf8')) as { dependencies: { evidenceCollected?: unknown; vulnerabilities?: unknown[]; suppressedVulnerabilities?: unknown[] }[] };
    report.dependencies.forEach((d, i) => (d.evidenceCollected = { vendorEvidence: [{ type: 'vendor', source: 'file', name: 'vendor', value: `vendor-${i}` }] }));
    const vulnerable = report.dependencies.find((d) => (d.vulnerabilities ?? []).length > 0)!;
    const clean = report.dependencies.find((d) => (d.vulnerabilities ?? []).length === 0 && (d.suppressedVulnerabilities ?? []).length === 0)!;
    const withEvidence = Buffer.from(JSON.stringify(report));
    // Act
    const memory = dependencyCheckParser.parse(readReport(withEvidence, 'dc.json'));
    const stream = await streamed(chunksOf(withEvidence, 333), 'dc.json', 77);
    // Assert
    const texts = memory.drafts.flatMap((d) => d.evidence ?? []).map((e) => e.text);
    expect(texts).toContain(JSON.stringify(vulnerable.evidenceCollected));
    expect(texts).not.toContain(JSON.stringify(clean.evidenceCollected));
    expect(memory.drafts.every((d) => (d.evidence ?? []).every((e) => e.name === 'EvidenceCollected' && e.contentType === 'application/json'))).toBe(true);
    expect(stream.drafts.map((d) => d.evidence)).toEqual(memory.drafts.map((d) => d.evidence));
  });
});
