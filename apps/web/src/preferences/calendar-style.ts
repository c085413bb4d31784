import type { CalendarStyle } from '@mamori/policy';
import { useSyncExternalStore } from 'react';
import { readCalendarStyle, storageKeys } from './preferences.js';
import { browserStorage, writeStored } from './storage.js';

const listeners = new Set<() => void>();
let current: CalendarStyle = readCalendarStyle(browserStorage());

function notify(): void {
  for (const listener of listeners) listener();
}

/** Sets the date style (西暦 / 和暦) for every screen and remembers it in this browser. */
export function setCalendarStyle(style: CalendarStyle): void {
  writeStored(browserStorage(), storageKeys.calendarStyle, style);
  if (style === current) return;
  current = style;
  notify();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab changed the setting.
  const onStorage = (event: StorageEvent): void => {
    if (event.key !== storageKeys.calendarStyle) return;
    const next = readCalendarStyle(browserStorage());
    if (next !== current) {
      current = next;
      notify();
    }
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** The user's date style, re-rendering when it changes. */
export function useCalendarStyle(): CalendarStyle {
  return useSyncExternalStore(subscribe, () => current);
}
