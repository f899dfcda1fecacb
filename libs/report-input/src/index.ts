export * from './report-error';
export * from './decode';
export * from './document';
export * from './parser';
export * from './paths';
export * from './repo-paths';
