import { Alert, Button, Container, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { localizeApiError } from '../../api/client.js';
import { endedByLogout, useSession } from './api.js';
import { PageLoader } from './login-layout.js';
import { loginStepPath, safeReturnPath } from './session-routes.js';

/**
 * The app only for an active session: none → the login page (remembering where the user was
 * going); a temporary password or a missing second factor → that login step (std-7.2.4.2,
 * std-5.4.2).
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <PageLoader />;
  if (session.isError) {
    return (
      <Container component="main" py="xl">
        <Stack>
          <Alert color="red" role="alert">
            {localizeApiError(session.error, t)}
          </Alert>
          <Button
            variant="default"
            onClick={() => {
              void session.refetch();
            }}
          >
            {t('identity.retry')}
          </Button>
        </Stack>
      </Container>
    );
  }
  const target = loginStepPath(session.data);
  if (target !== null) {
    if (endedByLogout()) return <Navigate to={target} replace />;
    const from = safeReturnPath(`${location.pathname}${location.search}`);
    return <Navigate to={target} replace state={{ from }} />;
  }
  return children;
}
