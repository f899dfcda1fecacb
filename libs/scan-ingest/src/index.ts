export * from './events';
export * from './convert';
export * from './ingest';
export * from './accounts';
export * from './metrics';
export * from './gating';
export * from './outputs';
export * from './evidence-store';
