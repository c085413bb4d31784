export * from './calendar/index.js';
export * from './pack/index.js';
export * from './organization/index.js';
