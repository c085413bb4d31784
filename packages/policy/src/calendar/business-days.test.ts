import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  defaultBusinessDayRules,
  holidayDataYears,
  isBusinessDay,
  isNationalHoliday,
  type BusinessDayRules,
} from './business-days.js';
import { addDays } from './iso-date.js';

describe('isBusinessDay (decisions.md: Mon–Fri except 祝日 and 12/29–1/3)', () => {
  it('opens on an ordinary weekday and closes on weekends', () => {
    expect(isBusinessDay('2026-11-25')).toBe(true); // Wed
    expect(isBusinessDay('2026-11-28')).toBe(false); // Sat
    expect(isBusinessDay('2026-11-29')).toBe(false); // Sun
  });

  it('closes on 祝日 and 振替休日', () => {
    expect(isBusinessDay('2026-11-23')).toBe(false); // 勤労感謝の日 (Mon)
    expect(isBusinessDay('2026-11-03')).toBe(false); // 文化の日 (Tue)
    expect(isBusinessDay('2026-05-06')).toBe(false); // 憲法記念日 振替休日 (Wed)
    expect(isBusinessDay('2026-09-22')).toBe(false); // 国民の休日 (Tue)
  });

  it('closes 12/29–1/3 (年末年始) even on weekdays, and opens either side', () => {
    expect(isBusinessDay('2026-12-28')).toBe(true); // Mon
    for (const date of ['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']) {
      expect(isBusinessDay(date), date).toBe(false);
    }
    expect(isBusinessDay('2025-01-03')).toBe(false); // a Friday, still closed
    expect(isBusinessDay('2027-01-04')).toBe(true); // Mon
  });

  it('closes all of Golden Week 2026 and opens on 5/1 and 5/7', () => {
    expect(isBusinessDay('2026-04-29')).toBe(false); // 昭和の日
    expect(isBusinessDay('2026-04-30')).toBe(true);
    expect(isBusinessDay('2026-05-01')).toBe(true);
    for (const date of ['2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05', '2026-05-06']) {
      expect(isBusinessDay(date), date).toBe(false);
    }
    expect(isBusinessDay('2026-05-07')).toBe(true);
  });

  it('closes 12/29–1/3 in every year of the holiday table, and every 祝日 in it', () => {
    for (let year = holidayDataYears.first; year < holidayDataYears.last; year += 1) {
      for (const date of [
        `${year}-12-29`,
        `${year}-12-30`,
        `${year}-12-31`,
        `${year + 1}-01-01`,
        `${year + 1}-01-02`,
        `${year + 1}-01-03`,
      ]) {
        expect(isBusinessDay(date), date).toBe(false);
      }
    }
    for (let date = '2020-01-01'; date <= '2030-12-31'; date = addDays(date, 1)) {
      if (isNationalHoliday(date)) expect(isBusinessDay(date), date).toBe(false);
    }
  });

  it('follows other rules when the pack sets them', () => {
    const rules: BusinessDayRules = {
      ...defaultBusinessDayRules,
      annualClosures: [],
      closedDates: ['2026-11-25'],
    };
    expect(isBusinessDay('2026-12-29', rules)).toBe(true);
    expect(isBusinessDay('2026-11-25', rules)).toBe(false);
  });

  it('refuses dates beyond the holiday table rather than guessing', () => {
    expect(holidayDataYears.first).toBeLessThanOrEqual(1970);
    expect(holidayDataYears.last).toBeGreaterThanOrEqual(2050);
    expect(() => isNationalHoliday(`${holidayDataYears.last + 1}-06-01`)).toThrow(RangeError);
    expect(() => isBusinessDay('2026-02-30')).toThrow(RangeError);
  });
});

describe('addBusinessDays', () => {
  it('skips Golden Week', () => {
    expect(addBusinessDays('2026-05-01', 1)).toBe('2026-05-07');
    expect(addBusinessDays('2026-05-01', 3)).toBe('2026-05-11');
    expect(addBusinessDays('2026-05-07', -1)).toBe('2026-05-01');
  });

  it('skips 年末年始', () => {
    expect(addBusinessDays('2026-12-28', 1)).toBe('2027-01-04');
    expect(addBusinessDays('2026-12-25', 2)).toBe('2027-01-04'); // Fri → Mon 12/28 → Mon 1/4
    expect(addBusinessDays('2027-01-04', -1)).toBe('2026-12-28');
  });

  it('does not count the start day, business day or not', () => {
    expect(addBusinessDays('2026-11-25', 1)).toBe('2026-11-26');
    expect(addBusinessDays('2026-11-28', 1)).toBe('2026-11-30'); // Sat → Mon
    expect(addBusinessDays('2026-11-20', 1)).toBe('2026-11-24'); // Fri → Tue (Mon is 祝日)
    expect(addBusinessDays('2026-11-28', 0)).toBe('2026-11-28');
  });

  it('rejects a fractional n and rules without business days', () => {
    expect(() => addBusinessDays('2026-11-25', 1.5)).toThrow(RangeError);
    const closedAlways = { ...defaultBusinessDayRules, closedWeekdays: [0, 1, 2, 3, 4, 5, 6] };
    expect(() => addBusinessDays('2026-11-25', 1, closedAlways)).toThrow(RangeError);
  });

  const isoDateArb = fc
    .date({ min: new Date('1971-01-01'), max: new Date('2049-12-31'), noInvalidDate: true })
    .map((date) => date.toISOString().slice(0, 10));

  it('lands on a business day strictly later, after exactly n business days (property)', () => {
    fc.assert(
      fc.property(isoDateArb, fc.integer({ min: 1, max: 60 }), (start, n) => {
        const result = addBusinessDays(start, n);
        expect(isBusinessDay(result)).toBe(true);
        expect(result > start).toBe(true);
        let counted = 0;
        for (let date = addDays(start, 1); date <= result; date = addDays(date, 1)) {
          if (isBusinessDay(date)) counted += 1;
        }
        expect(counted).toBe(n);
      }),
    );
  });

  it('goes back to a business day strictly earlier for negative n (property)', () => {
    fc.assert(
      fc.property(isoDateArb, fc.integer({ min: 1, max: 60 }), (start, n) => {
        const result = addBusinessDays(start, -n);
        expect(isBusinessDay(result)).toBe(true);
        expect(result < start).toBe(true);
        let counted = 0;
        for (let date = result; date < start; date = addDays(date, 1)) {
          if (isBusinessDay(date)) counted += 1;
        }
        expect(counted).toBe(n);
      }),
    );
  });
});
