import { Alert, Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { localizeApiError } from '../../api/client.js';
import { usePackVocabulary } from './pack-vocabulary.js';

/**
 * Renders an organization page once the tenant's pack vocabulary (role titles, unit kinds) is
 * loaded, so a page never shows the raw ids (`department`, `security_manager`) first.
 */
export function VocabularyGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const vocabulary = usePackVocabulary();
  if (vocabulary.isError) {
    return (
      <Alert color="red" role="alert">
        {localizeApiError(vocabulary.error, t)}
      </Alert>
    );
  }
  if (vocabulary.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t('organization.loading')} />
      </Center>
    );
  }
  return children;
}
