/** Security Hub's limits (../shared/reference/asff.md §1, §3, §5). */
export const LIMITS = {
  findingsPerBatch: 100,
  /** Request size limit is 6 MB; keep headroom for the JSON envelope. */
  batchBytes: 6 * 1024 * 1024 - 64 * 1024,
  /** 240 KB per finding; we stay under 240,000 bytes of UTF-8 JSON. */
  findingBytes: 240_000,
  id: 512,
  generatorId: 512,
  productArnMin: 12,
  productArn: 2048,
  title: 256,
  description: 1024,
  recommendationText: 512,
  productFields: 50,
  /** Security Hub adds aws/securityhub/* keys itself; whether they count is undocumented, so leave room. */
  ownProductFields: 45,
  productFieldKey: 128,
  productFieldValue: 2048,
  userDefinedFields: 50,
  userDefinedFieldValue: 1024,
  resources: 32,
  resourceType: 256,
  region: 16,
  types: 50,
  severityOriginal: 64,
  noteText: 512,
  detailsOtherPairs: 50,
  detailsOtherKey: 127,
  detailsOtherValue: 1023,
  relatedRequirements: 32,
  /** Not a documented limit; long enough for any real ARN, purl, path or URL. */
  resourceId: 2048,
  /** A longer URL is dropped rather than cut: a truncated link is a broken one. */
  url: 2048,
} as const;

export const TRUNCATION_MARKER = '… [truncated]';

/** Cuts text to at most `max` characters, ending with a visible marker; never splits a surrogate pair. */
export function truncate(text: string, max: number, marker: string = TRUNCATION_MARKER): string {
  if (text.length <= max) return text;
  if (max <= marker.length) return text.slice(0, max);
  let end = max - marker.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end).trimEnd() + marker;
}

/** Whitespace-collapsed text with a fallback, so a required field is never empty. */
export function nonEmpty(text: string | undefined | null, fallback: string): string {
  const trimmed = (text ?? '').replace(/\s+/g, ' ').trim();
  return trimmed.length > 0 ? trimmed : fallback;
}

/** Like nonEmpty, but keeps line breaks (descriptions read better with them); runs of blank lines become one. */
export function nonEmptyText(text: string | undefined | null, fallback: string): string {
  const cleaned = (text ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return cleaned.length > 0 ? cleaned : fallback;
}

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
