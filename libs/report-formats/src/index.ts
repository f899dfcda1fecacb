export * from './model';
export * from './registry';
export * from './asff';
export * from './sarif';
export * from './junit';
export * from './markdown';
export * from './csv';
export * from './ocsf';
export { xmlText, xmlAttr } from './xml';
