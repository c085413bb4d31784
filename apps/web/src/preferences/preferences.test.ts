import { describe, expect, it } from 'vitest';
import { readCalendarStyle, readLanguage, storageKeys } from './preferences.js';
import { readStored, writeStored, type KeyValueStorage } from './storage.js';

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage {
  const values = new Map(Object.entries(initial));
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => {
      values.set(key, value);
    },
  };
}

const brokenStorage: KeyValueStorage = {
  getItem: () => {
    throw new DOMException('blocked', 'SecurityError');
  },
  setItem: () => {
    throw new DOMException('full', 'QuotaExceededError');
  },
};

describe('preferences', () => {
  it('defaults to Japanese and 西暦', () => {
    expect(readLanguage(memoryStorage())).toBe('ja');
    expect(readCalendarStyle(memoryStorage())).toBe('gregorian');
    expect(readLanguage(undefined)).toBe('ja');
  });

  it('reads stored choices', () => {
    const storage = memoryStorage({
      [storageKeys.language]: 'en',
      [storageKeys.calendarStyle]: 'wareki',
    });
    expect(readLanguage(storage)).toBe('en');
    expect(readCalendarStyle(storage)).toBe('wareki');
  });

  it('ignores values it does not know', () => {
    const storage = memoryStorage({
      [storageKeys.language]: 'fr',
      [storageKeys.calendarStyle]: 'julian',
    });
    expect(readLanguage(storage)).toBe('ja');
    expect(readCalendarStyle(storage)).toBe('gregorian');
  });

  it('survives a blocked or full storage', () => {
    expect(readLanguage(brokenStorage)).toBe('ja');
    expect(readStored(brokenStorage, 'k')).toBeNull();
    expect(() => {
      writeStored(brokenStorage, 'k', 'v');
    }).not.toThrow();
  });
});
