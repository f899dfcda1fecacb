import { declaredXmlEncoding, detectEncoding, firstInvalidUtf8, type TextEncoding } from './decode';
import { ReportError } from './report-error';

/** Report bytes as they arrive: a file read stream, an S3 GetObject body, or chunks in a test. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** Bytes needed to detect the encoding as `decodeReport` does (it samples 512 bytes; the XML declaration, 200). */
const DETECT_BYTES = 4096;

/**
 * Decodes a byte stream incrementally with the same rules as `decodeReport`: BOM, UTF-16 LE/BE with or without
 * BOM, Latin-1 when an XML declaration says so, invalid UTF-8 an error naming the byte. The raw bytes can be kept
 * (`retain`) so that a caller can still hand the whole report to `readReport`.
 */
export class StreamingDecoder {
  encoding: TextEncoding = 'utf-8';
  bom = false;
  bytes = 0;
  /** Raw chunks kept while `retain` is true. */
  retained: Uint8Array[] = [];
  retain = true;
  private decoder: InstanceType<typeof TextDecoder> | undefined;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private detected = false;

  constructor(private readonly source: string) {}

  /** Text of this chunk (may be empty while the encoding is still being detected). */
  push(chunk: Uint8Array): string {
    this.bytes += chunk.byteLength;
    if (this.retain) this.retained.push(chunk);
    if (!this.detected) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.byteLength;
      if (this.pendingBytes < DETECT_BYTES) return '';
      return this.detect(concatBytes(this.pending));
    }
    return this.decode(chunk, true);
  }

  /** The rest of the text at the end of the input. */
  end(): string {
    let text = '';
    if (!this.detected) text = this.detect(concatBytes(this.pending));
    if (this.encoding !== 'utf-8' && this.encoding !== 'latin1' && (this.bytes - (this.bom ? 2 : 0)) % 2 !== 0) {
      throw new ReportError(this.source, `looks like ${this.encoding.toUpperCase()} but has an odd number of bytes`);
    }
    return text + this.decode(new Uint8Array(0), false);
  }

  private detect(head: Uint8Array): string {
    this.detected = true;
    this.pending = [];
    const { encoding, bomLength } = detectEncoding(head);
    this.bom = bomLength > 0;
    const body = head.subarray(bomLength);
    this.encoding = encoding === 'utf-8' && declaredXmlEncoding(body) === 'latin1' ? 'latin1' : encoding;
    if (this.encoding !== 'latin1') this.decoder = new TextDecoder(this.encoding, { fatal: true });
    this.decodedBytes = bomLength;
    return this.decode(body, true);
  }

  private decodedBytes = 0;

  private decode(bytes: Uint8Array, stream: boolean): string {
    const before = this.decodedBytes;
    this.decodedBytes += bytes.byteLength;
    if (this.encoding === 'latin1') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    try {
      return this.decoder!.decode(bytes, { stream });
    } catch {
      if (this.encoding === 'utf-8') {
        throw new ReportError(this.source, `is not valid UTF-8 text (at or before byte ${before + firstInvalidUtf8(bytes)})`);
      }
      throw new ReportError(this.source, `is not valid ${this.encoding.toUpperCase()} text`);
    }
  }
}

export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  return Buffer.concat(chunks);
}

// CSI sequences (colours, cursor moves) and OSC sequences that progress bars print.
export const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)/g;

/** Longest escape sequence held back at a chunk end while waiting for its end. */
const MAX_HELD_ESCAPE = 256;

/** Strips ANSI escape sequences from text that arrives in chunks; a sequence split across chunks is still removed. */
export class AnsiStripper {
  private held = '';

  push(chunk: string): string {
    let text = this.held + chunk;
    this.held = '';
    if (!text.includes('\u001b')) return text;
    text = text.replace(ANSI, '');
    const last = text.lastIndexOf('\u001b');
    if (last >= 0 && text.length - last <= MAX_HELD_ESCAPE) {
      this.held = text.slice(last);
      text = text.slice(0, last);
    }
    return text;
  }

  end(): string {
    const rest = this.held.replace(ANSI, '');
    this.held = '';
    return rest;
  }
}
