import UserRound from 'lucide-solid/icons/user-round';
import { ThemeSwitch } from '../components/layout/ThemeSwitch';
import { EmptyState } from '../components/ui/EmptyState';
import { Page, Section } from '../components/ui/Page';

export default function SettingsPage() {
  return (
    <Page title="Settings" description="Your profile, playback preferences and how /seen/ looks.">
      <Section id="appearance" title="Appearance">
        <div class="flex flex-col gap-4 rounded-2xl border border-line bg-surface p-6 sm:flex-row sm:items-center sm:justify-between">
          <div>
            <p class="font-medium text-ink">Theme</p>
            <p class="mt-1 text-sm text-ink-muted">Dark suits a dim room; System follows your device.</p>
          </div>
          <ThemeSwitch showLabels id="settings-theme" />
        </div>
      </Section>
      <Section id="profile" title="Profile and playback">
        <EmptyState
          icon={UserRound}
          level={3}
          title="Sign in to personalise"
          body="Your name, password, subtitle language and the point at which a title counts as watched live here once accounts are enabled."
        />
      </Section>
    </Page>
  );
}
