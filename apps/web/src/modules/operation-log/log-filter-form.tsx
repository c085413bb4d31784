import { Button, Group, TextInput } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperationLogFilter } from './api.js';

const fields = ['fromDate', 'toDate', 'actorId', 'action', 'subjectType', 'subjectId'] as const;
type Field = (typeof fields)[number];

/** The viewer's filter: date range (Asia/Tokyo days), actor, action, subject. */
export function LogFilterForm({ onApply }: { onApply: (filter: OperationLogFilter) => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Record<Field, string>>({
    fromDate: '',
    toDate: '',
    actorId: '',
    action: '',
    subjectType: '',
    subjectId: '',
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const filter: OperationLogFilter = {};
    for (const field of fields) {
      const value = values[field].trim();
      if (value !== '') filter[field] = value;
    }
    onApply(filter);
  };
  return (
    <form onSubmit={submit} aria-label={t('operationLog.filter.label')}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        {fields.map((field) => (
          <TextInput
            key={field}
            label={t(`operationLog.filter.${field}`)}
            type={field === 'fromDate' || field === 'toDate' ? 'date' : 'text'}
            value={values[field]}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setValues((current) => ({ ...current, [field]: value }));
            }}
            w={field === 'fromDate' || field === 'toDate' ? 170 : 200}
          />
        ))}
        <Button type="submit">{t('operationLog.filter.apply')}</Button>
      </Group>
    </form>
  );
}
