const RFC3339_PARTS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * An RFC 3339 timestamp as nanoseconds since the epoch. ASFF allows 9 fractional digits, and two imports a few
 * microseconds apart must still order correctly, which Date.parse (milliseconds) cannot do.
 * Undefined when the text is not a timestamp.
 */
export function timestampNanos(text: unknown): bigint | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = RFC3339_PARTS.exec(text);
  if (!parts) return undefined;
  const [, seconds, fraction = '', zone = 'Z'] = parts;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const millis = Date.parse(`${seconds}${offset}`);
  if (Number.isNaN(millis)) return undefined;
  return BigInt(millis) * 1_000_000n + BigInt(fraction.padEnd(9, '0'));
}

/** Milliseconds since the epoch, for date filters and sorting; NaN when not a timestamp. */
export function timestampMillis(text: unknown): number {
  const nanos = timestampNanos(text);
  return nanos === undefined ? Number.NaN : Number(nanos / 1_000_000n);
}
