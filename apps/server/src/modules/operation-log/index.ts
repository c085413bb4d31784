export { operationLogRoutes } from './operation-log.routes.js';
