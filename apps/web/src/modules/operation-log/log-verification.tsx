import { Alert, Button, Group, List, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localizeApiError } from '../../api/client.js';
import { formatDateTime } from '../../app/format-time.js';
import { languageOf } from '../../i18n/index.js';
import { Section } from '../../layout/section.js';
import { useCalendarStyle } from '../../preferences/calendar-style.js';
import { useVerifyOperationLog } from './api.js';

/**
 * Verifies the chain, its signed checkpoints and anchored records
 * (std-7.1.4.2, std-10.1.6), optionally against a checkpoint file kept elsewhere.
 */
export function LogVerification() {
  const { t, i18n } = useTranslation();
  const calendar = useCalendarStyle();
  const language = languageOf(i18n);
  const verify = useVerifyOperationLog();
  const [checkpointsText, setCheckpointsText] = useState('');
  const result = verify.data;
  return (
    <Section title={t('operationLog.verify.heading')}>
      <Stack gap="sm">
        <Text size="sm">{t('operationLog.verify.description')}</Text>
        <Textarea
          label={t('operationLog.verify.checkpointsLabel')}
          description={t('operationLog.verify.checkpointsHint')}
          autosize
          minRows={2}
          maxRows={8}
          value={checkpointsText}
          onChange={(event) => {
            setCheckpointsText(event.currentTarget.value);
          }}
        />
        <Group>
          <Button
            loading={verify.isPending}
            onClick={() => {
              verify.mutate(checkpointsText.trim() === '' ? undefined : checkpointsText);
            }}
          >
            {t('operationLog.verify.run')}
          </Button>
        </Group>
        {verify.isError && (
          <Alert color="red" role="alert">
            {localizeApiError(verify.error, t)}
          </Alert>
        )}
        {result && (
          <Alert
            color={result.ok ? 'teal' : 'red'}
            role="status"
            data-testid="verification-result"
            data-ok={result.ok}
            title={
              // The default light-variant title colour is below 4.5:1 on its background.
              <Text component="span" fw={700} c="dark.9">
                {t(result.ok ? 'operationLog.verify.ok' : 'operationLog.verify.failed')}
              </Text>
            }
          >
            <Text size="sm">
              {t('operationLog.verify.summary', {
                size: result.size,
                checkpoints: result.checkpointsChecked,
                fileCheckpoints: result.fileCheckpointsChecked,
                records: result.recordsChecked,
                time: formatDateTime(result.verifiedAt, { calendar, language }),
              })}
            </Text>
            {result.headHash !== null && (
              <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                {t('operationLog.verify.head', { hash: result.headHash })}
              </Text>
            )}
            {(result.problems.length > 0 || result.fileProblems.length > 0) && (
              <List size="sm" mt="xs">
                {result.problems.map((problem) => (
                  <List.Item key={`${problem.kind}-${String(problem.seq)}`}>
                    {t('operationLog.verify.problem', {
                      seq: problem.seq,
                      kind: t(`operationLog.problemKind.${problem.kind}`),
                    })}
                    {problem.record && ` (${problem.record.type} ${problem.record.id})`}
                  </List.Item>
                ))}
                {result.fileProblems.map((problem) => (
                  <List.Item key={problem}>{problem}</List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
      </Stack>
    </Section>
  );
}
