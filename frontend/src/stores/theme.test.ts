import { afterEach, describe, expect, it, vi } from 'vitest';
import indexHtml from '../../index.html?raw';
import { fakeMediaQuery } from '../test/fakes';
import { createThemeStore, LIGHT_QUERY, THEME_STORAGE_KEY, type ThemeEnvironment } from './theme';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    data,
  };
}

function environment(options: { saved?: string; systemLight?: boolean } = {}) {
  const storage = memoryStorage(options.saved ? { [THEME_STORAGE_KEY]: options.saved } : {});
  const media = fakeMediaQuery(options.systemLight ?? false);
  const matchMedia = vi.fn((_query: string) => media.list);
  const root = document.createElement('html');
  const env: ThemeEnvironment = { storage, matchMedia, root };
  return { env, storage, media, matchMedia, root };
}

describe('theme store', () => {
  it('defaults to dark when nothing is saved, even if the OS prefers light', () => {
    const { env, root } = environment({ systemLight: true });
    const theme = createThemeStore(env);
    expect(theme.preference()).toBe('dark');
    expect(theme.resolved()).toBe('dark');
    expect(root.getAttribute('data-theme')).toBe('dark');
  });

  it('ignores an unknown saved value', () => {
    const { env } = environment({ saved: 'sepia' });
    expect(createThemeStore(env).preference()).toBe('dark');
  });

  it('persists the choice and a new store starts from it', () => {
    const { env, storage, root } = environment();
    createThemeStore(env).setPreference('light');
    expect(storage.data.get(THEME_STORAGE_KEY)).toBe('light');
    expect(root.getAttribute('data-theme')).toBe('light');
    expect(root.style.colorScheme).toBe('light');

    const reloaded = createThemeStore({ ...env, root: document.createElement('html') });
    expect(reloaded.preference()).toBe('light');
    expect(reloaded.resolved()).toBe('light');
  });

  it('resolves "system" from prefers-color-scheme', () => {
    const light = environment({ saved: 'system', systemLight: true });
    expect(createThemeStore(light.env).resolved()).toBe('light');
    expect(light.matchMedia).toHaveBeenCalledWith(LIGHT_QUERY);

    const dark = environment({ saved: 'system', systemLight: false });
    expect(createThemeStore(dark.env).resolved()).toBe('dark');
  });

  it('follows OS changes live while on "system", and only then', () => {
    const { env, media, root } = environment({ saved: 'system', systemLight: false });
    const theme = createThemeStore(env);

    media.set(true);
    expect(theme.resolved()).toBe('light');
    expect(root.getAttribute('data-theme')).toBe('light');

    theme.setPreference('dark');
    media.set(false);
    media.set(true);
    expect(root.getAttribute('data-theme')).toBe('dark');

    theme.setPreference('system');
    expect(root.getAttribute('data-theme')).toBe('light');
  });

  it('stops listening to the OS after dispose', () => {
    const { env, media } = environment({ saved: 'system' });
    const theme = createThemeStore(env);
    expect(media.listenerCount()).toBe(1);
    theme.dispose();
    expect(media.listenerCount()).toBe(0);
  });

  it('still works when storage throws (blocked storage)', () => {
    const { env, root } = environment();
    const blocked = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    const theme = createThemeStore({ ...env, storage: blocked });
    expect(theme.preference()).toBe('dark');
    theme.setPreference('light');
    expect(root.getAttribute('data-theme')).toBe('light');
  });
});

describe('index.html theme boot script', () => {
  const script = /<script id="seen-theme-boot">([\s\S]*?)<\/script>/.exec(indexHtml)?.[1];
  const runBootScript = () => new Function(script ?? 'throw new Error("boot script not found")')();

  afterEach(() => {
    document.documentElement.style.colorScheme = '';
  });

  it.each([
    { saved: null, systemLight: true, expected: 'dark' },
    { saved: 'light', systemLight: false, expected: 'light' },
    { saved: 'dark', systemLight: true, expected: 'dark' },
    { saved: 'system', systemLight: true, expected: 'light' },
    { saved: 'system', systemLight: false, expected: 'dark' },
  ])('saved=$saved, OS light=$systemLight paints $expected before the app loads', ({ saved, systemLight, expected }) => {
    if (saved) localStorage.setItem(THEME_STORAGE_KEY, saved);
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query === LIGHT_QUERY && systemLight }));
    runBootScript();
    expect(document.documentElement.getAttribute('data-theme')).toBe(expected);
    expect(document.documentElement.style.colorScheme).toBe(expected);
  });
});
