import { tokyoTimeZone } from '@mamori/policy';
import type { Language } from '../preferences/preferences.js';

const timeFormats: Record<Language, Intl.DateTimeFormat> = {
  ja: new Intl.DateTimeFormat('ja-JP', { timeZone: tokyoTimeZone, timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: tokyoTimeZone, timeStyle: 'short' }),
};

/** A time of day in Asia/Tokyo (times are stored in UTC and always shown in Tokyo time). */
export function formatTime(date: Date | number, language: Language): string {
  return timeFormats[language].format(date);
}
