import { describe, expect, it } from 'vitest';
import { formatDateTime } from './format-time.js';

describe('formatDateTime', () => {
  it('writes an API timestamp in Asia/Tokyo, in 西暦 or 和暦', () => {
    // 2026-11-25 23:30 UTC is 2026-11-26 08:30 in Tokyo.
    const at = '2026-11-25T23:30:00.000Z';
    expect(formatDateTime(at, { calendar: 'gregorian', language: 'ja' })).toBe(
      '2026年11月26日 8:30',
    );
    expect(formatDateTime(at, { calendar: 'wareki', language: 'ja' })).toBe('令和8年11月26日 8:30');
    expect(formatDateTime(at, { calendar: 'gregorian', language: 'en' })).toBe('2026-11-26 08:30');
  });
});
