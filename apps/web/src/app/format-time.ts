import { formatDate, tokyoTimeZone, type CalendarStyle } from '@mamori/policy';
import type { Language } from '../preferences/preferences.js';

const timeFormats: Record<Language, Intl.DateTimeFormat> = {
  ja: new Intl.DateTimeFormat('ja-JP', { timeZone: tokyoTimeZone, timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: tokyoTimeZone, timeStyle: 'short' }),
};

/** A time of day in Asia/Tokyo (times are stored in UTC and always shown in Tokyo time). */
export function formatTime(date: Date | number, language: Language): string {
  return timeFormats[language].format(date);
}

/**
 * A moment (an ISO timestamp from the API) as date and time in Asia/Tokyo, the date in the
 * user's style (西暦 / 和暦): 「令和8年11月25日 10:05」, "2026-11-25 10:05".
 */
export function formatDateTime(
  value: Date | string,
  options: { readonly calendar: CalendarStyle; readonly language: Language },
): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  return `${formatDate(date, { calendar: options.calendar, locale: options.language })} ${formatTime(date, options.language)}`;
}
