import { Anchor, Card, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../../layout/page-header.js';
import { useSession } from './api.js';
import { identityRoutes, sessionHasPermission } from './session-routes.js';

/** 設定: the settings pages the caller may open (administration only with its permission). */
export function SettingsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const entries = [
    {
      path: identityRoutes.security,
      title: t('identity.security.title'),
      body: t('identity.security.intro'),
      shown: true,
    },
    {
      path: identityRoutes.accounts,
      title: t('identity.accounts.title'),
      body: t('identity.accounts.intro'),
      shown: sessionHasPermission(session.data ?? null, 'account:read'),
    },
  ];
  return (
    <>
      <PageHeader title={t('nav.settings')} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" maw={1000}>
        {entries
          .filter((entry) => entry.shown)
          .map((entry) => (
            <Card key={entry.path} withBorder padding="lg">
              <Anchor component={Link} to={entry.path} fw={700} fz="lg">
                {entry.title}
              </Anchor>
              <Text size="sm" mt="xs">
                {entry.body}
              </Text>
            </Card>
          ))}
      </SimpleGrid>
    </>
  );
}
