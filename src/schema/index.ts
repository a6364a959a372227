export * from './collection-schema.js';
export * from './data-type.js';
