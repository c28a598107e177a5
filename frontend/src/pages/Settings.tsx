import { Show } from 'solid-js';
import { ThemeSwitch } from '../components/layout/ThemeSwitch';
import { DataAndSessions, PasswordForm, ProfileForm } from '../components/settings/AccountForms';
import { createImports } from '../components/settings/imports';
import { ImportHistory } from '../components/settings/ImportHistory';
import { createInstanceSettings } from '../components/settings/instance';
import { InstanceSettings } from '../components/settings/InstanceSettings';
import { MediaServers } from '../components/settings/MediaServers';
import { createNotificationPrefs, createWebhooks } from '../components/settings/notifications';
import { NotificationSettings } from '../components/settings/NotificationSettings';
import { ManageProfiles } from '../components/profiles/ManageProfiles';
import { AppearanceSettings, PlaybackSettings, RegionSettings } from '../components/settings/PreferenceSections';
import { createPreferences, type Preferences, type UserSettings } from '../components/settings/preferences';
import { SettingRow, settingsCard } from '../components/settings/SettingRow';
import { YourMediaServers } from '../components/settings/YourMediaServers';
import { Page, Section } from '../components/ui/Page';
import { QueryView } from '../components/ui/QueryView';
import { ListSkeleton } from '../components/ui/Skeleton';
import { useProfiles } from '../stores/profiles';
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
  const notifications = createNotificationPrefs();
  const webhooks = createWebhooks();
  const imports = createImports();

  return (
    <Page title="Settings" description="Playback, looks, notifications, your history and your account — saved as you change them.">
      <Section id="playback" title="Playback">
        <WithPreferences prefs={prefs} rows={4}>
          {(settings) => <PlaybackSettings prefs={prefs} settings={settings()} />}
        </WithPreferences>
      </Section>
      <Section id="appearance" title="Appearance">
        <Show when={prefs.query.data} fallback={<LocalTheme />}>
          {(settings) => <AppearanceSettings prefs={prefs} settings={settings()} />}
        </Show>
      </Section>
      <Section id="region" title="Region">
        <WithPreferences prefs={prefs} rows={1}>
          {(settings) => <RegionSettings prefs={prefs} settings={settings()} />}
        </WithPreferences>
      </Section>
      <Section id="notifications" title="Notifications">
        <NotificationSettings prefs={notifications} />
      </Section>
      <Section id="media-servers" title="Media servers">
        <MediaServers store={webhooks} />
      </Section>
      <Section id="your-media-servers" title="Your media servers">
        <YourMediaServers />
      </Section>
      <Section id="import" title="Import">
        <ImportHistory imports={imports} />
      </Section>
      <Section id="profiles" title="Profiles">
        <ManageProfiles store={useProfiles()} />
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
