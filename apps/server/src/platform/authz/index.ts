export * from './caller.js';
export * from './permission-check.js';
export * from './route-guard.js';
