/** The part of `localStorage` preferences use; injectable for tests. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** `window.localStorage`, or undefined where it is missing or blocked (private mode, policy). */
export function browserStorage(): KeyValueStorage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

/** Reads a stored value; a blocked or failing storage reads as nothing stored. */
export function readStored(storage: KeyValueStorage | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Stores a value; a blocked or full storage keeps the choice for this page only. */
export function writeStored(
  storage: KeyValueStorage | undefined,
  key: string,
  value: string,
): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // The preference still applies until the page is reloaded.
  }
}
