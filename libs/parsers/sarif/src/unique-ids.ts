import { hash } from 'node:crypto';
import type { FindingDraft } from '@devsecops/asff';

/**
 * The part of a draft findingId hashes (besides the scope): its own identity, else rule + location. NUL separators
 * are enough here: a false match only adds a suffix, it never merges two findings.
 */
function idKey(draft: FindingDraft): string {
  return draft.identity !== undefined ? `i\u0000${draft.identity}` : `r\u0000${draft.ruleId}\u0000${draft.location}`;
}

function addSuffix(draft: FindingDraft, suffix: string): void {
  if (draft.identity !== undefined) draft.identity = `${draft.identity}${suffix}`;
  else draft.location = `${draft.location}${suffix}`;
}

/** Indexes of drafts that share a key with another draft, grouped by key (single drafts are not listed). */
function collisions(drafts: readonly FindingDraft[]): number[][] {
  const first = new Map<string, number>();
  const groups = new Map<string, number[]>();
  for (let index = 0; index < drafts.length; index += 1) {
    const key = idKey(drafts[index]!);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, index);
      continue;
    }
    const group = groups.get(key);
    if (group) group.push(index);
    else groups.set(key, [earlier, index]);
  }
  return [...groups.values()];
}

/**
 * Makes the Ids of one report unique, changing only drafts that collide (two results of one rule at one place
 * without fingerprints, or tools that repeat a fingerprint). First every member of a colliding group gets a digest
 * of its message (`~m:<hash>`), which does not depend on report order; members still equal after that keep the
 * first one's key, the others get `~2`, `~3` … in report order. Mutates the drafts; returns how many got a
 * message digest and how many of those also an order suffix.
 */
export function makeIdsUnique(drafts: FindingDraft[], messageOf: (index: number) => string): { byMessage: number; byOrder: number } {
  let byMessage = 0;
  let byOrder = 0;
  for (const members of collisions(drafts)) {
    for (const index of members) addSuffix(drafts[index]!, `~m:${hash('sha256', messageOf(index)).slice(0, 12)}`);
    byMessage += members.length;
  }
  if (byMessage === 0) return { byMessage, byOrder };
  for (const members of collisions(drafts)) {
    members.slice(1).forEach((index, n) => addSuffix(drafts[index]!, `~${n + 2}`));
    byOrder += members.length - 1;
  }
  return { byMessage, byOrder };
}
