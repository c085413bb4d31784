import { createBrowserRouter } from 'react-router';
import { AppLayout } from '../layout/app-layout.js';
import { HomePage } from '../modules/home/home-page.js';
import { ChangePasswordPage } from '../modules/identity/change-password-page.js';
import { LoginLayout, LoginStep } from '../modules/identity/login-layout.js';
import { LoginPage } from '../modules/identity/login-page.js';
import { MfaChallengePage } from '../modules/identity/mfa-challenge-page.js';
import { MfaEnrolmentPage } from '../modules/identity/mfa-enrolment-page.js';
import { RequireSession } from '../modules/identity/require-session.js';
import { loginRoutes } from '../modules/identity/session-routes.js';
import { ComingSoonPage } from '../pages/coming-soon-page.js';
import { NotFoundPage } from '../pages/not-found-page.js';
import { RouteErrorPage } from '../pages/route-error-page.js';
import { modulePages, moduleRoutes } from './module-pages.js';
import { modules } from './navigation.js';
import { currentTenantPathPrefix } from './tenant-path.js';

/**
 * Client routes. The server answers every non-API path with index.html, so each of these works
 * when typed into the address bar or reloaded. Modules replace their ComingSoonPage as they land.
 * The login flow (/login…) is outside the shell; everything else needs an active session, and a
 * session that must first change its password or enrol a second factor is sent to that step.
 */
export function createAppRouter() {
  return createBrowserRouter(
    [
      {
        path: loginRoutes.login,
        element: <LoginLayout />,
        errorElement: <RouteErrorPage />,
        children: [
          {
            index: true,
            element: (
              <LoginStep path={loginRoutes.login}>
                <LoginPage />
              </LoginStep>
            ),
          },
          {
            path: loginRoutes.changePassword.slice(loginRoutes.login.length + 1),
            element: (
              <LoginStep path={loginRoutes.changePassword}>
                <ChangePasswordPage />
              </LoginStep>
            ),
          },
          {
            path: loginRoutes.mfaEnrolment.slice(loginRoutes.login.length + 1),
            element: (
              <LoginStep path={loginRoutes.mfaEnrolment}>
                <MfaEnrolmentPage />
              </LoginStep>
            ),
          },
          {
            path: loginRoutes.mfa.slice(loginRoutes.login.length + 1),
            element: (
              <LoginStep path={loginRoutes.mfa}>
                <MfaChallengePage />
              </LoginStep>
            ),
          },
        ],
      },
      {
        path: '/',
        element: (
          <RequireSession>
            <AppLayout />
          </RequireSession>
        ),
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
