import { Show } from 'solid-js';
import { ThemeSwitch } from '../components/layout/ThemeSwitch';
import { DataAndSessions, PasswordForm, ProfileForm } from '../components/settings/AccountForms';
import { createInstanceSettings } from '../components/settings/instance';
import { InstanceSettings } from '../components/settings/InstanceSettings';
import { AppearanceSettings, PlaybackSettings, RegionSettings } from '../components/settings/PreferenceSections';
import { createPreferences, type Preferences, type UserSettings } from '../components/settings/preferences';
import { SettingRow, settingsCard } from '../components/settings/SettingRow';
import { Page, Section } from '../components/ui/Page';
import { QueryView } from '../components/ui/QueryView';
import { ListSkeleton } from '../components/ui/Skeleton';
import { useSession } from '../stores/session';
import type { Accessor, JSX } from 'solid-js';

/** A section that needs your saved preferences: skeleton while they load, the API's error with a retry if they don't. */
function WithPreferences(props: { prefs: Preferences; rows: number; children: (settings: Accessor<UserSettings>) => JSX.Element }) {
  return (
    <QueryView query={props.prefs.query} loading={<ListSkeleton rows={props.rows} label="Loading your preferences…" />} errorTitle="Couldn't load your preferences">
      {(settings) => props.children(settings)}
    </QueryView>
  );
}

/** Works from this device alone until the saved preferences arrive (the theme must never wait on the API). */
function LocalTheme() {
  return (
    <div class={settingsCard}>
      <SettingRow id="settings-theme" label="Theme" hint="Dark suits a dim room; System follows your device.">
        <ThemeSwitch showLabels id="settings-theme" />
      </SettingRow>
    </div>
  );
}

export default function SettingsPage() {
  const session = useSession();
  const isAdmin = () => session.user()?.role === 'admin';
  const prefs = createPreferences();
  const instance = createInstanceSettings(isAdmin);

  return (
    <Page title="Settings" description="Playback, looks, region and your account — saved as you change them.">
      <Section id="playback" title="Playback">
        <WithPreferences prefs={prefs} rows={4}>
          {(settings) => <PlaybackSettings prefs={prefs} settings={settings()} />}
        </WithPreferences>
      </Section>
      <Section id="appearance" title="Appearance">
        <Show when={prefs.query.data()} fallback={<LocalTheme />}>
          {(settings) => <AppearanceSettings prefs={prefs} settings={settings()} />}
        </Show>
      </Section>
      <Section id="region" title="Region">
        <WithPreferences prefs={prefs} rows={1}>
          {(settings) => <RegionSettings prefs={prefs} settings={settings()} />}
        </WithPreferences>
      </Section>
      <Section id="account" title="Account">
        <div class="flex flex-col gap-4">
          <ProfileForm />
          <PasswordForm />
          <DataAndSessions />
        </div>
      </Section>
      <Show when={isAdmin()}>
        <Section id="instance" title="Instance">
          <InstanceSettings store={instance} />
        </Section>
      </Show>
    </Page>
  );
}
