/**
 * The modules of the app, in menu order. Ids are the glossary's identifiers and name the i18n
 * keys (`nav.<id>`); paths are their kebab-case plurals.
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
  { id: 'operation_log', path: '/operation-log' },
  { id: 'settings', path: '/settings' },
] as const;

export type ModuleId = (typeof modules)[number]['id'];

/** Menu entries: home first, then the modules. */
export const navigationItems: readonly { id: 'home' | ModuleId; path: string }[] = [
  { id: 'home', path: '/' },
  ...modules,
];
