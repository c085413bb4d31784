import { Alert, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localizeApiError } from '../../api/client.js';
import { useDownload } from '../../api/download.js';
import { PageHeader } from '../../layout/page-header.js';
import { Section } from '../../layout/section.js';
import { operationLogExportUrl, useOperationLog, type OperationLogFilter } from './api.js';
import { LogEntriesTable } from './log-entries-table.js';
import { LogFilterForm } from './log-filter-form.js';
import { LogReviews } from './log-reviews.js';
import { LogVerification } from './log-verification.js';

/**
 * The operation log for tenant_admin, the chief_security_officer and auditors
 * (std-7.1.6.1–3): filtered entries with their verification state, CSV export,
 * verification against the signed checkpoints, and the periodic reviews.
 */
export function OperationLogPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<OperationLogFilter>({});
  const [encoding, setEncoding] = useState<'utf8-bom' | 'cp932'>('utf8-bom');
  const log = useOperationLog(filter);
  // Fetched, not linked: a refused Shift_JIS export shows its error instead of being saved.
  const download = useDownload();
  const exportUrl = operationLogExportUrl({ ...filter, encoding });
  const entries = log.data?.pages.flatMap((page) => page.entries) ?? [];
  const chainSize = log.data?.pages[0]?.size ?? 0;
  return (
    <>
      <PageHeader title={t('operationLog.title')} description={t('operationLog.description')} />
      <Stack gap="lg">
        <Section title={t('operationLog.entriesHeading')}>
          <Stack gap="md">
            <LogFilterForm onApply={setFilter} />
            <Group align="flex-end" gap="sm">
              <Select
                label={t('operationLog.export.encoding')}
                data={[
                  { value: 'utf8-bom', label: t('operationLog.export.utf8') },
                  { value: 'cp932', label: t('operationLog.export.cp932') },
                ]}
                value={encoding}
                allowDeselect={false}
                onChange={(value) => {
                  setEncoding(value === 'cp932' ? 'cp932' : 'utf8-bom');
                }}
                w={260}
              />
              <Button
                variant="default"
                loading={download.pendingUrl === exportUrl}
                onClick={() => {
                  void download.start(exportUrl, 'operation-log.csv');
                }}
              >
                {t('operationLog.export.download')}
              </Button>
            </Group>
            {download.error !== null && (
              <Alert color="red" role="alert">
                {localizeApiError(download.error, t)}
              </Alert>
            )}
            {log.isError && (
              <Alert color="red" role="alert">
                {localizeApiError(log.error, t)}
              </Alert>
            )}
            {log.data && (
              <Text size="sm" role="status">
                {t('operationLog.shown', { shown: entries.length, size: chainSize })}
              </Text>
            )}
            {entries.length > 0 && <LogEntriesTable entries={entries} />}
            {log.data && entries.length === 0 && <Text>{t('operationLog.empty')}</Text>}
            {log.hasNextPage && (
              <Group>
                <Button
                  variant="default"
                  loading={log.isFetchingNextPage}
                  onClick={() => {
                    void log.fetchNextPage();
                  }}
                >
                  {t('operationLog.more')}
                </Button>
              </Group>
            )}
          </Stack>
        </Section>
        <LogVerification />
        {log.data && <LogReviews chainSize={chainSize} />}
      </Stack>
    </>
  );
}
