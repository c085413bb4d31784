/**
 * The organization module's public surface (other modules import only this).
 *
 * Resolution (approvals, incidents, checks): `organizationSnapshot` loads the
 * organization of a date into the pure OrgSnapshot of @mamori/policy; the
 * wrappers resolve the holder of a day (the deputy during a delegation).
 */
export {
  incidentRecipients,
  loadOrgRows,
  organizationSnapshot,
  rolesOfAccount,
  securityManagerOfPerson,
  securityOfficerOfUnit,
  systemManagerOfSystem,
  tokyoDateOf,
  toDelegation,
  toRoleAssignment,
  type OrgPack,
} from './snapshot.service.js';
export { linkAccountToPerson } from './people.service.js';
export { roleHoldersOn } from './roles.service.js';
export { callerReach, canViewPersonDetails, type CallerReach } from './organization.policy.js';
export { organizationRoutes } from './organization.routes.js';
export { roleRoutes } from './roles.routes.js';
export { organizationTaskDirectory } from './task-directory.js';
