export * from './errors';
export * from './handler';
