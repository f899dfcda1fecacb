/**
 * The gate without the file readers (no YAML, CSV or gzip): for callers that gate findings read from Security Hub,
 * such as the approval notifier, whose bundle stays small.
 */
export * from './facts';
export * from './gate';
export * from './output';
export { entryMatches, describeMatch, isExpired, expiresAt, type SuppressionEntry, type SuppressionMatch, type SuppressionProblem } from './suppressions';
export * from './options';
