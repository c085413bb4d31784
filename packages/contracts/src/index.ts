export * from './errors.js';
export * from './health.js';
export * from './text.js';
export * from './tenancy.js';
