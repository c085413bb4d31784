import { createBrowserRouter } from 'react-router';
import { AppLayout } from '../layout/app-layout.js';
import { HomePage } from '../modules/home/home-page.js';
import { ComingSoonPage } from '../pages/coming-soon-page.js';
import { NotFoundPage } from '../pages/not-found-page.js';
import { RouteErrorPage } from '../pages/route-error-page.js';
import { modulePages, moduleRoutes } from './module-pages.js';
import { modules } from './navigation.js';
import { currentTenantPathPrefix } from './tenant-path.js';

/**
 * Client routes. The server answers every non-API path with index.html, so each of these works
 * when typed into the address bar or reloaded. Modules replace their ComingSoonPage as they land.
 */
export function createAppRouter() {
  return createBrowserRouter(
    [
      {
        path: '/',
        element: <AppLayout />,
        errorElement: <RouteErrorPage />,
        children: [
          { index: true, element: <HomePage /> },
          ...modules.map(({ id, path }) => ({
            path: path.slice(1),
            element: modulePages[id] ?? <ComingSoonPage moduleId={id} />,
          })),
          ...moduleRoutes.map(({ path, element }) => ({ path: path.slice(1), element })),
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
    { basename: currentTenantPathPrefix() || '/' },
  );
}
