import { LIMITS } from '@devsecops/asff';

/** What one BatchImportFindings request may carry (../shared/reference/asff.md §1). */
export interface BatchLimits {
  maxCount: number;
  /** Serialized request body, envelope included. */
  maxBytes: number;
}

export const BATCH_LIMITS: BatchLimits = { maxCount: LIMITS.findingsPerBatch, maxBytes: LIMITS.batchBytes };

/** `{"Findings":[` + `]}`: the request body around the findings. */
export const ENVELOPE_BYTES = Buffer.byteLength('{"Findings":[]}', 'utf8');

/**
 * End (exclusive) of the longest run of items from `start` that fits one request: at most `maxCount` items and
 * `maxBytes` of JSON (items, commas between them and the envelope). Always takes at least one item, so an item
 * that is too big on its own goes alone and fails alone instead of blocking the queue.
 */
export function batchEnd<T>(items: readonly T[], start: number, sizeOf: (item: T) => number, limits: BatchLimits = BATCH_LIMITS): number {
  if (start >= items.length) return start;
  let bytes = ENVELOPE_BYTES + sizeOf(items[start] as T);
  let end = start + 1;
  while (end < items.length && end - start < limits.maxCount) {
    const next = bytes + 1 + sizeOf(items[end] as T);
    if (next > limits.maxBytes) break;
    bytes = next;
    end += 1;
  }
  return end;
}

/** Splits items into request-sized batches, in order. */
export function chunkBySize<T>(items: readonly T[], sizeOf: (item: T) => number, limits: BatchLimits = BATCH_LIMITS): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; ) {
    const end = batchEnd(items, start, sizeOf, limits);
    batches.push(items.slice(start, end));
    start = end;
  }
  return batches;
}
