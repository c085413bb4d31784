import type { CalendarStyle } from '@mamori/policy';
import { readStored, type KeyValueStorage } from './storage.js';

/** UI languages: Japanese first, English second. */
export const languages = ['ja', 'en'] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = 'ja';

export const calendarStyles = ['gregorian', 'wareki'] as const satisfies readonly CalendarStyle[];
export const defaultCalendarStyle: CalendarStyle = 'gregorian';

/**
 * localStorage keys. The date style moves to the user's account once accounts exist; the
 * language stays here too so the login page speaks it.
 */
export const storageKeys = {
  language: 'mamori.language',
  calendarStyle: 'mamori.calendarStyle',
} as const;

export function isLanguage(value: unknown): value is Language {
  return languages.some((language) => language === value);
}

export function isCalendarStyle(value: unknown): value is CalendarStyle {
  return calendarStyles.some((style) => style === value);
}

/** The stored language, or Japanese when none (or an unknown one) is stored. */
export function readLanguage(storage: KeyValueStorage | undefined): Language {
  const stored = readStored(storage, storageKeys.language);
  return isLanguage(stored) ? stored : defaultLanguage;
}

/** The stored date style, or 西暦 when none (or an unknown one) is stored. */
export function readCalendarStyle(storage: KeyValueStorage | undefined): CalendarStyle {
  const stored = readStored(storage, storageKeys.calendarStyle);
  return isCalendarStyle(stored) ? stored : defaultCalendarStyle;
}
