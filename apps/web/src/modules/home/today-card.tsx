import {
  fiscalYearOf,
  fiscalYearRange,
  formatDate,
  formatFiscalYear,
  toTokyoDate,
} from '@mamori/policy';
import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNow } from '../../app/use-now.js';
import { languageOf } from '../../i18n/index.js';
import { Section } from '../../layout/section.js';
import { useCalendarStyle } from '../../preferences/calendar-style.js';

/** Today's date and the current 年度 (Asia/Tokyo), in the user's date style. */
export function TodayCard() {
  const { t, i18n } = useTranslation();
  const calendar = useCalendarStyle();
  const locale = languageOf(i18n);
  const today = toTokyoDate(useNow());
  const fiscalYear = fiscalYearOf(today);
  const range = fiscalYearRange(fiscalYear);
  const options = { calendar, locale } as const;
  return (
    <Section title={t('home.calendarHeading')}>
      <Stack gap="sm" component="dl" m={0}>
        <div>
          <Text component="dt" size="sm" fw={700}>
            {t('home.today')}
          </Text>
          <Text component="dd" m={0} fz="lg" data-testid="today">
            <time dateTime={today}>{formatDate(today, options)}</time>
          </Text>
        </div>
        <div>
          <Text component="dt" size="sm" fw={700}>
            {t('home.fiscalYear')}
          </Text>
          <Text component="dd" m={0} fz="lg" data-testid="fiscal-year">
            {formatFiscalYear(fiscalYear, calendar, locale)}
          </Text>
          <Text component="dd" m={0} size="sm">
            {t('home.fiscalYearRange', {
              start: formatDate(range.start, options),
              end: formatDate(range.end, options),
            })}
          </Text>
        </div>
      </Stack>
    </Section>
  );
}
