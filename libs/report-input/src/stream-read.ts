import type { ParsedReport } from '@devsecops/asff';
import { MAX_STRING_LENGTH, tooLargeError } from './decode';
import { firstSyntaxError, isHarmlessTrailer, jsonError, jsonStarts, readReport, type ReportDocument } from './document';
import { JsonSyntaxError, StreamingJsonAssembler, type ItemRoute, type RouteArray } from './json-stream';
import type { ParseOptions, ReportParser, StreamingParse, ToolId } from './parser';
import { ReportError } from './report-error';
import { AnsiStripper, concatBytes, StreamingDecoder, type ByteSource } from './stream-decode';
import { rootElementName, StreamingXmlSplitter } from './xml-stream';

export interface StreamReadOptions {
  parsers: readonly ReportParser[];
  tool?: ToolId | 'auto';
  parseOptions?: ParseOptions;
  /**
   * Text read before deciding where the document starts and whether it is streamed (default 1 MiB): noise before
   * the report (progress output, log lines) must end within it, and a streaming parser must claim the report's
   * big array within it (Dependency-Check writes `dependencies` after a few hundred bytes).
   */
  headChars?: number;
  /** Text handed to the JSON tokenizer per call (default 64 Ki characters); tests use tiny slices. */
  sliceChars?: number;
  /** The report's size in bytes when known up front (file size, S3 ContentLength). */
  size?: number;
  /**
   * Reports of known size below this many bytes are read in memory even when a parser could stream them
   * (default 64 MiB): JSON.parse is native and about 2.5× faster than a JavaScript tokenizer, and such a report
   * stays well inside a 1,024 MB Lambda (peak RSS about 9× the report). 0 streams everything.
   */
  streamFrom?: number;
}

/** Default of `StreamReadOptions.streamFrom`. */
export const STREAM_FROM_BYTES = 64 * 1024 * 1024;

/**
 * `streamed`: a streaming parser read the report (`doc.value` is the skeleton, its big array empty);
 * `document`: the whole report was read in memory by `readReport`, exactly as before, for the usual parse.
 */
export type StreamReadResult =
  | { kind: 'streamed'; doc: ReportDocument; parser: ReportParser; parsed: ParsedReport }
  | { kind: 'document'; doc: ReportDocument };

const DEFAULT_HEAD_CHARS = 1 << 20;
/**
 * Bytes decoded at a time. Each decoded piece is a string of its own, and V8 substrings (the tokenizer's values)
 * keep their whole parent string alive: a finding that keeps a file name must pin 8 KiB, not a 1 MiB read chunk
 * (with 1 MiB pieces, 2,500 findings pinned over 1 GB of a 1 GB report).
 */
const PIECE_BYTES = 8 * 1024;
const DEFAULT_SLICE_CHARS = 1 << 16;
/** Text after the document that is still read to judge it ("Done in 3s"); more is an error. */
const MAX_TRAILER_CHARS = 1 << 16;

function asyncIterator(input: ByteSource): AsyncIterator<Uint8Array> | Iterator<Uint8Array> {
  return Symbol.asyncIterator in input ? (input as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]() : (input as Iterable<Uint8Array>)[Symbol.iterator]();
}

function matches(pattern: readonly string[], path: readonly (string | number)[]): boolean {
  if (pattern.length !== path.length) return false;
  return pattern.every((part, i) => (part === '*' ? typeof path[i] === 'number' : part === path[i]));
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

/** A tokenizer error, with the text from the slice that failed to the end of what was being fed. */
class FeedError extends JsonSyntaxError {
  constructor(
    message: string,
    readonly rest: string,
  ) {
    super(message);
  }
}

/**
 * Feeds `text` in slices; each slice is cut after its last `}`/`]`, so text after the document always arrives in
 * a call of its own (a failing call loses its tokens, and those must never be the document's last ones).
 */
function feedSlices(assembler: StreamingJsonAssembler, text: string, sliceChars: number, onSlice: (slice: string) => void, stop?: () => boolean): number {
  let at = 0;
  const write = (slice: string) => {
    onSlice(slice);
    try {
      assembler.write(slice);
    } catch (error) {
      if (error instanceof JsonSyntaxError) throw new FeedError(error.message, text.slice(at));
      throw error;
    }
    at += slice.length;
  };
  while (at < text.length && !stop?.()) {
    const slice = at === 0 && text.length <= sliceChars ? text : text.slice(at, at + sliceChars);
    const close = Math.max(slice.lastIndexOf('}'), slice.lastIndexOf(']'));
    if (close >= 0 && close < slice.length - 1) {
      write(slice.slice(0, close + 1));
      write(slice.slice(close + 1));
    } else {
      write(slice);
    }
  }
  return at;
}

/**
 * Reads a report from a byte stream. A JSON report that a parser reads as a stream (its `streaming` side, e.g.
 * Dependency-Check's `dependencies`) is parsed while it arrives, so memory follows the findings, not the report;
 * any other report is collected and read by `readReport`, with the same result and errors as before (and a clear
 * error when it is too large to be held as one string).
 *
 * Everything `readReport` does holds here too: BOM, UTF-16 LE/BE, Latin-1 XML, noise and ANSI codes before the
 * JSON (a fragment nested in a truncated report is never taken for the report), harmless text after it, and a
 * truncated or malformed report is a ReportError naming the source and the character (and line).
 */
export async function readReportStream(input: ByteSource, source: string, options: StreamReadOptions): Promise<StreamReadResult> {
  const iterator = asyncIterator(input);
  try {
    return await readFrom(iterator, source, options);
  } catch (error) {
    // Stop the source (a Node stream is destroyed: the file closed, the S3 connection released).
    await iterator.return?.();
    throw error;
  }
}

async function readFrom(iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array>, source: string, options: StreamReadOptions): Promise<StreamReadResult> {
  const headChars = options.headChars ?? DEFAULT_HEAD_CHARS;
  const sliceChars = Math.max(1, options.sliceChars ?? DEFAULT_SLICE_CHARS);
  const decoder = new StreamingDecoder(source);
  const ansi = new AnsiStripper();
  let ended = false;
  let pieces: string[] = [];
  let nextPiece = 0;

  /** The next piece of text ('' at the end, then `ended`). */
  async function nextText(): Promise<string> {
    if (nextPiece < pieces.length) return pieces[nextPiece++]!;
    if (ended) return '';
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        return ansi.push(decoder.end()) + ansi.end();
      }
      const chunk = next.value;
      pieces = [];
      nextPiece = 0;
      for (let at = 0; at < chunk.byteLength; at += PIECE_BYTES) {
        const text = ansi.push(decoder.push(chunk.byteLength <= PIECE_BYTES ? chunk : chunk.subarray(at, at + PIECE_BYTES)));
        if (text) pieces.push(text);
      }
      if (nextPiece < pieces.length) return pieces[nextPiece++]!;
    }
  }

  /** Not streamed: the whole report through readReport, as the in-memory path always did. */
  async function inMemory(streamError?: ReportError): Promise<StreamReadResult> {
    const limit = MAX_STRING_LENGTH * (decoder.encoding === 'utf-16le' || decoder.encoding === 'utf-16be' ? 2 : 1) + 4;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      decoder.retained.push(next.value);
      decoder.bytes += next.value.byteLength;
      if (decoder.bytes > limit) throw streamError ?? tooLargeError(source, decoder.bytes);
    }
    return { kind: 'document', doc: readReport(concatBytes(decoder.retained), source) };
  }

  if (options.size !== undefined && options.size < (options.streamFrom ?? STREAM_FROM_BYTES)) return inMemory();

  let text = '';
  while (!ended && text.length < headChars) text += await nextText();
  const xmlStart = text.search(/<(\?xml|[A-Za-z_])/);
  const candidates = jsonStarts(text);
  const tool = options.tool ?? 'auto';
  if (xmlStart >= 0 && (candidates.length === 0 || xmlStart < candidates[0]!)) {
    // XML: streamed when a parser streams documents with this root element, else read in memory as before.
    const root = rootElementName(text.slice(xmlStart));
    const streamer = options.parsers.find((p) => p.streamingXml && (tool === 'auto' || p.id === tool) && p.streamingXml.itemPath[0] === root);
    if (!streamer) return inMemory();
    decoder.retain = false;
    decoder.retained = [];
    return streamXml(streamer, text, xmlStart);
  }
  if (candidates.length === 0) return inMemory();

  const streamers = options.parsers.filter((p) => p.streaming && (tool === 'auto' || p.id === tool));
  if (streamers.length === 0) return inMemory();

  let first: { error: ReportError; located: boolean } | undefined;
  for (const [index, start] of candidates.entries()) {
    let chosen: { parser: ReportParser; parse: StreamingParse } | undefined;
    const route: RouteArray = (path, root, container) => {
      for (const parser of chosen ? [chosen.parser] : streamers) {
        const streaming = parser.streaming!;
        if (!matches(streaming.itemsPath, path)) continue;
        if (!chosen) {
          if (tool === 'auto' && !streaming.claims(root)) continue;
          chosen = { parser, parse: streaming.begin(source, options.parseOptions) };
        }
        const parse = chosen.parse;
        const itemPath = [...path];
        const itemRoute: ItemRoute = { onItem: (value) => parse.item(value, itemPath, container), skipKeys: new Set(streaming.skipItemKeys ?? []), detachStrings: streaming.detachStrings === true };
        return itemRoute;
      }
      return undefined;
    };
    const assembler = new StreamingJsonAssembler(route);
    let fed = start;
    try {
      // Until a parser claims the document, the text is kept so that another start or the in-memory path can retry.
      while (!assembler.claimed) {
        if (fed < text.length) {
          fed += feedSlices(assembler, text.slice(fed), sliceChars, () => undefined, () => assembler.claimed);
          continue;
        }
        if (assembler.done || ended || text.length - start >= headChars) break;
        text += await nextText();
      }
      if (!assembler.claimed) {
        if (ended && !assembler.done) assembler.end();
        return inMemory();
      }
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      // The same rule as readReport: a later start inside this failed document is a nested value, not the report.
      const body = text.slice(start);
      const problem = firstSyntaxError(body);
      // readReport reports the first start's error; located inside the text at hand, it is final (no need to read on).
      first ??= { error: jsonError(source, body, problem, error, start), located: problem !== undefined && problem.offset < body.trimEnd().length };
      const next = candidates[index + 1];
      if (next === undefined || problem === undefined || start + problem.offset >= next) {
        if (first.located) throw first.error;
        return inMemory(first.error);
      }
      continue;
    }

    // Claimed: from here on nothing is kept but what the parser keeps.
    decoder.retain = false;
    decoder.retained = [];
    return streamRest(assembler, text, fed, start, chosen!);
  }
  return inMemory(first?.error);

  async function streamXml(parser: ReportParser, head: string, start: number): Promise<StreamReadResult> {
    const parse = parser.streamingXml!.begin(source, options.parseOptions);
    const splitter = new StreamingXmlSplitter(source, parser.streamingXml!.itemPath, (item) => parse.item(item.value, item.path, undefined));
    for (let at = start; at < head.length; at += sliceChars) splitter.write(head.slice(at, at + sliceChars));
    while (!ended) {
      const chunk = await nextText();
      if (chunk) splitter.write(chunk);
    }
    const value = splitter.end();
    const doc: ReportDocument = { source, format: 'xml', value, encoding: decoder.encoding, skippedPrefix: start, bytes: decoder.bytes };
    return { kind: 'streamed', doc, parser, parsed: parse.finish(doc) };
  }

  async function streamRest(
    assembler: StreamingJsonAssembler,
    head: string,
    fed: number,
    start: number,
    chosen: { parser: ReportParser; parse: StreamingParse },
  ): Promise<StreamReadResult> {
    let position = fed;
    let lines = 1 + countLines(head.slice(0, fed));
    let sliceEnd = position;
    let trailer = '';
    const track = (slice: string) => {
      sliceEnd = position + slice.length;
      position = sliceEnd;
      lines += countLines(slice);
    };
    const fail = (problem: string) => new ReportError(source, `is not valid JSON: ${problem}`);
    const headRest = head.slice(fed);
    try {
      if (headRest) feedSlices(assembler, headRest, sliceChars, track);
      for (;;) {
        const chunk = ended ? '' : await nextText();
        if (assembler.done) {
          trailer += chunk;
          if (trailer.length > MAX_TRAILER_CHARS) throw fail(`unexpected text after the document at character ${position}`);
        } else if (chunk) {
          feedSlices(assembler, chunk, sliceChars, track);
        }
        if (ended) break;
      }
      if (!assembler.done) assembler.end();
    } catch (error) {
      if (error instanceof JsonSyntaxError) {
        if (!assembler.done) {
          if (ended && head.length === position) {
            // The whole report is still at hand: locate the error exactly, as readReport does.
            const body = head.slice(start);
            throw jsonError(source, body, firstSyntaxError(body), error, start);
          }
          if (ended && sliceEnd >= position) {
            throw fail(`the document ends early (truncated?) at line ${lines} (character ${position})`);
          }
          throw fail(`${error.message} at or before character ${sliceEnd} (line ${lines})`);
        }
        // The document is complete and text follows it: read the rest and judge it as readReport does.
        trailer = error instanceof FeedError ? error.rest : '';
        while (!ended && trailer.length <= MAX_TRAILER_CHARS) trailer += await nextText();
        if (!ended) throw fail(`unexpected text after the document at character ${position}`);
        if (!isHarmlessTrailer(trailer)) throw fail(`unexpected text after the document at or before character ${sliceEnd} (line ${lines})`);
      } else {
        throw error;
      }
    }
    if (!isHarmlessTrailer(trailer)) throw fail(`unexpected text after the document at character ${position}`);
    const doc: ReportDocument = { source, format: 'json', value: assembler.root, encoding: decoder.encoding, skippedPrefix: start, bytes: decoder.bytes };
    return { kind: 'streamed', doc, parser: chosen.parser, parsed: chosen.parse.finish(doc) };
  }
}
