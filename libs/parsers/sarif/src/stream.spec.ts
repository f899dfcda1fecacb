import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import fc from 'fast-check';
import { isReportError, readReportStream } from '@devsecops/report-input';
import { chunkBytes, chunksOf, describeCorpus, liveHeapSampler, parsedInMemory, parsedStreamed, sharedFixtures } from '@devsecops/test-support';
import { fixturePath } from './__fixtures__/support';
import { sarifParser } from './sarif-parser';

/** Streaming (readReportStream) and in-memory (readReport + parse) give the same report, whatever the chunks. */

type Json = Record<string, unknown>;
type Run = Json & { results?: unknown };

const FIXTURES = ['codeql-trimmed.sarif', 'eslint-mixed.sarif', 'image-scan.sarif', 'multi-run.sarif'];
const MULTI_RUN = readFileSync(fixturePath('multi-run.sarif'));

function logOf(bytes: Uint8Array): Json & { runs: Run[] } {
  return JSON.parse(Buffer.from(bytes).toString('utf8'));
}

function bytesOf(value: unknown, indent?: number): Buffer {
  return Buffer.from(JSON.stringify(value, null, indent));
}

/** The run with `first` members written first (JSON keeps insertion order), the others after in their order. */
function membersFirst(run: Run, first: readonly string[]): Run {
  const reordered: Run = {};
  for (const key of first) if (key in run) reordered[key] = run[key];
  for (const [key, value] of Object.entries(run)) if (!(key in reordered)) reordered[key] = value;
  return reordered;
}

async function expectStreamedEqualsInMemory(bytes: Uint8Array, source: string, chunkSize: number, sliceChars: number, qualityRulesAsSecurity = false) {
  const parseOptions = { qualityRulesAsSecurity, sourceRoots: ['/home/runner/work/shop/shop'] };
  const expected = parsedInMemory(sarifParser, bytes, source, parseOptions);
  const actual = await parsedStreamed(sarifParser, chunksOf(bytes, chunkSize), source, { sliceChars, parseOptions });
  expect(actual).toEqual(expected);
  return actual;
}

describe('SARIF as a stream', () => {
  it.each(FIXTURES)('%s: 1-byte chunks and 1-character slices give the in-memory report', async (name) => {
    // Arrange
    const bytes = readFileSync(fixturePath(name));
    // Act / Assert
    const actual = await expectStreamedEqualsInMemory(bytes, name, 1, 1);
    expect(actual.drafts.length).toBeGreaterThan(0);
  });

  it.each(FIXTURES)('%s: results before the tool, artifacts and uri bases give the same report', async (name) => {
    // Arrange: every other member of each run after its results
    const log = logOf(readFileSync(fixturePath(name)));
    const resultsFirst = bytesOf({ ...log, runs: log.runs.map((run) => membersFirst(run, ['results'])) });
    const toolOnlyFirst = bytesOf({ ...log, runs: log.runs.map((run) => membersFirst(run, ['tool', 'results'])) });
    // Act
    const a = await expectStreamedEqualsInMemory(resultsFirst, name, 13, 7);
    const b = await expectStreamedEqualsInMemory(toolOnlyFirst, name, 13, 7, true);
    // Assert: JSON member order changes nothing
    expect(a).toEqual(parsedInMemory(sarifParser, readFileSync(fixturePath(name)), name, { sourceRoots: ['/home/runner/work/shop/shop'] }));
    expect(b.drafts.length).toBe(a.drafts.length);
  });

  it('random chunks and slices, with a BOM, UTF-16 or progress noise before the log, give the same report', async () => {
    const text = MULTI_RUN.toString('utf8');
    const variants: Buffer[] = [
      Buffer.from(`\u001b[1mcodeql\u001b[0m analyze…\n[2/2] Interpreting results.\n${text}\nDone in 3s\n`),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), MULTI_RUN]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
    ];
    const expected = parsedInMemory(sarifParser, MULTI_RUN, 'r.sarif');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...variants), fc.array(fc.nat(), { maxLength: 30 }), fc.integer({ min: 1, max: 3000 }), async (bytes, cuts, sliceChars) => {
        // Act
        const actual = await parsedStreamed(sarifParser, chunkBytes(bytes, cuts), 'r.sarif', { sliceChars });
        // Assert
        expect(actual).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('several runs, empty ones, a failed invocation written after its results: counted and warned as in memory', async () => {
    // Arrange
    const log = logOf(MULTI_RUN);
    const [first, second] = log.runs;
    const failedLate = { ...membersFirst(second!, ['tool', 'results']), invocations: [{ executionSuccessful: false }] };
    const runs = [{ tool: { driver: { name: 'Empty' } }, results: [] }, first, { tool: { driver: { name: 'NoResults' } } }, failedLate, { results: null, tool: { driver: { name: 'Null' } } }, { results: [] }, first];
    const bytes = bytesOf({ ...log, runs }, 2);
    // Act
    const actual = await expectStreamedEqualsInMemory(bytes, 'runs.sarif', 64, 50);
    // Assert
    expect(actual.stats).toMatchObject({ runs: 7 });
    expect(actual.incomplete).toMatch(/reported executionSuccessful=false/);
    expect(actual.warnings.some((w) => w.includes('executionSuccessful=false'))).toBe(true);
  });

  it('results that are not objects or not failures, and unused members (codeFlows, relatedLocations…) skipped while reading', async () => {
    // Arrange
    const log = logOf(MULTI_RUN);
    const flows = [{ threadFlows: [{ locations: Array.from({ length: 50 }, (_, i) => ({ location: { message: { text: `step ${i}` } } })) }] }];
    const run = log.runs[0]!;
    const results = [...(run.results as Json[]).map((r) => ({ ...r, codeFlows: flows, relatedLocations: [{ id: 1 }], stacks: [] })), 3, null, { kind: 'pass', ruleId: 'x' }];
    const bytes = bytesOf({ ...log, runs: [{ ...run, results }] });
    // Act
    const actual = await expectStreamedEqualsInMemory(bytes, 'extra.sarif', 100, 100);
    // Assert
    expect(actual.warnings).toContain('skipped 2 result(s) that are not objects');
    expect(actual.stats).toMatchObject({ skippedMalformed: 2, skippedNotFail: parsedInMemory(sarifParser, MULTI_RUN, 'r').stats!['skippedNotFail']! + 1 });
  });

  it('the errors of a log that is not SARIF 2.1.0 are those of the in-memory parse', async () => {
    // Arrange: `version` after `runs` (as Semgrep writes it), claimed by its $schema
    const log = logOf(MULTI_RUN);
    const { version: _version, ...rest } = log;
    const wrongVersion = bytesOf({ ...rest, version: '2.0.0' });
    const notRun = bytesOf({ ...log, runs: [...log.runs, 'not a run'] });
    const resultsObject = bytesOf({ ...log, runs: [...log.runs, { tool: {}, results: { a: 1 } }] });
    // Act / Assert
    for (const [bytes, error] of [
      [wrongVersion, 'bad.sarif: is SARIF version "2.0.0"; only 2.1.0 is supported'],
      [notRun, 'bad.sarif: runs[2] is not an object'],
      [resultsObject, 'bad.sarif: runs[2].results is not a list'],
    ] as const) {
      expect(() => parsedInMemory(sarifParser, bytes, 'bad.sarif')).toThrow(error);
      await expect(parsedStreamed(sarifParser, [bytes], 'bad.sarif')).rejects.toThrow(error);
    }
  });

  it('a report truncated anywhere is a ReportError naming the file, never a partial import', async () => {
    const pretty = bytesOf(logOf(MULTI_RUN), 2);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: pretty.length - 2 }), fc.array(fc.nat(), { maxLength: 8 }), async (cut, cuts) => {
        // Act
        const outcome = await readReportStream(chunkBytes(pretty.subarray(0, cut), cuts), 'cut.sarif', { parsers: [sarifParser], streamFrom: 0, sliceChars: 256 }).then(
          (read) => read,
          (error: unknown) => error,
        );
        // Assert
        expect(isReportError(outcome)).toBe(true);
        expect((outcome as Error).message).toMatch(/^cut\.sarif: is not valid JSON/);
      }),
      { numRuns: 60 },
    );
    // Cut well after the head in which the log was claimed: the streamed path's own message.
    const claimedAt = pretty.indexOf('"results"');
    const afterClaim = pretty.subarray(0, claimedAt + 4000);
    await expect(readReportStream(chunksOf(afterClaim, 32), 'cut.sarif', { parsers: [sarifParser], streamFrom: 0, headChars: claimedAt + 100, sliceChars: 16 })).rejects.toThrow(
      /^cut\.sarif: is not valid JSON: the document ends early \(truncated\?\) at line \d+ \(character \d+\)$/,
    );
  });

  it('malformed JSON inside the results is a ReportError naming the place', async () => {
    const text = MULTI_RUN.toString('utf8');
    const broken = Buffer.from(text.replace('"ruleIndex": 0,', '"ruleIndex" 0,'));
    const line = broken.toString('utf8').slice(0, broken.indexOf('"ruleIndex" 0')).split('\n').length;
    // Whole at hand: exact, as readReport; arriving after the head: the slice that failed.
    await expect(parsedStreamed(sarifParser, [broken], 'bad.sarif')).rejects.toThrow(`bad.sarif: is not valid JSON: ColonExpected at line ${line} `);
    await expect(parsedStreamed(sarifParser, chunksOf(broken, 100), 'bad.sarif', { headChars: 64, sliceChars: 16 })).rejects.toThrow(
      new RegExp(`^bad\\.sarif: is not valid JSON: expected ':' at or before character \\d+ \\(line ${line}\\)$`),
    );
  });

  it('a log detection does not recognise stays in memory, and is detected as before', async () => {
    const bytes = Buffer.from('{"runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"}}]}]}');
    const read = await readReportStream([bytes], 'x.json', { parsers: [sarifParser], streamFrom: 0 });
    expect(read.kind).toBe('document');
    expect(sarifParser.detect(read.doc)).toBe(false);
    // Named with --tool sarif, it streams and reads as parse does.
    const named = await readReportStream([bytes], 'x.json', { parsers: [sarifParser], streamFrom: 0, tool: 'sarif' });
    expect(named.kind === 'streamed' && named.parsed).toEqual(parsedInMemory(sarifParser, bytes, 'x.json'));
  });
});

describeCorpus('sarif')('SARIF corpus as a stream', () => {
  const files = sharedFixtures('sarif');
  it.each(files.map((f) => [basename(f), f]))('%s: streamed = in memory, in 7-byte chunks, as written and with results first', async (name, file) => {
    const bytes = readFileSync(file);
    const log = logOf(bytes);
    if (!log.runs.some((run) => Array.isArray(run.results))) {
      // Nothing to stream (`"runs": []`): read in memory, as before.
      expect((await readReportStream([bytes], name, { parsers: [sarifParser], streamFrom: 0 })).kind).toBe('document');
      return;
    }
    await expectStreamedEqualsInMemory(bytes, name, 7, 97);
    await expectStreamedEqualsInMemory(bytesOf({ ...log, runs: log.runs.map((run) => membersFirst(run, ['results'])) }), name, 4096, 4096);
  });
});

describe('SARIF as a stream: memory', () => {
  it('holds the findings, not the report: live heap stays a small fraction of a 32 MB log that is never held whole', async () => {
    // Arrange: a log produced chunk by chunk, each result with a data flow (most of a CodeQL log's bytes)
    const target = 32 * 1024 * 1024;
    const sampler = liveHeapSampler(target / 8);
    const flow = [{ threadFlows: [{ locations: Array.from({ length: 60 }, (_, i) => ({ location: { physicalLocation: { artifactLocation: { uri: `src/step-${i}.js` }, region: { startLine: i + 1 } } } })) }] }];
    let produced = 0;
    function* log(): Generator<Uint8Array> {
      const head = Buffer.from('{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"CodeQL","rules":[{"id":"js/xss","properties":{"tags":["security"]}}]}},"results":[');
      produced += head.length;
      yield head;
      for (let i = 0; produced < target; i += 1) {
        const result = { ruleId: 'js/xss', message: { text: `XSS ${i}` }, locations: [{ physicalLocation: { artifactLocation: { uri: `src/file-${i}.js` }, region: { startLine: 3 } } }], codeFlows: flow };
        const chunk = Buffer.from(`${i === 0 ? '' : ','}${JSON.stringify(result)}`);
        produced += chunk.length;
        yield chunk;
      }
      yield Buffer.from(']}]}');
    }
    // Act
    const parsed = await parsedStreamed(sarifParser, sampler.wrap(log()), 'big.sarif');
    // Assert
    expect(parsed.drafts.length).toBeGreaterThan(1000);
    expect(produced).toBeGreaterThanOrEqual(target);
    // In memory, the log's string alone is 32 MB and its tree several times that.
    expect(sampler.peak()).toBeLessThan(target * 0.2);
  });
});
