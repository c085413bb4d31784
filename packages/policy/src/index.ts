export * from './calendar/index.js';
export * from './pack/index.js';
