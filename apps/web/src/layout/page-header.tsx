import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * A page's `<h1>` and its document title. The heading takes focus after client-side navigation
 * (see AppLayout), so screen readers announce the new page (WCAG 2.4.2, 2.4.3).
 */
export function PageHeader({ title, description }: { title: string; description?: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" mb="lg">
      <title>{t('app.pageTitle', { page: title })}</title>
      <Title order={1} className="page-heading" tabIndex={-1}>
        {title}
      </Title>
      {description !== undefined && <Text>{description}</Text>}
    </Stack>
  );
}
