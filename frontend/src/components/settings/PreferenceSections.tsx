import { createEffect, createSignal, For, on } from 'solid-js';
import { playback } from '../../stores/playback';
import { THEME_STORAGE_KEY, useTheme } from '../../stores/theme';
import { ThemeSwitch } from '../layout/ThemeSwitch';
import { fieldStyles } from '../ui/form';
import { choices, LANGUAGES, languageName, regionName, REGIONS } from './locales';
import type { Preferences, UserSettings } from './preferences';
import { ChoiceSelect, describedBy, SettingRow, settingsCard, Toggle } from './SettingRow';

interface SectionProps {
  prefs: Preferences;
  settings: UserSettings;
}

/** 50–100 %; the number follows the thumb while dragging, the save happens on release. */
function ThresholdSlider(props: SectionProps) {
  const [dragging, setDragging] = createSignal<number>();
  const value = () => dragging() ?? props.settings.watchedThresholdPercent;
  const error = () => props.prefs.fieldError('watchedThresholdPercent');
  const commit = (next: number) => {
    setDragging(undefined);
    if (next !== props.settings.watchedThresholdPercent) {
      void props.prefs.save({ watchedThresholdPercent: next }, "Couldn't change when titles count as watched");
    }
  };
  return (
    <SettingRow id="watched-threshold" label="Count as watched at" hint="How much of a movie or episode you play before it is logged as watched." error={error()}>
      <div class="flex w-full items-center gap-4 sm:w-72">
        <input
          id="watched-threshold"
          type="range"
          min="50"
          max="100"
          step="5"
          value={value()}
          aria-valuetext={`${value()} percent`}
          class="h-2 flex-1 cursor-pointer accent-[var(--color-accent)]"
          onInput={(e) => setDragging(e.currentTarget.valueAsNumber)}
          onChange={(e) => commit(e.currentTarget.valueAsNumber)}
          {...describedBy('watched-threshold', error())}
        />
        <output for="watched-threshold" class="w-12 text-right text-sm font-medium tabular-nums text-ink">{value()}%</output>
      </div>
    </SettingRow>
  );
}

/** How long a download's stream may stall at one spot before the player switches release (the API's bounds). */
export const STALL_SWITCH = { min: 3, max: 300, default: 15 } as const;

/** Whole seconds within STALL_SWITCH's bounds, or undefined for anything else (empty, 2, 4.5, 301). */
export function stallSeconds(raw: string): number | undefined {
  const value = Number(raw);
  return raw.trim() !== '' && Number.isInteger(value) && value >= STALL_SWITCH.min && value <= STALL_SWITCH.max ? value : undefined;
}

/**
 * The playback session's fallback: seconds a download's stream may wait at one spot before the player
 * moves to the next release that fits. Saved when the field is left (or Enter), only when valid.
 */
function StallSwitchSeconds(props: SectionProps) {
  const [draft, setDraft] = createSignal<string>();
  const [invalid, setInvalid] = createSignal(false);
  const saved = () => props.settings.stallSwitchSeconds ?? STALL_SWITCH.default;
  const error = () => (invalid() ? `Enter whole seconds from ${STALL_SWITCH.min} to ${STALL_SWITCH.max}.` : props.prefs.fieldError('stallSwitchSeconds'));
  const commit = (raw: string) => {
    const next = stallSeconds(raw);
    setInvalid(next === undefined);
    if (next === undefined) return;
    setDraft(undefined);
    if (next !== saved()) void props.prefs.save({ stallSwitchSeconds: next }, "Couldn't change when the player switches releases");
  };
  return (
    <SettingRow
      id="stall-switch"
      label="Switch to another release when a download stalls for"
      hint={`While you stream a download that stops at one spot this long, the player moves to the next release that fits, from the same second. ${STALL_SWITCH.min}–${STALL_SWITCH.max} seconds.`}
      error={error()}
    >
      <div class="flex items-center gap-2">
        <input
          id="stall-switch"
          type="number"
          inputmode="numeric"
          min={STALL_SWITCH.min}
          max={STALL_SWITCH.max}
          step="1"
          value={draft() ?? saved()}
          class={`${fieldStyles.input} w-24 tabular-nums`}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onChange={(e) => commit(e.currentTarget.value)}
          {...describedBy('stall-switch', error())}
        />
        <span class="text-sm text-ink-muted">seconds</span>
      </div>
    </SettingRow>
  );
}

/**
 * Subtitle languages after the first (the "Subtitles" choice), in order: the
 * player lists them next, and a file lacking one gets it from OpenSubtitles
 * when the server has a key. Saved as the whole ordered list.
 */
function MoreSubtitleLanguages(props: SectionProps) {
  const first = () => props.settings.subtitleLanguage;
  const rest = () => (props.settings.subtitleLanguages ?? []).filter((code) => code !== first());
  const error = () => props.prefs.fieldError('subtitleLanguages');
  const save = (next: string[]) => {
    const current = first();
    void props.prefs.save(
      { subtitleLanguage: current, subtitleLanguages: current ? [current, ...next] : next },
      "Couldn't change your subtitle languages",
    );
  };
  const addable = () => choices(LANGUAGES, languageName).filter((c) => c.value !== first() && !rest().includes(c.value));
  return (
    <SettingRow id="subtitle-languages" label="More subtitle languages" hint="In order of preference; fetched from OpenSubtitles when a file has none." error={error()}>
      <div class="flex w-full flex-col gap-2 sm:w-64">
        <ul class="flex flex-wrap gap-1.5" aria-label="More subtitle languages">
          <For each={rest()}>
            {(code) => (
              <li class="flex items-center gap-1 rounded-full border border-line px-2.5 py-0.5 text-sm text-ink">
                {languageName(code)}
                <button type="button" class="text-ink-subtle hover:text-ink" aria-label={`Remove ${languageName(code)}`} onClick={() => save(rest().filter((c) => c !== code))}>
                  ×
                </button>
              </li>
            )}
          </For>
        </ul>
        <ChoiceSelect id="subtitle-languages" value={null} none="Add a language…" choices={addable()} error={error()} onChange={(code) => code && save([...rest(), code])} />
      </div>
    </SettingRow>
  );
}

export function PlaybackSettings(props: SectionProps) {
  const s = () => props.settings;
  const languages = (current: string | null) => choices(LANGUAGES, languageName, current);
  return (
    <div class={`${settingsCard} divide-y divide-line`}>
      <ThresholdSlider {...props} />
      <SettingRow id="autoplay-next" label="Autoplay next episode" hint="Starts the next episode after a short countdown you can cancel." error={props.prefs.fieldError('autoplayNext')}>
        <Toggle
          id="autoplay-next"
          checked={s().autoplayNext}
          error={props.prefs.fieldError('autoplayNext')}
          onChange={(autoplayNext) => void props.prefs.save({ autoplayNext }, "Couldn't change autoplay")}
        />
      </SettingRow>
      <StallSwitchSeconds {...props} />
      <SettingRow id="auto-skip" label="Skip intros and credits" hint="On this device: jumps past a show's intro and credits by itself. A Skip button shows either way.">
        <Toggle id="auto-skip" checked={playback.autoSkip()} onChange={(on) => playback.setAutoSkip(on)} />
      </SettingRow>
      <SettingRow id="subtitle-language" label="Subtitles" hint="Turned on in this language when a file has them." error={props.prefs.fieldError('subtitleLanguage')}>
        <ChoiceSelect
          id="subtitle-language"
          value={s().subtitleLanguage}
          none="Off"
          choices={languages(s().subtitleLanguage)}
          error={props.prefs.fieldError('subtitleLanguage')}
          onChange={(subtitleLanguage) => void props.prefs.save({ subtitleLanguage }, "Couldn't change the subtitle language")}
        />
      </SettingRow>
      <MoreSubtitleLanguages {...props} />
      <SettingRow id="audio-language" label="Audio language" hint="Picked when a file has more than one audio track." error={props.prefs.fieldError('audioLanguage')}>
        <ChoiceSelect
          id="audio-language"
          value={s().audioLanguage}
          none="Original language"
          choices={languages(s().audioLanguage)}
          error={props.prefs.fieldError('audioLanguage')}
          onChange={(audioLanguage) => void props.prefs.save({ audioLanguage }, "Couldn't change the audio language")}
        />
      </SettingRow>
    </div>
  );
}

export function RegionSettings(props: SectionProps) {
  return (
    <div class={settingsCard}>
      <SettingRow id="release-region" label="Release region" hint="Release dates on the calendar and the dashboard follow this country." error={props.prefs.fieldError('region')}>
        <ChoiceSelect
          id="release-region"
          value={props.settings.region}
          none={`Default (${regionName('US')})`}
          choices={choices(REGIONS, regionName, props.settings.region)}
          error={props.prefs.fieldError('region')}
          onChange={(region) => void props.prefs.save({ region }, "Couldn't change your region")}
        />
      </SettingRow>
    </div>
  );
}

function hasLocalTheme(): boolean {
  try {
    return localStorage.getItem(THEME_STORAGE_KEY) !== null;
  } catch {
    return false;
  }
}

/**
 * The theme lives in two places: this device (painted before first paint, see
 * stores/theme.ts) and your account (so it roams). A device that never picked a
 * theme adopts the account's; otherwise, while this page is open, this device's
 * theme — picked here or in the top bar — is saved to the account.
 */
export function AppearanceSettings(props: SectionProps) {
  const theme = useTheme();
  if (!hasLocalTheme() && props.settings.updatedAt) theme.setPreference(props.settings.theme);
  createEffect(
    on(theme.preference, (preference) => {
      if (preference !== props.settings.theme) void props.prefs.save({ theme: preference }, "Couldn't save the theme to your account");
    }),
  );
  return (
    <div class={settingsCard}>
      <SettingRow id="settings-theme" label="Theme" hint="Dark suits a dim room; System follows your device." error={props.prefs.fieldError('theme')}>
        <ThemeSwitch showLabels id="settings-theme" />
      </SettingRow>
    </div>
  );
}
