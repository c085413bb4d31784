import { formatIsoDate, parseIsoDate, type IsoDate } from './iso-date.js';
import { toTokyoDate } from './tokyo.js';

/** The first and last calendar day of a 年度 (fiscal year), inclusive. */
export interface FiscalYearRange {
  readonly start: IsoDate;
  readonly end: IsoDate;
}

/** First month of the 年度 (April), as the policy's reports and audits are scheduled by 年度. */
const fiscalYearStartMonth = 4;

function assertFiscalYear(fiscalYear: number): void {
  if (!Number.isInteger(fiscalYear) || fiscalYear < 1 || fiscalYear > 9998) {
    throw new RangeError(`Not a fiscal year: ${fiscalYear}`);
  }
}

/**
 * The 年度 (April–March) a moment or a calendar date belongs to, named by the calendar year in
 * which it starts. A `Date` is read in Asia/Tokyo: 2027-03-31T15:00:00Z is 2027-04-01 in Tokyo,
 * so it is in 年度 2027, although UTC still says March. A string is a calendar date (`YYYY-MM-DD`)
 * and is taken as is.
 * @throws RangeError for an invalid Date or string.
 */
export function fiscalYearOf(date: Date | IsoDate): number {
  const { year, month } = parseIsoDate(typeof date === 'string' ? date : toTokyoDate(date));
  return month >= fiscalYearStartMonth ? year : year - 1;
}

/**
 * The first (April 1) and last (March 31 of the next year) day of 年度 `fiscalYear`.
 * `fiscalYearRange(2026)` is `{ start: '2026-04-01', end: '2027-03-31' }`.
 * @throws RangeError when `fiscalYear` is not an integer in 1–9998.
 */
export function fiscalYearRange(fiscalYear: number): FiscalYearRange {
  assertFiscalYear(fiscalYear);
  return {
    start: formatIsoDate({ year: fiscalYear, month: fiscalYearStartMonth, day: 1 }),
    end: formatIsoDate({ year: fiscalYear + 1, month: fiscalYearStartMonth - 1, day: 31 }),
  };
}
