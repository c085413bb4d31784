import { formatIsoDate, type IsoDate } from './iso-date.js';

/** Mamori's one time zone for calendar dates, 年度 and scheduled jobs (decisions.md: time zone). */
export const tokyoTimeZone = 'Asia/Tokyo';

const tokyoDateFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: tokyoTimeZone,
  calendar: 'gregory',
  numberingSystem: 'latn',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

/**
 * The calendar date in Asia/Tokyo at the instant `date`, as `YYYY-MM-DD`.
 * 2027-03-31T15:00:00Z is 2027-04-01 09:00 in Tokyo, so it returns `'2027-04-01'`.
 * @throws RangeError for an invalid Date or a year outside 1–9999.
 */
export function toTokyoDate(date: Date): IsoDate {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid Date');
  const utcYear = date.getUTCFullYear();
  if (utcYear < 1 || utcYear > 9998) throw new RangeError(`Year out of range: ${utcYear}`);
  const parts = tokyoDateFormat.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  return formatIsoDate({ year: part('year'), month: part('month'), day: part('day') });
}

const tokyoDateTimeFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: tokyoTimeZone,
  calendar: 'gregory',
  numberingSystem: 'latn',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hourCycle: 'h23',
});

/**
 * The wall-clock time in Asia/Tokyo at the instant `date`:
 * `YYYY-MM-DD HH:mm` (precision `minute`), `…:ss` (`second`) or `…:ss.SSS` (`millisecond`).
 * For logs, exports and file names; screens format through the UI's locale.
 */
export function formatTokyoDateTime(
  date: Date,
  precision: 'minute' | 'second' | 'millisecond' = 'second',
): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid Date');
  const parts = Object.fromEntries(
    tokyoDateTimeFormat.formatToParts(date).map((p) => [p.type, p.value]),
  ) as Partial<Record<Intl.DateTimeFormatPartTypes, string>>;
  const day = `${parts.year ?? ''}-${parts.month ?? ''}-${parts.day ?? ''}`;
  const minute = `${day} ${parts.hour ?? ''}:${parts.minute ?? ''}`;
  if (precision === 'minute') return minute;
  const second = `${minute}:${parts.second ?? ''}`;
  return precision === 'second' ? second : `${second}.${parts.fractionalSecond ?? ''}`;
}
