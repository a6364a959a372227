export * from './collection-schema.js';
export * from './column.js';
export * from './data-type.js';
