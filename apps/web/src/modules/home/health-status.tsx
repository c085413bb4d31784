import { Box, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { localizeApiError } from '../../api/client.js';
import { useHealth } from '../../api/health.js';
import { formatTime } from '../../app/format-time.js';
import { languageOf } from '../../i18n/index.js';
import { Section } from '../../layout/section.js';

function StatusDot({ color }: { color: string }) {
  return (
    <Box component="span" aria-hidden w={12} h={12} bg={color} style={{ borderRadius: '50%' }} />
  );
}

/** System status from GET /api/health, announced politely to screen readers when it changes. */
export function HealthStatus() {
  const { t, i18n } = useTranslation();
  const health = useHealth();
  const checkedAt = Math.max(health.dataUpdatedAt, health.errorUpdatedAt);
  const status = health.isPending ? 'checking' : health.isError ? 'error' : 'ok';
  return (
    <Section title={t('health.heading')}>
      <Stack gap="xs" role="status" data-testid="health-status" data-status={status}>
        {status === 'checking' && (
          <Group gap="xs">
            <Loader size="xs" aria-hidden />
            <Text>{t('health.checking')}</Text>
          </Group>
        )}
        {status === 'ok' && (
          <>
            <Group gap="xs">
              <StatusDot color="teal.7" />
              <Text fw={700}>{t('health.ok')}</Text>
            </Group>
            <Text size="sm">{t('health.okDescription')}</Text>
          </>
        )}
        {status === 'error' && (
          <>
            <Group gap="xs">
              <StatusDot color="red.8" />
              <Text fw={700}>{t('health.failed')}</Text>
            </Group>
            <Text size="sm">{localizeApiError(health.error, t)}</Text>
          </>
        )}
      </Stack>
      {/* Outside the live region: a new time alone is not worth announcing. */}
      {checkedAt > 0 && (
        <Text size="sm" c="dimmed" mt="xs">
          {t('health.checkedAt', { time: formatTime(checkedAt, languageOf(i18n)) })}
        </Text>
      )}
      <Group mt="md">
        <Button
          variant="default"
          size="xs"
          loading={health.isFetching}
          onClick={() => {
            void health.refetch();
          }}
        >
          {t('health.recheck')}
        </Button>
      </Group>
    </Section>
  );
}
