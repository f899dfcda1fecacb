import { timestampMillis, timestampNanos } from './timestamps';

describe('timestampNanos', () => {
  it('keeps nanoseconds and normalises offsets', () => {
    // act
    const utc = timestampNanos('2026-11-22T12:00:00.123456789Z');
    const offset = timestampNanos('2026-11-22T13:00:00.123456789+01:00');
    const compactOffset = timestampNanos('2026-11-22T13:00:00.123456789+0100');
    const oneNanoLater = timestampNanos('2026-11-22T12:00:00.12345679Z');

    // assert
    expect(offset).toBe(utc);
    expect(compactOffset).toBe(utc);
    expect(oneNanoLater! - utc!).toBe(1n);
    expect(timestampMillis('2026-11-22T12:00:00.123456789Z')).toBe(Date.parse('2026-11-22T12:00:00.123Z'));
  });

  it.each(['', '2026-11-22', '2026-11-22 12:00:00Z', 'yesterday', 42])('rejects %p', (text) => {
    // act / assert
    expect(timestampNanos(text)).toBeUndefined();
  });
});
