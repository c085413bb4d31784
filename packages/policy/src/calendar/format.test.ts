import { describe, expect, it } from 'vitest';
import { formatDate, formatFiscalYear } from './format.js';

describe('formatDate', () => {
  it('writes 西暦 and 和暦 in Japanese', () => {
    expect(formatDate('2026-11-25', { calendar: 'gregorian', locale: 'ja' })).toBe(
      '2026年11月25日',
    );
    expect(formatDate('2026-11-25', { calendar: 'wareki', locale: 'ja' })).toBe('令和8年11月25日');
    expect(formatDate('2026-01-05', { calendar: 'wareki', locale: 'ja' })).toBe('令和8年1月5日');
  });

  it('writes the first year of an era as 元年', () => {
    expect(formatDate('2019-05-01', { calendar: 'wareki', locale: 'ja' })).toBe('令和元年5月1日');
    expect(formatDate('2019-04-30', { calendar: 'wareki', locale: 'ja' })).toBe('平成31年4月30日');
    expect(formatDate('1989-01-08', { calendar: 'wareki', locale: 'ja' })).toBe('平成元年1月8日');
    expect(formatDate('1989-01-07', { calendar: 'wareki', locale: 'ja' })).toBe('昭和64年1月7日');
  });

  it('writes English as ISO, with the era year in brackets for 和暦', () => {
    expect(formatDate('2026-11-25', { calendar: 'gregorian', locale: 'en' })).toBe('2026-11-25');
    expect(formatDate('2026-11-25', { calendar: 'wareki', locale: 'en' })).toBe(
      '2026-11-25 (Reiwa 8)',
    );
    expect(formatDate('2019-05-01', { calendar: 'wareki', locale: 'en' })).toBe(
      '2019-05-01 (Reiwa 1)',
    );
  });

  it('reads a Date in Asia/Tokyo', () => {
    const instant = new Date('2027-03-31T15:00:00Z');
    expect(formatDate(instant, { calendar: 'gregorian', locale: 'ja' })).toBe('2027年4月1日');
    expect(formatDate(instant, { calendar: 'wareki', locale: 'ja' })).toBe('令和9年4月1日');
  });

  it('falls back to 西暦 before 昭和', () => {
    expect(formatDate('1926-12-24', { calendar: 'wareki', locale: 'ja' })).toBe('1926年12月24日');
    expect(formatDate('1926-12-24', { calendar: 'wareki', locale: 'en' })).toBe('1926-12-24');
  });

  it('rejects a malformed date', () => {
    expect(() => formatDate('2026-02-30', { calendar: 'gregorian', locale: 'ja' })).toThrow(
      RangeError,
    );
  });
});

describe('formatFiscalYear', () => {
  it('writes 年度 in 西暦 and 和暦', () => {
    expect(formatFiscalYear(2026, 'gregorian')).toBe('2026年度');
    expect(formatFiscalYear(2026, 'wareki')).toBe('令和8年度');
    expect(formatFiscalYear(2019, 'wareki')).toBe('令和元年度');
    expect(formatFiscalYear(2018, 'wareki')).toBe('平成30年度');
    expect(formatFiscalYear(1989, 'wareki')).toBe('平成元年度');
  });

  it('writes English', () => {
    expect(formatFiscalYear(2026, 'gregorian', 'en')).toBe('FY2026');
    expect(formatFiscalYear(2026, 'wareki', 'en')).toBe('FY2026 (Reiwa 8)');
  });

  it('falls back to 西暦 before 1927 and rejects non-years', () => {
    expect(formatFiscalYear(1926, 'wareki')).toBe('1926年度');
    expect(() => formatFiscalYear(2026.5, 'gregorian')).toThrow(RangeError);
  });
});
