import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ParsedReport } from '@devsecops/asff';
import { readReport, readReportStream, type ParseOptions, type ReportParser } from '@devsecops/report-input';

/** The bytes in chunks of `size` (1: byte by byte, the hardest split for decoders and tokenizers). */
export function chunksOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

/** `parser.parse` of the whole report, as the in-memory path reads it. */
export function parsedInMemory(parser: ReportParser, bytes: Uint8Array, source: string, parseOptions?: ParseOptions): ParsedReport {
  return parser.parse(readReport(bytes, source), parseOptions);
}

/** The report through readReportStream with only `parser`; throws unless its streaming side read it. */
export async function parsedStreamed(
  parser: ReportParser,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  source: string,
  options: { sliceChars?: number; headChars?: number; parseOptions?: ParseOptions; tool?: 'auto' } = {},
): Promise<ParsedReport> {
  const read = await readReportStream(chunks, source, { parsers: [parser], streamFrom: 0, ...options });
  if (read.kind !== 'streamed') throw new Error(`${source} was not streamed`);
  return read.parsed;
}

/**
 * Live heap (after a full collection) sampled while a generated report is consumed: what a reader retains, never
 * RSS or time. `peak` is above the heap at the start.
 */
export function liveHeapSampler(sampleEveryBytes: number): { wrap(chunks: Iterable<Uint8Array>): Generator<Uint8Array>; peak: () => number } {
  // gc exposed at run time, no flag needed.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let peak = 0;
  return {
    *wrap(chunks) {
      let produced = 0;
      let next = 0;
      for (const chunk of chunks) {
        produced += chunk.byteLength;
        if (produced >= next) {
          next += sampleEveryBytes;
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
        }
        yield chunk;
      }
    },
    peak: () => peak,
  };
}
