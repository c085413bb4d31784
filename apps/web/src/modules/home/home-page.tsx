import { SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../layout/page-header.js';
import { PreviousLoginNotice } from '../identity/previous-login-notice.js';
import { HealthStatus } from './health-status.js';
import { TodayCard } from './today-card.js';

export function HomePage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('home.title')} description={t('home.intro')} />
      <PreviousLoginNotice />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" maw={1000}>
        <TodayCard />
        <HealthStatus />
      </SimpleGrid>
    </>
  );
}
