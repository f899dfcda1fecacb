export * from './config';
export * from './findings';
export * from './mail';
export * from './message';
export * from './notify';
export * from './permissions';
export * from './policy';
export * from './revision';
