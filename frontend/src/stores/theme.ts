import { createSignal, type Accessor } from 'solid-js';

/**
 * Theme preference (what the user picked) and resolved theme (what is shown).
 *
 * The preference is persisted under `seen.theme`; the resolved theme is written
 * to <html data-theme> where the CSS tokens pick it up. The inline script in
 * index.html applies the same rule before first paint, so keep them in step.
 */

export const THEME_STORAGE_KEY = 'seen.theme';
export const THEME_PREFERENCES = ['dark', 'light', 'system'] as const;
export const LIGHT_QUERY = '(prefers-color-scheme: light)';

export type ThemePreference = (typeof THEME_PREFERENCES)[number];
export type ResolvedTheme = 'dark' | 'light';

export interface ThemeEnvironment {
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  matchMedia: ((query: string) => MediaQueryList) | null;
  root: HTMLElement;
}

export interface ThemeStore {
  preference: Accessor<ThemePreference>;
  resolved: Accessor<ResolvedTheme>;
  setPreference(preference: ThemePreference): void;
  /** Stops following the OS setting; for tests and teardown. */
  dispose(): void;
}

export function isThemePreference(value: unknown): value is ThemePreference {
  return typeof value === 'string' && (THEME_PREFERENCES as readonly string[]).includes(value);
}

export function resolveTheme(preference: ThemePreference, systemPrefersLight: boolean): ResolvedTheme {
  if (preference === 'system') return systemPrefersLight ? 'light' : 'dark';
  return preference;
}

function readPreference(storage: ThemeEnvironment['storage']): ThemePreference {
  try {
    const saved = storage?.getItem(THEME_STORAGE_KEY);
    return isThemePreference(saved) ? saved : 'dark';
  } catch {
    return 'dark'; // storage can throw when blocked (privacy modes); fall back quietly
  }
}

function writePreference(storage: ThemeEnvironment['storage'], preference: ThemePreference) {
  try {
    storage?.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Not persisting is acceptable; the choice still applies for this visit.
  }
}

export function createThemeStore(env: ThemeEnvironment): ThemeStore {
  const media = env.matchMedia?.(LIGHT_QUERY) ?? null;
  const [preference, setPreferenceSignal] = createSignal(readPreference(env.storage));
  const [systemLight, setSystemLight] = createSignal(media?.matches ?? false);
  const resolved = () => resolveTheme(preference(), systemLight());

  const apply = () => {
    const theme = resolved();
    env.root.setAttribute('data-theme', theme);
    env.root.style.colorScheme = theme;
  };

  const onSystemChange = (event: MediaQueryListEvent) => {
    setSystemLight(event.matches);
    apply();
  };
  media?.addEventListener('change', onSystemChange);
  apply();

  return {
    preference,
    resolved,
    setPreference(next) {
      setPreferenceSignal(next);
      writePreference(env.storage, next);
      apply();
    },
    dispose() {
      media?.removeEventListener('change', onSystemChange);
    },
  };
}

function browserEnvironment(): ThemeEnvironment {
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
  } catch {
    storage = null;
  }
  return {
    storage,
    matchMedia: typeof window.matchMedia === 'function' ? window.matchMedia.bind(window) : null,
    root: document.documentElement,
  };
}

let appTheme: ThemeStore | undefined;

/** The app-wide theme store, created on first use. */
export function useTheme(): ThemeStore {
  appTheme ??= createThemeStore(browserEnvironment());
  return appTheme;
}

/** Tests: the next useTheme() reads storage and the OS setting again, as a new page would. */
export function resetThemeForTests() {
  appTheme?.dispose();
  appTheme = undefined;
}
