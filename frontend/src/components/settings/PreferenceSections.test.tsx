import { fireEvent, render, screen } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { createSignal } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PlaybackSettings, stallSeconds } from './PreferenceSections';
import type { Preferences, UserSettings } from './preferences';

// The Playback card from plain props: `save` is the preferences' own (optimistic PATCH), here a spy.
const settings = {
  watchedThresholdPercent: 90, autoplayNext: true, subtitleLanguage: null, subtitleLanguages: [], audioLanguage: null,
  theme: 'dark', region: null, updatedAt: null, stallSwitchSeconds: 15,
} as unknown as UserSettings;

function card(initial: Partial<UserSettings> = {}, fieldErrors: Record<string, string> = {}) {
  const [current, setCurrent] = createSignal({ ...settings, ...initial } as UserSettings);
  const save = vi.fn((patch: Partial<UserSettings>) => {
    setCurrent((s) => ({ ...s, ...patch }));
    return Promise.resolve(true);
  });
  const prefs = { query: undefined as never, fieldError: (field: string) => fieldErrors[field], save } as unknown as Preferences;
  render(() => <PlaybackSettings prefs={prefs} settings={current()} />);
  return { save, input: screen.getByRole('spinbutton', { name: 'Switch to another release when a download stalls for' }) as HTMLInputElement };
}

beforeEach(() => {
  vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new Error('the card made a request'))));
});
afterEach(() => vi.unstubAllGlobals());

describe('stallSeconds', () => {
  it('takes whole seconds from 3 to 300 and nothing else', () => {
    expect(stallSeconds('3')).toBe(3);
    expect(stallSeconds('300')).toBe(300);
    expect(stallSeconds(' 45 ')).toBe(45);
    for (const raw of ['', ' ', '2', '301', '4.5', '-10', 'soon']) expect(stallSeconds(raw)).toBeUndefined();
  });
});

describe('Playback settings: the stall switch', () => {
  it('shows the saved seconds, or the default 15 when the account has none yet', () => {
    card({ stallSwitchSeconds: 40 });
    expect(screen.getByRole('spinbutton', { name: /stalls for/ })).toHaveValue(40);
    document.body.innerHTML = '';
    const { input } = card({ stallSwitchSeconds: undefined });
    expect(input).toHaveValue(15);
    expect(input).toHaveAttribute('min', '3');
    expect(input).toHaveAttribute('max', '300');
  });

  it('saves a new number of seconds when the field is left', async () => {
    const { save, input } = card();
    await userEvent.clear(input);
    await userEvent.type(input, '45');
    expect(save).not.toHaveBeenCalled(); // not while typing
    await userEvent.tab();
    expect(save).toHaveBeenCalledExactlyOnceWith({ stallSwitchSeconds: 45 }, "Couldn't change when the player switches releases");
    expect(input).toHaveValue(45);
    fireEvent.change(input, { target: { value: '45' } }); // the same again: nothing to save
    expect(save).toHaveBeenCalledOnce();
  });

  it('refuses seconds outside 3–300 without saving, and clears the message once valid', () => {
    const { save, input } = card();
    for (const value of ['2', '301', '']) {
      fireEvent.input(input, { target: { value } });
      fireEvent.change(input, { target: { value } });
      expect(screen.getByRole('alert')).toHaveTextContent('Enter whole seconds from 3 to 300.');
      expect(input).toHaveAttribute('aria-invalid', 'true');
    }
    expect(save).not.toHaveBeenCalled();
    fireEvent.change(input, { target: { value: '3' } });
    expect(save).toHaveBeenCalledExactlyOnceWith({ stallSwitchSeconds: 3 }, expect.any(String));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows the API’s message when it refused the value', () => {
    const { input } = card({}, { stallSwitchSeconds: 'Input should be less than or equal to 300' });
    expect(screen.getByRole('alert')).toHaveTextContent('Input should be less than or equal to 300');
    expect(input).toHaveAttribute('aria-invalid', 'true');
  });
});
