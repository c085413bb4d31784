import { Anchor, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from './api.js';
import { LogoutButton } from './logout-button.js';
import { identityRoutes } from './session-routes.js';

/** The logged-in user in the header: name, the security settings and logout. */
export function UserMenu() {
  const { t } = useTranslation();
  const session = useSession();
  if (session.data == null) return null;
  return (
    <Group gap="sm" wrap="nowrap" role="group" aria-label={t('identity.userMenu.label')}>
      <Text component="span" size="sm" fw={700} data-testid="user-name">
        {session.data.account.displayName}
      </Text>
      <Anchor component={Link} to={identityRoutes.security} size="sm">
        {t('identity.security.title')}
      </Anchor>
      <LogoutButton variant="default" size="xs" />
    </Group>
  );
}
