import type { OperationLogEntryDto } from '@mamori/contracts';
import { Badge, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format-time.js';
import { languageOf } from '../../i18n/index.js';
import { useCalendarStyle } from '../../preferences/calendar-style.js';

/** Entries of the log, each with its verification and checkpoint state. */
export function LogEntriesTable({ entries }: { entries: readonly OperationLogEntryDto[] }) {
  const { t, i18n } = useTranslation();
  const calendar = useCalendarStyle();
  const language = languageOf(i18n);
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover data-testid="operation-log-table">
        <Table.Caption>{t('operationLog.table.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('operationLog.table.seq')}</Table.Th>
            <Table.Th scope="col">{t('operationLog.table.time')}</Table.Th>
            <Table.Th scope="col">{t('operationLog.table.actor')}</Table.Th>
            <Table.Th scope="col">{t('operationLog.table.action')}</Table.Th>
            <Table.Th scope="col">{t('operationLog.table.subject')}</Table.Th>
            <Table.Th scope="col">{t('operationLog.table.verification')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.seq} data-seq={entry.seq}>
              <Table.Td>{entry.seq}</Table.Td>
              <Table.Td>{formatDateTime(entry.loggedAt, { calendar, language })}</Table.Td>
              <Table.Td>
                <Text size="sm">{entry.actorName ?? entry.actorId}</Text>
                <Text size="xs" c="dimmed">
                  {t(`operationLog.actorType.${entry.actorType}`)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {entry.action}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{entry.subjectType}</Text>
                <Text size="xs" c="dimmed" ff="monospace">
                  {entry.subjectId}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge color={entry.verification === 'verified' ? 'teal.9' : 'red.9'}>
                  {t(`operationLog.verification.${entry.verification}`)}
                </Badge>{' '}
                <Badge variant="outline" color={entry.checkpointed ? 'blue.9' : 'gray.8'}>
                  {t(
                    entry.checkpointed
                      ? 'operationLog.checkpoint.signed'
                      : 'operationLog.checkpoint.unsigned',
                  )}
                </Badge>
                {entry.payloadErased && (
                  <Text size="xs" c="dimmed">
                    {t('operationLog.payloadErased')}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
