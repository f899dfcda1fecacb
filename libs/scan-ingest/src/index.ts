export * from './events';
export * from './convert';
export * from './ingest';
