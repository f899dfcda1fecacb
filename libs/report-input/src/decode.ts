import { ReportError } from './report-error';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';

/**
 * V8's longest string (2^29 − 24 UTF-16 code units on 64-bit). A report is decoded to one string before
 * JSON.parse or the XML parser see it, so a longer one cannot be read in memory at all.
 */
export const MAX_STRING_LENGTH = 0x1fffffe8;

/** The clear error for a report too large to hold as one string (instead of V8's misleading decode failure). */
export function tooLargeError(source: string, bytes: number): ReportError {
  const mb = (n: number) => `${Math.round(n / 1024 / 1024).toLocaleString('en-US')} MB`;
  return new ReportError(
    source,
    `is ${mb(bytes)}, larger than the ${mb(MAX_STRING_LENGTH)} a report can have to be read in memory (V8's longest string); ` +
      'only Dependency-Check JSON reports are read as a stream at any size',
  );
}

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  bom: boolean;
}

export function detectEncoding(bytes: Uint8Array): { encoding: TextEncoding; bomLength: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // UTF-16 without a BOM (Windows shells redirecting output): ASCII text has every other byte zero.
  if (bytes.length >= 4) {
    const sample = Math.min(bytes.length - (bytes.length % 2), 512);
    let zeroEven = 0;
    let zeroOdd = 0;
    for (let i = 0; i < sample; i += 2) {
      if (bytes[i] === 0) zeroEven += 1;
      if (bytes[i + 1] === 0) zeroOdd += 1;
    }
    const pairs = sample / 2;
    if (zeroOdd > pairs * 0.6 && zeroEven === 0) return { encoding: 'utf-16le', bomLength: 0 };
    if (zeroEven > pairs * 0.6 && zeroOdd === 0) return { encoding: 'utf-16be', bomLength: 0 };
  }
  return { encoding: 'utf-8', bomLength: 0 };
}

/** The encoding an XML declaration names, for the single-byte encodings real reports use. */
export function declaredXmlEncoding(bytes: Uint8Array): TextEncoding | undefined {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const match = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  const name = match?.[1]?.toLowerCase();
  if (!name) return undefined;
  if (['iso-8859-1', 'latin1', 'latin-1', 'windows-1252', 'cp1252', 'us-ascii'].includes(name)) return 'latin1';
  return undefined;
}

/**
 * Decodes report bytes to text: UTF-8 (with or without BOM), UTF-16 LE/BE (with or without BOM), and the
 * Latin-1 family when an XML declaration says so. Invalid UTF-8 is a ReportError, never silently replaced.
 */
export function decodeReport(input: Uint8Array | string, source: string): DecodedText {
  if (typeof input === 'string') {
    const bom = input.charCodeAt(0) === 0xfeff;
    return { text: bom ? input.slice(1) : input, encoding: 'utf-8', bom };
  }
  const { encoding, bomLength } = detectEncoding(input);
  const body = input.subarray(bomLength);
  // Every UTF-8/Latin-1 byte is at most one code unit, every UTF-16 pair one: a longer body may not fit a string.
  if (body.length / (encoding === 'utf-8' ? 1 : 2) > MAX_STRING_LENGTH) throw tooLargeError(source, input.byteLength);
  if (encoding === 'utf-8') {
    const declared = declaredXmlEncoding(body);
    if (declared === 'latin1') return { text: Buffer.from(body).toString('latin1'), encoding: 'latin1', bom: false };
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding, bom: bomLength > 0 };
    } catch {
      throw new ReportError(source, `is not valid UTF-8 text (at or before byte ${firstInvalidUtf8(body)})`);
    }
  }
  if (body.length % 2 !== 0) throw new ReportError(source, `looks like ${encoding.toUpperCase()} but has an odd number of bytes`);
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(body), encoding, bom: bomLength > 0 };
  } catch {
    throw new ReportError(source, `is not valid ${encoding.toUpperCase()} text`);
  }
}

export function firstInvalidUtf8(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  // Binary search on prefixes; streaming mode tolerates a prefix that ends inside a valid sequence.
  while (hi - lo > 4) {
    const mid = (lo + hi) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo;
}
