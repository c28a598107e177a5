import { createSignal } from 'solid-js';

/**
 * Player preferences that belong to this device rather than the account:
 * theater mode, volume and mute, auto-skip of intros and credits, kept in localStorage (`seen.player`) so the
 * next video starts the way the last one was left.
 */
export const PLAYBACK_STORAGE_KEY = 'seen.player';

interface Stored {
  theater: boolean;
  volume: number;
  muted: boolean;
  /** Jump past intros and credits by themselves (the Skip button shows either way). */
  autoSkip: boolean;
}

const DEFAULTS: Stored = { theater: false, volume: 1, muted: false, autoSkip: false };

function load(): Stored {
  try {
    const raw = JSON.parse(localStorage.getItem(PLAYBACK_STORAGE_KEY) ?? '{}') as Partial<Stored>;
    return {
      theater: typeof raw.theater === 'boolean' ? raw.theater : DEFAULTS.theater,
      volume: typeof raw.volume === 'number' && raw.volume >= 0 && raw.volume <= 1 ? raw.volume : DEFAULTS.volume,
      muted: typeof raw.muted === 'boolean' ? raw.muted : DEFAULTS.muted,
      autoSkip: typeof raw.autoSkip === 'boolean' ? raw.autoSkip : DEFAULTS.autoSkip,
    };
  } catch {
    return { ...DEFAULTS }; // storage blocked or a hand-edited value: start from the defaults
  }
}

const [prefs, setPrefs] = createSignal<Stored>(load());
// Player pages open now (a count: one page may mount before the last one's cleanup ran).
const [players, setPlayers] = createSignal(0);

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
  autoSkip: () => prefs().autoSkip,
  setAutoSkip: (autoSkip: boolean) => update({ autoSkip }),
  /**
   * A player page is on screen; returns the function to call when it goes. Theater mode there hides the
   * app's sidebar and top bar (`shellHidden`), and only there: the preference stays for the next video.
   */
  enterPlayer: (): (() => void) => {
    setPlayers((n) => n + 1);
    let left = false;
    return () => {
      if (!left) setPlayers((n) => n - 1);
      left = true;
    };
  },
  /** The app shell steps aside: theater mode on a player page. */
  shellHidden: () => players() > 0 && prefs().theater,
  /** Re-reads storage; tests clear localStorage between cases. */
  reload: () => setPrefs(load()),
};
