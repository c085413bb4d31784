import { useTranslation } from 'react-i18next';
import { languageOf } from '../i18n/index.js';
import { useCalendarStyle } from '../preferences/calendar-style.js';
import { formatDateTime } from './format-time.js';

/** Formats API timestamps as date and time in Asia/Tokyo, in the user's language and date style. */
export function useDateTimeFormat(): (value: Date | string) => string {
  const { i18n } = useTranslation();
  const calendar = useCalendarStyle();
  const language = languageOf(i18n);
  return (value) => formatDateTime(value, { calendar, language });
}
