import { parseIsoDate, type IsoDate } from './iso-date.js';
import { toTokyoDate } from './tokyo.js';
import { isWarekiSupported, toWareki, toWarekiFiscalYear } from './wareki.js';

/** How a user wants dates written: 西暦 (Gregorian) or 和暦 (Japanese era). */
export type CalendarStyle = 'gregorian' | 'wareki';

/** Languages dates are written in. */
export type DateLocale = 'ja' | 'en';

export interface FormatDateOptions {
  readonly calendar: CalendarStyle;
  readonly locale: DateLocale;
}

/**
 * Writes a calendar date for display. A `Date` is first read in Asia/Tokyo (see `toTokyoDate`).
 *
 * | calendar  | ja              | en                        |
 * |-----------|-----------------|---------------------------|
 * | gregorian | 2026年11月25日  | 2026-11-25                |
 * | wareki    | 令和8年11月25日 | 2026-11-25 (Reiwa 8)      |
 *
 * The first year of an era is 元年 in Japanese (令和元年5月1日) and 1 in English
 * ("2019-05-01 (Reiwa 1)"). 和暦 starts with 昭和; an earlier date is written in 西暦.
 * @throws RangeError for an invalid date.
 */
export function formatDate(value: IsoDate | Date, options: FormatDateOptions): string {
  const isoDate = typeof value === 'string' ? value : toTokyoDate(value);
  const { year, month, day } = parseIsoDate(isoDate);
  const wareki =
    options.calendar === 'wareki' && isWarekiSupported(isoDate) ? toWareki(isoDate) : undefined;
  if (options.locale === 'en') {
    return wareki === undefined ? isoDate : `${isoDate} (${wareki.eraNameEn} ${wareki.year})`;
  }
  const yearText = wareki === undefined ? String(year) : `${wareki.eraName}${wareki.yearLabel}`;
  return `${yearText}年${month}月${day}日`;
}

/**
 * Writes a 年度 for display: 「2026年度」 / 「令和8年度」 in Japanese, "FY2026" /
 * "FY2026 (Reiwa 8)" in English. 年度 2019 is 「令和元年度」 (see `toWarekiFiscalYear`).
 * A 年度 before 1927 is written in 西暦.
 * @throws RangeError when `fiscalYear` is not an integer in 1–9998.
 */
export function formatFiscalYear(
  fiscalYear: number,
  calendar: CalendarStyle,
  locale: DateLocale = 'ja',
): string {
  if (!Number.isInteger(fiscalYear) || fiscalYear < 1 || fiscalYear > 9998) {
    throw new RangeError(`Not a fiscal year: ${fiscalYear}`);
  }
  const wareki =
    calendar === 'wareki' && fiscalYear >= 1927 ? toWarekiFiscalYear(fiscalYear) : undefined;
  if (locale === 'en') {
    return wareki === undefined
      ? `FY${fiscalYear}`
      : `FY${fiscalYear} (${wareki.eraNameEn} ${wareki.year})`;
  }
  return wareki === undefined ? `${fiscalYear}年度` : `${wareki.eraName}${wareki.yearLabel}年度`;
}
