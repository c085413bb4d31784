import { z } from 'zod';

/**
 * The flat `resource:action` permission catalogue (house style 3, first
 * layer). Every API route declares one permission (or is public); a test fails
 * when a route declares none. Per-object rules (organizational scope, object
 * state, separation of duties) are the second layer, in each module's
 * `*.policy.ts`.
 */
export const permissions = [
  // Own session and account: any logged-in person.
  'session:self',
  // Mamori's own accounts (tenant_admin).
  'account:read',
  'account:manage',
  // Organization: units, people, memberships (read: every staff member).
  'organization:read',
  'organization:manage',
  'organization:import',
  // Role assignments and delegations of the policy's roles (対策基準2).
  'role_assignment:read',
  'role_assignment:manage',
  'delegation:manage',
  // Information-system register.
  'information_system:read',
  'information_system:manage',
  // Follow-up tasks (own tasks for everyone; others' by scope).
  'task:read',
  'task:manage',
  // Operation log (std-7.1.6): view, verify, record reviews.
  'operation_log:read',
  'operation_log:review',
] as const;

export const permissionSchema = z.enum(permissions);
/** One `resource:action` permission of the catalogue. */
export type Permission = z.infer<typeof permissionSchema>;

/**
 * Which holders get a permission before any per-object rule: `staff` is every
 * logged-in person (and account); the rest are role ids of the glossary,
 * active on the day (a deputy holds the role for the delegation period).
 */
export const permissionGrants: Record<Permission, readonly string[]> = {
  'session:self': ['staff'],
  'account:read': ['tenant_admin'],
  'account:manage': ['tenant_admin'],
  'organization:read': ['staff'],
  'organization:manage': ['tenant_admin'],
  'organization:import': ['tenant_admin'],
  'role_assignment:read': ['staff'],
  // Role grants are privileged (std-7.2.5); reported to the chief_security_officer.
  'role_assignment:manage': ['tenant_admin', 'chief_security_officer'],
  // A holder of an approver role names their own deputy (std-7.2.1.3b); the policy function checks whose.
  'delegation:manage': ['staff'],
  'information_system:read': ['staff'],
  'information_system:manage': ['tenant_admin', 'chief_security_officer'],
  'task:read': ['staff'],
  'task:manage': ['staff'],
  'operation_log:read': ['tenant_admin', 'chief_security_officer', 'audit_lead', 'auditor'],
  'operation_log:review': ['chief_security_officer', 'audit_lead', 'auditor'],
};

/** What the caller may do with one object, computed by the server (the UI shows actions from it). */
export const abilitiesSchema = z.record(z.string(), z.boolean());
export type Abilities = z.infer<typeof abilitiesSchema>;
