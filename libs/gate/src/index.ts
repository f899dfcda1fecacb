export * from './facts';
export * from './suppressions';
export * from './openvex';
export * from './exploits';
export * from './gate';
export * from './output';
export * from './options';
