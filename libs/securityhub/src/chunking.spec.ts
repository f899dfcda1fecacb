import { jsonBytes, LIMITS } from '@devsecops/asff';
import fc from 'fast-check';
import { bigFinding, findings } from './__fixtures__/findings';
import { BATCH_LIMITS, ENVELOPE_BYTES, batchEnd, chunkBySize } from './chunking';

const identity = (n: number) => n;

describe('chunkBySize', () => {
  it('cuts 10,000 small findings into exactly 100 batches of 100', () => {
    // arrange
    const sizes = Array.from({ length: 10_000 }, () => 2_000);
    // act
    const batches = chunkBySize(sizes, identity);
    // assert
    expect(batches).toHaveLength(100);
    expect(batches.every((b) => b.length === 100)).toBe(true);
  });

  it('cuts by bytes when findings are big, keeping each request under the 6 MB limit', () => {
    // arrange: 60 findings of ~200 KB = ~12 MB
    const big = Array.from({ length: 60 }, (_, i) => bigFinding(i, 200_000));
    const sizes = big.map((f) => jsonBytes(f));
    // act
    const batches = chunkBySize(big, (f) => jsonBytes(f));
    // assert
    expect(Math.min(...sizes)).toBeGreaterThan(150_000);
    expect(batches.length).toBeGreaterThanOrEqual(2);
    for (const batch of batches) {
      expect(Buffer.byteLength(JSON.stringify({ Findings: batch }), 'utf8')).toBeLessThanOrEqual(LIMITS.batchBytes);
    }
    expect(batches.flat().map((f) => f.Id)).toEqual(big.map((f) => f.Id));
  });

  it('counts the envelope and the commas exactly', () => {
    // arrange: three items whose JSON fills the limit to the byte
    const item = 'x'.repeat(8); // "xxxxxxxx" = 10 bytes
    const exact = ENVELOPE_BYTES + 3 * 10 + 2;
    // act
    const fits = chunkBySize([item, item, item], (s) => JSON.stringify(s).length, { maxCount: 100, maxBytes: exact });
    const oneShort = chunkBySize([item, item, item], (s) => JSON.stringify(s).length, { maxCount: 100, maxBytes: exact - 1 });
    // assert
    expect(Buffer.byteLength(JSON.stringify({ Findings: [item, item, item] }))).toBe(exact);
    expect(fits).toHaveLength(1);
    expect(oneShort.map((b) => b.length)).toEqual([2, 1]);
  });

  it('sends an item bigger than the limit alone instead of stalling', () => {
    // arrange
    const sizes = [10, 10_000, 10];
    // act
    const batches = chunkBySize(sizes, identity, { maxCount: 100, maxBytes: 1_000 });
    // assert
    expect(batches).toEqual([[10], [10_000], [10]]);
  });

  it('keeps order and loses nothing for any sizes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3_000 }), { maxLength: 400 }), fc.integer({ min: 1, max: 50 }), (sizes, maxCount) => {
        const limits = { maxCount, maxBytes: 10_000 };
        const batches = chunkBySize(sizes, identity, limits);
        expect(batches.flat()).toEqual(sizes);
        for (const batch of batches) {
          expect(batch.length).toBeGreaterThan(0);
          expect(batch.length).toBeLessThanOrEqual(maxCount);
          const bytes = ENVELOPE_BYTES + batch.reduce((a, b) => a + b, 0) + batch.length - 1;
          if (batch.length > 1) expect(bytes).toBeLessThanOrEqual(limits.maxBytes);
        }
      }),
    );
  });
});

describe('batchEnd', () => {
  it('returns start at the end of the list', () => {
    // arrange / act / assert
    expect(batchEnd([1, 2], 2, identity)).toBe(2);
  });

  it('uses the Security Hub limits by default', () => {
    // arrange
    const small = findings(150);
    // act
    const end = batchEnd(small, 0, (f) => jsonBytes(f));
    // assert
    expect(BATCH_LIMITS).toEqual({ maxCount: 100, maxBytes: LIMITS.batchBytes });
    expect(end).toBe(100);
  });
});
