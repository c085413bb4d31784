import type { ReactNode } from 'react';
import { AccountsPage } from '../modules/identity/accounts-page.js';
import { SecurityPage } from '../modules/identity/security-page.js';
import { identityRoutes } from '../modules/identity/session-routes.js';
import { SettingsPage } from '../modules/identity/settings-page.js';
import { OperationLogPage } from '../modules/operation-log/operation-log-page.js';
import { ImportPage } from '../modules/organization/import-page.js';
import { OrganizationPage } from '../modules/organization/organization-page.js';
import { PersonPage } from '../modules/organization/person-page.js';
import { ReorganizationsPage } from '../modules/organization/reorganizations-page.js';
import { RoleOverviewPage } from '../modules/organization/role-overview-page.js';
import { UnitPage } from '../modules/organization/unit-page.js';
import { VocabularyGate } from '../modules/organization/vocabulary-gate.js';
import { TasksPage } from '../modules/tasks/tasks-page.js';
import type { ModuleId } from './navigation.js';

/**
 * The page of each module that has landed; the others show ComingSoonPage. A module may add
 * sub-routes (e.g. `/organization/units/:unitId`) in `moduleRoutes`.
 */
export const modulePages: Partial<Record<ModuleId, ReactNode>> = {
  operation_log: <OperationLogPage />,
  organization: (
    <VocabularyGate>
      <OrganizationPage />
    </VocabularyGate>
  ),
  task: <TasksPage />,
  settings: <SettingsPage />,
};

/** Further routes of landed modules, relative to the app root. */
export const moduleRoutes: readonly { path: string; element: ReactNode }[] = [
  {
    path: '/organization/units/:unitId',
    element: (
      <VocabularyGate>
        <UnitPage />
      </VocabularyGate>
    ),
  },
  {
    path: '/organization/people/:personId',
    element: (
      <VocabularyGate>
        <PersonPage />
      </VocabularyGate>
    ),
  },
  {
    path: '/organization/roles',
    element: (
      <VocabularyGate>
        <RoleOverviewPage />
      </VocabularyGate>
    ),
  },
  {
    path: '/organization/import',
    element: (
      <VocabularyGate>
        <ImportPage />
      </VocabularyGate>
    ),
  },
  {
    path: '/organization/reorganizations',
    element: (
      <VocabularyGate>
        <ReorganizationsPage />
      </VocabularyGate>
    ),
  },
  { path: identityRoutes.security, element: <SecurityPage /> },
  { path: identityRoutes.accounts, element: <AccountsPage /> },
];
