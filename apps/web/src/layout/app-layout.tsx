import { Anchor, AppShell, Burger, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { visibleNavigationItems } from '../app/navigation.js';
import { useSession } from '../modules/identity/api.js';
import { UserMenu } from '../modules/identity/user-menu.js';
import { DisplaySettings } from './display-settings.js';
import { TenantName } from './tenant-name.js';

const mainContentId = 'main-content';

function isCurrent(itemPath: string, pathname: string): boolean {
  return itemPath === '/'
    ? pathname === '/'
    : pathname === itemPath || pathname.startsWith(`${itemPath}/`);
}

/** The shell: skip link, header (banner), main menu (navigation) and the page (main). */
export function AppLayout() {
  const { t } = useTranslation();
  const [isNavigationOpen, navigation] = useDisclosure(false);
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const previousPathname = useRef(pathname);
  // Entries whose module needs a permission the session lacks are not offered (std-7.1.6).
  const session = useSession();
  const items = visibleNavigationItems(session.data ?? null);

  // After a client-side navigation, move focus to the new page's heading.
  useEffect(() => {
    if (previousPathname.current === pathname) return;
    previousPathname.current = pathname;
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href={`#${mainContentId}`}>
        {t('a11y.skipToContent')}
      </a>
      <AppShell
        header={{ height: 64 }}
        navbar={{ width: 280, breakpoint: 'sm', collapsed: { mobile: !isNavigationOpen } }}
        padding="lg"
      >
        <AppShell.Header px="md">
          <Group h="100%" justify="space-between" wrap="nowrap" gap="xs">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={isNavigationOpen}
                onClick={navigation.toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={t('a11y.toggleNavigation')}
                aria-controls="main-navigation"
                aria-expanded={isNavigationOpen}
              />
              <Anchor component={Link} to="/" underline="never" c="inherit">
                <Text component="span" fw={700} fz="xl">
                  {t('app.name')}
                </Text>
              </Anchor>
              <Text component="span" size="sm" visibleFrom="xl">
                {t('app.tagline')}
              </Text>
              <TenantName />
            </Group>
            <Group gap="lg" wrap="nowrap">
              <Group visibleFrom="lg">
                <DisplaySettings />
              </Group>
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar id="main-navigation" p="sm" aria-label={t('a11y.mainNavigation')}>
          {/* On narrow screens the switches move from the header into the menu. */}
          <Group hiddenFrom="lg" mb="sm">
            <DisplaySettings />
          </Group>
          {items.map((item) => {
            const isActive = isCurrent(item.path, pathname);
            return (
              <NavLink
                key={item.id}
                component={Link}
                to={item.path}
                label={t(`nav.${item.id}`)}
                active={isActive}
                aria-current={isActive ? 'page' : undefined}
                onClick={navigation.close}
              />
            );
          })}
        </AppShell.Navbar>
        <AppShell.Main id={mainContentId} ref={mainRef} tabIndex={-1}>
          <Outlet />
        </AppShell.Main>
      </AppShell>
    </>
  );
}
