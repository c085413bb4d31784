import { describe, expect, it } from 'vitest';
import { addDays } from './iso-date.js';
import { eras, isWarekiSupported, toWareki, toWarekiFiscalYear } from './wareki.js';

describe('toWareki: era boundaries', () => {
  it.each([
    ['1926-12-24', null, 0, ''],
    ['1926-12-25', '昭和', 1, '元'],
    ['1927-01-01', '昭和', 2, '2'],
    ['1989-01-07', '昭和', 64, '64'],
    ['1989-01-08', '平成', 1, '元'],
    ['1989-12-31', '平成', 1, '元'],
    ['1990-01-01', '平成', 2, '2'],
    ['2019-04-30', '平成', 31, '31'],
    ['2019-05-01', '令和', 1, '元'],
    ['2019-12-31', '令和', 1, '元'],
    ['2020-01-01', '令和', 2, '2'],
    ['2026-11-25', '令和', 8, '8'],
  ] as const)('%s → %s %s年', (isoDate, eraName, year, yearLabel) => {
    if (eraName === null) {
      expect(isWarekiSupported(isoDate)).toBe(false);
      expect(() => toWareki(isoDate)).toThrow(RangeError);
      return;
    }
    expect(isWarekiSupported(isoDate)).toBe(true);
    expect(toWareki(isoDate)).toMatchObject({ eraName, year, yearLabel });
  });

  it('returns the era id, romanized name, month and day', () => {
    expect(toWareki('2019-05-01')).toEqual({
      era: 'reiwa',
      eraName: '令和',
      eraNameEn: 'Reiwa',
      year: 1,
      yearLabel: '元',
      month: 5,
      day: 1,
    });
    expect(toWareki('2019-04-30').era).toBe('heisei');
    expect(toWareki('1989-01-07').era).toBe('showa');
  });

  it('rejects a malformed date', () => {
    expect(() => toWareki('2019-02-29')).toThrow(RangeError);
    expect(() => isWarekiSupported('R1-05-01')).toThrow(RangeError);
  });
});

describe('toWarekiFiscalYear', () => {
  it('names 年度 2019 令和元年度 although it began under 平成', () => {
    expect(toWarekiFiscalYear(2019)).toMatchObject({ eraName: '令和', year: 1, yearLabel: '元' });
  });

  it('names the 年度 around the 1989 change of era', () => {
    expect(toWarekiFiscalYear(1988)).toMatchObject({ eraName: '昭和', year: 63 });
    expect(toWarekiFiscalYear(1989)).toMatchObject({ eraName: '平成', yearLabel: '元' });
    expect(toWarekiFiscalYear(2018)).toMatchObject({ eraName: '平成', year: 30 });
    expect(toWarekiFiscalYear(2026)).toMatchObject({ eraName: '令和', year: 8, yearLabel: '8' });
  });

  it.each([1926, 2026.5])('rejects %s', (fiscalYear) => {
    expect(() => toWarekiFiscalYear(fiscalYear)).toThrow(RangeError);
  });
});

describe('toWareki: every day from 昭和 to 2100', () => {
  it('changes era only at an era start and counts years from 元年 on each January 1', () => {
    const eraStarts = new Set(eras.map((era) => era.start));
    let previous = toWareki('1926-12-25');
    for (let date = '1926-12-26'; date <= '2100-12-31'; date = addDays(date, 1)) {
      const current = toWareki(date);
      if (eraStarts.has(date)) {
        expect(current.era, date).not.toBe(previous.era);
        expect(current.yearLabel, date).toBe('元');
      } else if (date.endsWith('-01-01')) {
        expect(current.era, date).toBe(previous.era);
        expect(current.year, date).toBe(previous.year + 1);
      } else {
        expect(current.era, date).toBe(previous.era);
        expect(current.year, date).toBe(previous.year);
      }
      expect(current.yearLabel, date).toBe(current.year === 1 ? '元' : String(current.year));
      previous = current;
    }
  });
});
