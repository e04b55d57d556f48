/**
 * Unsaved form input kept in sessionStorage, so an expired session (sign in again, come back) or
 * a reload loses nothing. Keys name the form, e.g. `document:<id>` or `document:new:<projectId>`.
 */
const PREFIX = 'platform.draft.';

export function loadDraft<T>(key: string, storage: Storage = sessionStorage): T | undefined {
  try {
    const raw = storage.getItem(PREFIX + key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
}

export function saveDraft(key: string, value: unknown, storage: Storage = sessionStorage): void {
  try {
    storage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the draft lives in memory only, as it would without this.
  }
}

export function clearDraft(key: string, storage: Storage = sessionStorage): void {
  storage.removeItem(PREFIX + key);
}
