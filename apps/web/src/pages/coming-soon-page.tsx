import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ModuleId } from '../app/navigation.js';
import { PageHeader } from '../layout/page-header.js';

/** A module that is not built yet: its title and a 準備中 notice, never a blank page. */
export function ComingSoonPage({ moduleId }: { moduleId: ModuleId }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t(`nav.${moduleId}`)} />
      {/* A standing notice, not an alert: nothing to announce the moment the page opens. */}
      <Alert variant="light" color="blue" title={t('comingSoon.heading')} maw={720} role="note">
        {t('comingSoon.body')}
      </Alert>
    </>
  );
}
