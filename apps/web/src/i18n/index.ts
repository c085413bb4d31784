import i18next, { type i18n as I18n } from 'i18next';
import {
  defaultLanguage,
  isLanguage,
  readLanguage,
  storageKeys,
  type Language,
} from '../preferences/preferences.js';
import { browserStorage, writeStored } from '../preferences/storage.js';
import { en } from './en.js';
import { ja, type Messages } from './ja.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

export const resources = {
  ja: { translation: ja },
  en: { translation: en },
} as const satisfies Record<Language, { translation: Messages }>;

/**
 * A new i18next instance with the bundled messages (nothing is fetched), in `language`.
 * React text is escaped by React itself, so i18next does not escape interpolations.
 */
export function createI18n(language: Language): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: language,
    fallbackLng: defaultLanguage,
    supportedLngs: ['ja', 'en'],
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

/** The current UI language of `instance`, as one of ours. */
export function languageOf(instance: I18n): Language {
  const { language } = instance;
  return isLanguage(language) ? language : defaultLanguage;
}

/**
 * The app's i18next, handed to React with `I18nextProvider`. It starts in the stored language
 * (Japanese by default), keeps `<html lang>` in step (WCAG 3.1.1), remembers the choice and
 * follows a change made in another tab.
 */
export function setUpI18n(): I18n {
  const instance = createI18n(readLanguage(browserStorage()));
  document.documentElement.lang = instance.language;
  instance.on('languageChanged', (language) => {
    document.documentElement.lang = language;
    if (isLanguage(language)) writeStored(browserStorage(), storageKeys.language, language);
  });
  window.addEventListener('storage', (event) => {
    if (event.key !== storageKeys.language) return;
    const language = readLanguage(browserStorage());
    if (language !== instance.language) void instance.changeLanguage(language);
  });
  return instance;
}
