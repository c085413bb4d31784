import { Button, Container, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useRouteError } from 'react-router';
import { PageHeader } from '../layout/page-header.js';

/** Shown when a screen fails to render: a message and a way out instead of a blank page. */
export function RouteErrorPage() {
  const { t } = useTranslation();
  const error = useRouteError();
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <Container component="main" py="xl">
      <PageHeader title={t('appError.title')} />
      <Text mb="md">{t('appError.body')}</Text>
      <Button
        onClick={() => {
          window.location.reload();
        }}
      >
        {t('appError.reload')}
      </Button>
    </Container>
  );
}
