import { createSignal } from 'solid-js';

/**
 * Player preferences that belong to this device rather than the account:
 * theater mode, volume and mute, kept in localStorage (`seen.player`) so the
 * next video starts the way the last one was left.
 */
export const PLAYBACK_STORAGE_KEY = 'seen.player';

interface Stored {
  theater: boolean;
  volume: number;
  muted: boolean;
}

const DEFAULTS: Stored = { theater: false, volume: 1, muted: false };

function load(): Stored {
  try {
    const raw = JSON.parse(localStorage.getItem(PLAYBACK_STORAGE_KEY) ?? '{}') as Partial<Stored>;
    return {
      theater: typeof raw.theater === 'boolean' ? raw.theater : DEFAULTS.theater,
      volume: typeof raw.volume === 'number' && raw.volume >= 0 && raw.volume <= 1 ? raw.volume : DEFAULTS.volume,
      muted: typeof raw.muted === 'boolean' ? raw.muted : DEFAULTS.muted,
    };
  } catch {
    return { ...DEFAULTS }; // storage blocked or a hand-edited value: start from the defaults
  }
}

const [prefs, setPrefs] = createSignal<Stored>(load());

function update(patch: Partial<Stored>) {
  const next = { ...prefs(), ...patch };
  setPrefs(next);
  try {
    localStorage.setItem(PLAYBACK_STORAGE_KEY, JSON.stringify(next));
  } catch {
    // private mode: the preference lasts for this visit only
  }
}

export const playback = {
  theater: () => prefs().theater,
  volume: () => prefs().volume,
  muted: () => prefs().muted,
  setTheater: (theater: boolean) => update({ theater }),
  setVolume: (volume: number) => update({ volume }),
  setMuted: (muted: boolean) => update({ muted }),
  /** Re-reads storage; tests clear localStorage between cases. */
  reload: () => setPrefs(load()),
};
