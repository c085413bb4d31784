export * from './snapshot.js';
export * from './structure.js';
export * from './resolve.js';
export * from './delegation.js';
export * from './cardinality.js';
export * from './transfer.js';
export * from './audit-independence.js';
export * from './reorganization.js';
