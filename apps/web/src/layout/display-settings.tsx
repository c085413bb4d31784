import { Group, SegmentedControl, Text } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { languageOf } from '../i18n/index.js';
import { setCalendarStyle, useCalendarStyle } from '../preferences/calendar-style.js';
import { isCalendarStyle, isLanguage } from '../preferences/preferences.js';

/** Language (日本語 / English) and date style (西暦 / 和暦) switches, each with a visible label. */
export function DisplaySettings() {
  const { t, i18n } = useTranslation();
  const calendarStyle = useCalendarStyle();
  const languageLabelId = useId();
  const dateStyleLabelId = useId();
  return (
    <Group gap="md" wrap="wrap" role="group" aria-label={t('a11y.displaySettings')}>
      <Group gap={6} wrap="nowrap">
        <Text component="span" size="xs" fw={700} id={languageLabelId}>
          {t('language.label')}
        </Text>
        <SegmentedControl
          size="xs"
          aria-labelledby={languageLabelId}
          value={languageOf(i18n)}
          onChange={(value) => {
            if (isLanguage(value)) void i18n.changeLanguage(value);
          }}
          data={[
            // Each language names itself, marked with its own lang (WCAG 3.1.2).
            { value: 'ja', label: <span lang="ja">{t('language.ja')}</span> },
            { value: 'en', label: <span lang="en">{t('language.en')}</span> },
          ]}
        />
      </Group>
      <Group gap={6} wrap="nowrap">
        <Text component="span" size="xs" fw={700} id={dateStyleLabelId}>
          {t('dateStyle.label')}
        </Text>
        <SegmentedControl
          size="xs"
          aria-labelledby={dateStyleLabelId}
          value={calendarStyle}
          onChange={(value) => {
            if (isCalendarStyle(value)) setCalendarStyle(value);
          }}
          data={[
            { value: 'gregorian', label: t('dateStyle.gregorian') },
            { value: 'wareki', label: t('dateStyle.wareki') },
          ]}
        />
      </Group>
    </Group>
  );
}
