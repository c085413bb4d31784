import { Alert, Box, Center, Container, Group, Loader, Paper, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { localizeApiError } from '../../api/client.js';
import { DisplaySettings } from '../../layout/display-settings.js';
import { TenantName } from '../../layout/tenant-name.js';
import { useSession } from './api.js';
import { loginStepPath, safeReturnPath } from './session-routes.js';

/** A loading state that screen readers announce. */
export function PageLoader() {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status">
      <Loader aria-hidden />
      <Text ml="sm">{t('identity.loading')}</Text>
    </Center>
  );
}

/**
 * The frame of the login flow (login, password change, MFA enrolment, second factor): the app's
 * name and the display switches, without the menu, which only an active session gets.
 */
export function LoginLayout() {
  const { t } = useTranslation();
  return (
    <>
      <Box
        component="header"
        px="md"
        py="sm"
        style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
      >
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="sm">
            <Text component="span" fw={700} fz="xl">
              {t('app.name')}
            </Text>
            <TenantName />
          </Group>
          <DisplaySettings />
        </Group>
      </Box>
      <Container component="main" id="main-content" size={560} py="xl">
        <Paper withBorder p="xl" radius="md">
          <Outlet />
        </Paper>
      </Container>
    </>
  );
}

/**
 * Shows a login step only to a session in that step; any other session goes where its state
 * says (an active one to the app).
 */
export function LoginStep({ path, children }: { path: string; children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <PageLoader />;
  if (session.isError) {
    return (
      <Alert color="red" role="alert">
        {localizeApiError(session.error, t)}
      </Alert>
    );
  }
  const target = loginStepPath(session.data);
  if (target === path) return children;
  if (target === null) {
    const from: unknown = (location.state as { from?: unknown } | null)?.from;
    return <Navigate to={safeReturnPath(from)} replace />;
  }
  return <Navigate to={target} replace state={location.state as unknown} />;
}
