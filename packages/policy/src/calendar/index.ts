export * from './business-days.js';
export * from './fiscal-year.js';
export * from './format.js';
export * from './iso-date.js';
export * from './tokyo.js';
export * from './wareki.js';
