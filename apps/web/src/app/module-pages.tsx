import type { ReactNode } from 'react';
import { OperationLogPage } from '../modules/operation-log/operation-log-page.js';
import type { ModuleId } from './navigation.js';

/**
 * The page of each module that has landed; the others show ComingSoonPage. A module may add
 * sub-routes (e.g. `/organization/units/:unitId`) in `moduleRoutes`.
 */
export const modulePages: Partial<Record<ModuleId, ReactNode>> = {
  operation_log: <OperationLogPage />,
};

/** Further routes of landed modules, relative to the app root. */
export const moduleRoutes: readonly { path: string; element: ReactNode }[] = [];
