import type { Permission, SessionInfo } from '@mamori/contracts';
import { sessionHasPermission } from '../modules/identity/session-routes.js';

/** One menu entry; `permission`: shown only to a session that holds it (the server decides). */
export interface NavigationItem {
  readonly id: 'home' | ModuleId;
  readonly path: string;
  readonly permission?: Permission;
}

/**
 * The modules of the app, in menu order. Ids are the glossary's identifiers and name the i18n
 * keys (`nav.<id>`); paths are their kebab-case plurals. A module whose pages all need a
 * permission names it, so the menu does not offer what the server would refuse.
 */
export const modules = [
  { id: 'information_asset', path: '/information-assets' },
  { id: 'incident', path: '/incidents' },
  { id: 'approval', path: '/approvals' },
  { id: 'organization', path: '/organization' },
  { id: 'task', path: '/tasks' },
  { id: 'audit', path: '/audits' },
  { id: 'exception', path: '/exceptions' },
  { id: 'report', path: '/reports' },
  // std-7.1.6: the operation log is for its reviewers and auditors only.
  { id: 'operation_log', path: '/operation-log', permission: 'operation_log:read' },
  { id: 'settings', path: '/settings' },
] as const satisfies readonly { id: string; path: string; permission?: Permission }[];

export type ModuleId = (typeof modules)[number]['id'];

/** Menu entries: home first, then the modules. */
export const navigationItems: readonly NavigationItem[] = [{ id: 'home', path: '/' }, ...modules];

/** The menu entries the session may open: those without a permission, and those it holds. */
export function visibleNavigationItems(
  session: SessionInfo | null,
  items: readonly NavigationItem[] = navigationItems,
): NavigationItem[] {
  return items.filter(
    (item) => item.permission === undefined || sessionHasPermission(session, item.permission),
  );
}
