import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  dayOfWeek,
  formatIsoDate,
  isIsoDate,
  parseIsoDate,
} from './iso-date.js';

describe('isIsoDate', () => {
  it.each(['2026-11-25', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31'])(
    'accepts %s',
    (value) => {
      expect(isIsoDate(value)).toBe(true);
    },
  );

  it.each([
    '2026-02-29',
    '1900-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-11-25T00:00:00Z',
    '2026-1-5',
    '20261125',
    '0000-01-01',
    '',
  ])('rejects %j', (value) => {
    expect(isIsoDate(value)).toBe(false);
  });
});

describe('parseIsoDate / formatIsoDate', () => {
  it('splits and joins a date', () => {
    expect(parseIsoDate('2026-01-05')).toEqual({ year: 2026, month: 1, day: 5 });
    expect(formatIsoDate({ year: 2026, month: 1, day: 5 })).toBe('2026-01-05');
    expect(formatIsoDate({ year: 99, month: 3, day: 1 })).toBe('0099-03-01');
  });

  it('throws a RangeError for an impossible date', () => {
    expect(() => parseIsoDate('2026-02-30')).toThrow(RangeError);
    expect(() => formatIsoDate({ year: 2026, month: 2, day: 30 })).toThrow(RangeError);
  });
});

describe('addDays / dayOfWeek', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('0050-01-01', 0)).toBe('0050-01-01');
  });

  it('knows the day of the week', () => {
    expect(dayOfWeek('2026-11-25')).toBe(3); // Wednesday
    expect(dayOfWeek('2019-05-01')).toBe(3);
    expect(dayOfWeek('1989-01-08')).toBe(0); // Sunday
  });

  it('round-trips: adding then subtracting returns the start', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }),
        fc.integer({ min: -5000, max: 5000 }),
        (date, days) => {
          const start = date.toISOString().slice(0, 10);
          expect(addDays(addDays(start, days), -days)).toBe(start);
          expect((dayOfWeek(start) + (((days % 7) + 7) % 7)) % 7).toBe(
            dayOfWeek(addDays(start, days)),
          );
        },
      ),
    );
  });
});

describe('addMonths', () => {
  it('adds calendar months and clamps to the end of a shorter month', () => {
    expect(addMonths('2026-04-15', 1)).toBe('2026-05-15');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-12-01', 12)).toBe('2027-12-01');
  });

  it('never moves more than the months asked for', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1990, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: -36, max: 36 }),
        (year, month, day, months) => {
          const start = formatIsoDate({ year, month, day });
          // Days up to 28 exist in every month: adding and subtracting returns to the start.
          expect(addMonths(addMonths(start, months), -months)).toBe(start);
        },
      ),
    );
  });
});
