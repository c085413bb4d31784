import { Anchor, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';

/** The organization pages, as links under the page heading. */
export const organizationRoutes = {
  home: '/organization',
  unit: (unitId: string) => `/organization/units/${encodeURIComponent(unitId)}`,
  person: (personId: string) => `/organization/people/${encodeURIComponent(personId)}`,
  roles: '/organization/roles',
  reorganizations: '/organization/reorganizations',
  import: '/organization/import',
  tasks: '/tasks',
} as const;

const links = [
  { path: organizationRoutes.home, key: 'tree' },
  { path: organizationRoutes.roles, key: 'roles' },
  { path: organizationRoutes.reorganizations, key: 'reorganizations' },
  { path: organizationRoutes.import, key: 'import' },
  { path: organizationRoutes.tasks, key: 'tasks' },
] as const;

export function OrgSubnav() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <nav aria-label={t('organization.subnav.label')}>
      <Group gap="lg" mb="md" wrap="wrap">
        {links.map((link) => (
          <Anchor
            key={link.key}
            component={Link}
            to={link.path}
            aria-current={pathname === link.path ? 'page' : undefined}
            fw={pathname === link.path ? 700 : undefined}
          >
            {t(`organization.subnav.${link.key}`)}
          </Anchor>
        ))}
      </Group>
    </nav>
  );
}
