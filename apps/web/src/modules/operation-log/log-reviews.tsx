import { toTokyoDate } from '@mamori/policy';
import {
  Alert,
  Button,
  Group,
  NumberInput,
  Radio,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { localizeApiError } from '../../api/client.js';
import { formatDateTime } from '../../app/format-time.js';
import { languageOf } from '../../i18n/index.js';
import { Section } from '../../layout/section.js';
import { useCalendarStyle } from '../../preferences/calendar-style.js';
import { useLogReviews, useRecordLogReview } from './api.js';

/** The periodic reviews of the log (std-7.1.6.3): who reviewed which range, when, with what findings. */
export function LogReviews({ chainSize }: { chainSize: number }) {
  const { t, i18n } = useTranslation();
  const calendar = useCalendarStyle();
  const language = languageOf(i18n);
  const reviews = useLogReviews();
  return (
    <Section title={t('operationLog.reviews.heading')}>
      <Stack gap="sm">
        {reviews.isError && (
          <Alert color="red" role="alert">
            {localizeApiError(reviews.error, t)}
          </Alert>
        )}
        {reviews.data && (
          <>
            <Text size="sm" data-testid="next-review-due">
              {reviews.data.nextDueDate === null
                ? t('operationLog.reviews.noneYet')
                : t('operationLog.reviews.nextDue', { date: reviews.data.nextDueDate })}
            </Text>
            {reviews.data.reviews.length > 0 && (
              <Table.ScrollContainer minWidth={700}>
                <Table data-testid="log-reviews-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('operationLog.reviews.reviewedAt')}</Table.Th>
                      <Table.Th scope="col">{t('operationLog.reviews.reviewer')}</Table.Th>
                      <Table.Th scope="col">{t('operationLog.reviews.period')}</Table.Th>
                      <Table.Th scope="col">{t('operationLog.reviews.range')}</Table.Th>
                      <Table.Th scope="col">{t('operationLog.reviews.result')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {reviews.data.reviews.map((review) => (
                      <Table.Tr key={review.id}>
                        <Table.Td>
                          {formatDateTime(review.reviewedAt, { calendar, language })}
                        </Table.Td>
                        <Table.Td>{review.reviewerName ?? review.reviewedBy}</Table.Td>
                        <Table.Td>
                          {review.periodFrom} – {review.periodTo}
                        </Table.Td>
                        <Table.Td>
                          {review.fromSeq} – {review.toSeq}
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">
                            {t(`operationLog.reviews.results.${review.result}`)}
                          </Text>
                          {review.findings !== '' && (
                            <Text size="xs" c="dimmed">
                              {review.findings}
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </>
        )}
        <RecordReviewForm chainSize={chainSize} />
      </Stack>
    </Section>
  );
}

function RecordReviewForm({ chainSize }: { chainSize: number }) {
  const { t } = useTranslation();
  const record = useRecordLogReview();
  const today = toTokyoDate(new Date());
  const [periodFrom, setPeriodFrom] = useState(today);
  const [periodTo, setPeriodTo] = useState(today);
  const [fromSeq, setFromSeq] = useState<number | string>(1);
  const [toSeq, setToSeq] = useState<number | string>(Math.max(chainSize, 1));
  const [result, setResult] = useState<'no_issues' | 'findings'>('no_issues');
  const [findings, setFindings] = useState('');
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    record.mutate({
      periodFrom,
      periodTo,
      fromSeq: Number(fromSeq),
      toSeq: Number(toSeq),
      result,
      findings,
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="record-review-heading">
      <Title order={3} size="h4" id="record-review-heading" mb="xs">
        {t('operationLog.reviews.record')}
      </Title>
      <Stack gap="xs">
        <Group gap="sm" wrap="wrap">
          <TextInput
            type="date"
            label={t('operationLog.reviews.periodFrom')}
            value={periodFrom}
            onChange={(event) => {
              setPeriodFrom(event.currentTarget.value);
            }}
            required
          />
          <TextInput
            type="date"
            label={t('operationLog.reviews.periodTo')}
            value={periodTo}
            onChange={(event) => {
              setPeriodTo(event.currentTarget.value);
            }}
            required
          />
          <NumberInput
            label={t('operationLog.reviews.fromSeq')}
            min={1}
            value={fromSeq}
            onChange={setFromSeq}
            required
          />
          <NumberInput
            label={t('operationLog.reviews.toSeq')}
            min={1}
            value={toSeq}
            onChange={setToSeq}
            required
          />
        </Group>
        <Radio.Group
          label={t('operationLog.reviews.result')}
          value={result}
          onChange={(value) => {
            setResult(value === 'findings' ? 'findings' : 'no_issues');
          }}
        >
          <Group gap="md" mt={4}>
            <Radio value="no_issues" label={t('operationLog.reviews.results.no_issues')} />
            <Radio value="findings" label={t('operationLog.reviews.results.findings')} />
          </Group>
        </Radio.Group>
        <Textarea
          label={t('operationLog.reviews.findings')}
          description={t('operationLog.reviews.findingsHint')}
          value={findings}
          required={result === 'findings'}
          onChange={(event) => {
            setFindings(event.currentTarget.value);
          }}
        />
        {record.isError && (
          <Alert color="red" role="alert">
            {localizeApiError(record.error, t)}
          </Alert>
        )}
        {record.isSuccess && (
          <Alert color="teal" role="status">
            {t('operationLog.reviews.recorded', { seq: record.data.logSeq })}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={record.isPending}>
            {t('operationLog.reviews.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
