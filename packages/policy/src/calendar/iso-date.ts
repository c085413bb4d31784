/**
 * A calendar date as an ISO 8601 string, `YYYY-MM-DD`: no time and no time zone.
 * Due dates and 年度 boundaries are calendar dates in Asia/Tokyo (see tokyo.ts).
 */
export type IsoDate = string;

/** The parts of a calendar date; `month` is 1–12 and `day` 1–31. */
export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const millisecondsPerDay = 86_400_000;

function utcMidnight(year: number, month: number, day: number): Date {
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

/** True when `value` is a real calendar date written as `YYYY-MM-DD` (e.g. not 2026-02-30). */
export function isIsoDate(value: string): boolean {
  const match = isoDatePattern.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const date = utcMidnight(year, month, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Splits a `YYYY-MM-DD` string into its parts.
 * @throws RangeError when the string is not a real calendar date.
 */
export function parseIsoDate(isoDate: IsoDate): DateParts {
  if (!isIsoDate(isoDate))
    throw new RangeError(`Not an ISO calendar date (YYYY-MM-DD): ${isoDate}`);
  return {
    year: Number(isoDate.slice(0, 4)),
    month: Number(isoDate.slice(5, 7)),
    day: Number(isoDate.slice(8, 10)),
  };
}

/**
 * Writes date parts as `YYYY-MM-DD`.
 * @throws RangeError when the parts are not a real date with a four-digit year.
 */
export function formatIsoDate(parts: DateParts): IsoDate {
  const isoDate = [
    String(parts.year).padStart(4, '0'),
    String(parts.month).padStart(2, '0'),
    String(parts.day).padStart(2, '0'),
  ].join('-');
  if (!isIsoDate(isoDate)) throw new RangeError(`Not a calendar date: ${JSON.stringify(parts)}`);
  return isoDate;
}

function fromUtcDate(date: Date): IsoDate {
  return formatIsoDate({
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
  });
}

/** The calendar date `days` days after (or, when negative, before) `isoDate`. */
export function addDays(isoDate: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer: ${days}`);
  const { year, month, day } = parseIsoDate(isoDate);
  return fromUtcDate(new Date(utcMidnight(year, month, day).getTime() + days * millisecondsPerDay));
}

/** Day of the week of a calendar date: 0 = Sunday (日) … 6 = Saturday (土). */
export function dayOfWeek(isoDate: IsoDate): number {
  const { year, month, day } = parseIsoDate(isoDate);
  return utcMidnight(year, month, day).getUTCDay();
}

/**
 * The calendar date `months` months after `isoDate`; a day that the target
 * month does not have becomes its last day (1月31日 + 1 month = 2月28日/29日).
 */
export function addMonths(isoDate: IsoDate, months: number): IsoDate {
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer: ${months}`);
  const { year, month, day } = parseIsoDate(isoDate);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return formatIsoDate({ year: targetYear, month: targetMonth, day: Math.min(day, lastDay) });
}
