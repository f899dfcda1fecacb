export * from './report-error';
export * from './decode';
export * from './document';
export * from './parser';
export * from './paths';
export * from './repo-paths';
export * from './stream-decode';
export * from './stream-read';
export { StreamingJsonAssembler, type ItemRoute, type RouteArray } from './json-stream';
