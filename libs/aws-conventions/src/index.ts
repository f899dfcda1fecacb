export * from './console-links';
export * from './iam';
export * from './logger';
export * from './redact';
export * from './sns';
