/** Edition words dropped from the end of a driver name: "Semgrep OSS" and "Semgrep Pro" are both Semgrep. */
const EDITION_WORDS: ReadonlySet<string> = new Set(['oss', 'pro', 'cli', 'community', 'enterprise', 'edition', 'ce', 'ee']);

/** Scope tool id for SARIF files whose runs name no driver. */
export const UNNAMED_SARIF_TOOL = 'sarif';

/**
 * Scope tool id from a SARIF driver name: lower case, runs of other characters become '-', trailing edition words
 * dropped. "CodeQL" → codeql, "Semgrep OSS" → semgrep, "ESLint" → eslint, "Trivy" → trivy.
 */
export function toolSlug(driverName: string | undefined): string {
  const tokens = (driverName ?? '').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  while (tokens.length > 1 && EDITION_WORDS.has(tokens[tokens.length - 1]!)) tokens.pop();
  return tokens.join('-').slice(0, 64).replace(/-+$/, '') || UNNAMED_SARIF_TOOL;
}

/** One scope tool for a whole file: the distinct driver slugs, sorted so run order does not matter, joined with '+'. */
export function reportToolId(driverNames: readonly (string | undefined)[]): string {
  const slugs = [...new Set(driverNames.map(toolSlug))].sort();
  return slugs.length > 0 ? slugs.join('+') : UNNAMED_SARIF_TOOL;
}
