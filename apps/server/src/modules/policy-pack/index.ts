export { policyPackRoutes } from './policy-pack.routes.js';
