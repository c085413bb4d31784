import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fiscalYearOf, fiscalYearRange } from './fiscal-year.js';
import { formatTokyoDateTime, toTokyoDate } from './tokyo.js';

describe('toTokyoDate', () => {
  it('reads the instant in Asia/Tokyo (UTC+9), not in UTC or the machine zone', () => {
    expect(toTokyoDate(new Date('2027-03-31T14:59:59.999Z'))).toBe('2027-03-31');
    expect(toTokyoDate(new Date('2027-03-31T15:00:00Z'))).toBe('2027-04-01');
    expect(toTokyoDate(new Date('2026-12-31T15:00:00Z'))).toBe('2027-01-01');
    expect(toTokyoDate(new Date('2026-11-25T00:00:00+09:00'))).toBe('2026-11-25');
  });

  it('rejects an invalid Date', () => {
    expect(() => toTokyoDate(new Date('nope'))).toThrow(RangeError);
  });
});

describe('fiscalYearOf (年度, April–March)', () => {
  it('puts 3/31 in the previous 年度 and 4/1 in the new one', () => {
    expect(fiscalYearOf('2027-03-31')).toBe(2026);
    expect(fiscalYearOf('2027-04-01')).toBe(2027);
    expect(fiscalYearOf('2027-01-01')).toBe(2026);
    expect(fiscalYearOf('2026-12-31')).toBe(2026);
  });

  it('decides in JST when UTC still says March 31', () => {
    // 2027-03-31T15:00Z is 2027-04-01 00:00 JST.
    expect(fiscalYearOf(new Date('2027-03-31T15:00:00Z'))).toBe(2027);
    expect(fiscalYearOf(new Date('2027-03-31T14:59:59.999Z'))).toBe(2026);
  });

  it('decides in JST when UTC already says April 1 but JST does too (no off-by-one the other way)', () => {
    expect(fiscalYearOf(new Date('2027-04-01T00:00:00Z'))).toBe(2027);
    // 2027-03-31T23:00+09:00 is 2027-03-31T14:00Z: still 年度 2026.
    expect(fiscalYearOf(new Date('2027-03-31T23:00:00+09:00'))).toBe(2026);
  });

  it('agrees with fiscalYearRange for every day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (date) => {
          const fiscalYear = fiscalYearOf(date);
          const { start, end } = fiscalYearRange(fiscalYear);
          const tokyoDate = toTokyoDate(date);
          expect(tokyoDate >= start && tokyoDate <= end).toBe(true);
        },
      ),
    );
  });
});

describe('fiscalYearRange', () => {
  it('runs from April 1 to March 31 of the next calendar year', () => {
    expect(fiscalYearRange(2026)).toEqual({ start: '2026-04-01', end: '2027-03-31' });
    expect(fiscalYearRange(2019)).toEqual({ start: '2019-04-01', end: '2020-03-31' });
  });

  it.each([2026.5, 0, -1, Number.NaN, 9999])('rejects %s', (fiscalYear) => {
    expect(() => fiscalYearRange(fiscalYear)).toThrow(RangeError);
  });
});

describe('formatTokyoDateTime', () => {
  it('shows the Tokyo wall clock at each precision', () => {
    const at = new Date('2027-03-31T15:04:05.067Z');
    expect(formatTokyoDateTime(at, 'minute')).toBe('2027-04-01 00:04');
    expect(formatTokyoDateTime(at)).toBe('2027-04-01 00:04:05');
    expect(formatTokyoDateTime(at, 'millisecond')).toBe('2027-04-01 00:04:05.067');
    expect(formatTokyoDateTime(new Date('2026-11-25T14:59:59.999Z'), 'millisecond')).toBe(
      '2026-11-25 23:59:59.999',
    );
  });
});
