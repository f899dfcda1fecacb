import { createHash, hash } from 'node:crypto';
import { LIMITS, truncate } from './limits';
import type { FindingDraft, ScanScope } from './types';

/** Id prefix, so our findings are easy to recognise in Security Hub. */
export const ID_PREFIX = 'devsecops';

function sha256(parts: readonly string[]): string {
  // JSON encoding keeps ["a|b","c"] and ["a","b|c"] apart.
  return hash('sha256', JSON.stringify(parts), 'hex');
}

function slug(text: string, max: number): string {
  const cleaned = text.replace(/[^A-Za-z0-9._:-]+/g, '-').replace(/^-+|-+$/g, '');
  return (cleaned || 'rule').slice(0, max);
}

/**
 * Deterministic finding Id from tool, repository, branch, rule and location (or the tool's own identity).
 * Never a build id, a position or a time, so a rescan updates the same finding.
 */
export function findingId(
  scope: Pick<ScanScope, 'tool' | 'repository' | 'branch' | 'category' | 'categoryFromTarget'>,
  draft: Pick<FindingDraft, 'ruleId' | 'location' | 'identity'>,
): string {
  const key = draft.identity !== undefined ? ['identity', draft.identity] : ['rule', draft.ruleId, draft.location];
  // Without a category the hashed parts are exactly today's, so existing Ids stay stable. The key always starts
  // with 'identity' or 'rule', so ['category', c] in that position cannot be confused with it.
  const category = idCategory(scope);
  const hash = sha256([scope.tool, scope.repository, scope.branch, ...(category === undefined ? [] : ['category', category]), ...key]).slice(0, 40);
  return `${ID_PREFIX}/${slug(scope.tool, 64)}/${slug(draft.ruleId, 120)}/${hash}`;
}

/** A category trimmed; blank = none. */
export function normalizeCategory(category: string | undefined): string | undefined {
  const trimmed = category?.trim();
  return trimmed ? trimmed : undefined;
}

/** The category that goes into finding Ids: a given one; not one derived from the DAST target (see ScanScope). */
export function idCategory(scope: Pick<ScanScope, 'category' | 'categoryFromTarget'>): string | undefined {
  return scope.categoryFromTarget ? undefined : normalizeCategory(scope.category);
}

/** The DAST default category: the target's origin (`https://staging.example:8443`), or undefined if it is not a URL. */
export function categoryForTarget(target: string | undefined): string | undefined {
  if (!target) return undefined;
  try {
    const origin = new URL(target).origin;
    return origin && origin !== 'null' ? origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Branch-independent identity of a problem: tool, rule and location, the same on a feature branch and on main
 * (the Id also hashes repository and branch). Stored in ProductFields `devsecops/Fingerprint`.
 */
export function findingFingerprint(tool: string, ruleId: string, location: string): string {
  return sha256([tool, ruleId, location]).slice(0, 40);
}

/** `<tool>/<rule>`, at most 512 characters. */
export function generatorId(tool: string, ruleId: string): string {
  return truncate(`${tool}/${ruleId}`, LIMITS.generatorId, '…');
}

/** Short stable hash of text parts, each length-prefixed so that part boundaries count (used for content hashes). */
export function contentHash(parts: readonly string[]): string {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(`${part.length}:`).update(part);
  return digest.digest('hex').slice(0, 32);
}
