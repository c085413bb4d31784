import holidayJp from '@holiday-jp/holiday_jp';
import { addDays, dayOfWeek, parseIsoDate, type IsoDate } from './iso-date.js';

/**
 * Which days a municipality's offices are open. Deadlines counted in business days (approval
 * due dates, the emergency act-first report of 8.4(2)) skip the closed days.
 * The policy pack holds these as a setting; `defaultBusinessDayRules` is Mamori's default reading.
 */
export interface BusinessDayRules {
  /** Closed days of the week, 0 = Sunday … 6 = Saturday. */
  readonly closedWeekdays: readonly number[];
  /** Closed when the date is a 国民の祝日, 振替休日 or 国民の休日 (from @holiday-jp/holiday_jp). */
  readonly closedOnNationalHolidays: boolean;
  /** Closed every year from `from` to `to` inclusive, as `MM-DD`; may wrap the year end. */
  readonly annualClosures: readonly { readonly from: string; readonly to: string }[];
  /** Further closed dates (e.g. a city's own holiday), as `YYYY-MM-DD`. */
  readonly closedDates: readonly IsoDate[];
}

/**
 * decisions.md, business days: Monday–Friday except 祝日 and 12月29日–1月3日 (年末年始).
 */
export const defaultBusinessDayRules: BusinessDayRules = {
  closedWeekdays: [0, 6],
  closedOnNationalHolidays: true,
  annualClosures: [{ from: '12-29', to: '01-03' }],
  closedDates: [],
};

const holidayDates = Object.keys(holidayJp.holidays).sort();
/** The holiday table's coverage: its first and last year (1970–2050 in 2.5.1). */
export const holidayDataYears = {
  first: Number(holidayDates[0]?.slice(0, 4)),
  last: Number(holidayDates.at(-1)?.slice(0, 4)),
} as const;

/**
 * Longest run of closed days searched before giving up: more than a year of closed days means
 * the rules leave no business day at all.
 */
const maxClosedRun = 400;

/**
 * True when `isoDate` is a national holiday (国民の祝日, 振替休日 or 国民の休日).
 * @throws RangeError for a malformed date or a year outside the holiday table (`holidayDataYears`);
 * guessing would put a deadline on a holiday.
 */
export function isNationalHoliday(isoDate: IsoDate): boolean {
  const { year } = parseIsoDate(isoDate);
  if (year < holidayDataYears.first || year > holidayDataYears.last) {
    throw new RangeError(
      `No holiday data for ${isoDate} (known: ${holidayDataYears.first}–${holidayDataYears.last})`,
    );
  }
  return Object.hasOwn(holidayJp.holidays, isoDate);
}

function isInAnnualClosure(isoDate: IsoDate, rules: BusinessDayRules): boolean {
  const monthDay = isoDate.slice(5);
  return rules.annualClosures.some(({ from, to }) =>
    from <= to ? monthDay >= from && monthDay <= to : monthDay >= from || monthDay <= to,
  );
}

/**
 * True when the offices are open on `isoDate`: by default Monday–Friday and not a 祝日 nor
 * 12月29日–1月3日.
 * @throws RangeError for a malformed date or a year outside the holiday table.
 */
export function isBusinessDay(
  isoDate: IsoDate,
  rules: BusinessDayRules = defaultBusinessDayRules,
): boolean {
  if (rules.closedWeekdays.includes(dayOfWeek(isoDate))) return false;
  if (isInAnnualClosure(isoDate, rules)) return false;
  if (rules.closedDates.includes(isoDate)) return false;
  if (rules.closedOnNationalHolidays && isNationalHoliday(isoDate)) return false;
  return true;
}

/**
 * The date `n` business days after `isoDate` (before it when `n` is negative). The start day is
 * never counted, whether or not it is a business day: 3 business days after Friday 2026-05-01 is
 * Monday 2026-05-11 (5/2–5/6 are the weekend and Golden Week). `n = 0` returns `isoDate` as is.
 * The result for `n ≠ 0` is always a business day.
 * @throws RangeError for a non-integer `n`, a malformed date, a date beyond the holiday table, or
 * rules that leave no business day.
 */
export function addBusinessDays(
  isoDate: IsoDate,
  n: number,
  rules: BusinessDayRules = defaultBusinessDayRules,
): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`n must be an integer: ${n}`);
  parseIsoDate(isoDate);
  const step = n < 0 ? -1 : 1;
  let date = isoDate;
  let remaining = Math.abs(n);
  let closedRun = 0;
  while (remaining > 0) {
    date = addDays(date, step);
    if (isBusinessDay(date, rules)) {
      remaining -= 1;
      closedRun = 0;
    } else if (++closedRun > maxClosedRun) {
      throw new RangeError('The business-day rules leave no business day');
    }
  }
  return date;
}
