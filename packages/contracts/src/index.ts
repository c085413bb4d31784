export * from './errors.js';
export * from './health.js';
export * from './identity.js';
export * from './operation-log.js';
export * from './permissions.js';
export * from './text.js';
export * from './tenancy.js';
