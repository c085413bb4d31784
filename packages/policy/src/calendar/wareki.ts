import { parseIsoDate, type IsoDate } from './iso-date.js';

/** The eras (元号) Mamori can write dates in. */
export type EraId = 'reiwa' | 'heisei' | 'showa';

/** An era and the first day it was in effect. */
export interface Era {
  readonly id: EraId;
  /** The era name as written in Japanese, e.g. 「令和」. */
  readonly name: string;
  /** The era name in Hepburn romanization, e.g. "Reiwa". */
  readonly nameEn: string;
  /** First day of the era (year 1, 元年). */
  readonly start: IsoDate;
}

/** Supported eras, newest first. 昭和 began 1926-12-25; dates before it are not supported. */
export const eras: readonly Era[] = [
  { id: 'reiwa', name: '令和', nameEn: 'Reiwa', start: '2019-05-01' },
  { id: 'heisei', name: '平成', nameEn: 'Heisei', start: '1989-01-08' },
  { id: 'showa', name: '昭和', nameEn: 'Showa', start: '1926-12-25' },
];

/** A date written in the Japanese era calendar (和暦). */
export interface WarekiDate {
  readonly era: EraId;
  readonly eraName: string;
  readonly eraNameEn: string;
  /** Year of the era, 1 for the first year. */
  readonly year: number;
  /** The year as written in Japanese: 「元」 for the first year (元年), else the number. */
  readonly yearLabel: string;
  readonly month: number;
  readonly day: number;
}

/** The first year of an era is written 元年, not 1年. */
function yearLabelOf(year: number): string {
  return year === 1 ? '元' : String(year);
}

function eraOf(isoDate: IsoDate): Era | undefined {
  // ISO dates compare correctly as strings.
  return eras.find((era) => isoDate >= era.start);
}

/** True when `isoDate` can be written in 和暦 (on or after 1926-12-25, the start of 昭和). */
export function isWarekiSupported(isoDate: IsoDate): boolean {
  parseIsoDate(isoDate);
  return eraOf(isoDate) !== undefined;
}

/**
 * A calendar date in 和暦. 2019-04-30 is 平成31年4月30日, 2019-05-01 is 令和元年5月1日
 * (`{ era: 'reiwa', eraName: '令和', year: 1, yearLabel: '元', … }`), 1989-01-07 is 昭和64年,
 * 1989-01-08 is 平成元年.
 * @throws RangeError for a malformed date or a date before 昭和 (1926-12-25).
 */
export function toWareki(isoDate: IsoDate): WarekiDate {
  const { year, month, day } = parseIsoDate(isoDate);
  const era = eraOf(isoDate);
  if (era === undefined) throw new RangeError(`和暦 before 昭和 is not supported: ${isoDate}`);
  const eraYear = year - Number(era.start.slice(0, 4)) + 1;
  return {
    era: era.id,
    eraName: era.name,
    eraNameEn: era.nameEn,
    year: eraYear,
    yearLabel: yearLabelOf(eraYear),
    month,
    day,
  };
}

/** A 年度 written in 和暦 (e.g. 令和8年度). */
export type WarekiFiscalYear = Omit<WarekiDate, 'month' | 'day'>;

/**
 * The 和暦 name of 年度 `fiscalYear`. A 年度 takes the era of the calendar year it starts in,
 * as that year is named at its end: 年度 2019 began on 2019-04-01 under 平成 but is
 * 「令和元年度」, and 年度 1989 is 「平成元年度」 (the convention of government budgets after
 * each change of era).
 * @throws RangeError when `fiscalYear` is not an integer from 1927 (昭和2年度) on.
 */
export function toWarekiFiscalYear(fiscalYear: number): WarekiFiscalYear {
  if (!Number.isInteger(fiscalYear) || fiscalYear < 1927 || fiscalYear > 9998) {
    throw new RangeError(`和暦 年度 not supported: ${fiscalYear}`);
  }
  const { era, eraName, eraNameEn, year, yearLabel } = toWareki(`${fiscalYear}-12-31`);
  return { era, eraName, eraNameEn, year, yearLabel };
}
