import { A, useNavigate, useSearchParams } from '@solidjs/router';
import Settings from 'lucide-solid/icons/settings';
import { createEffect, onMount, Show } from 'solid-js';
import { safeNext } from '../components/layout/AuthGate';
import { Wordmark } from '../components/layout/Wordmark';
import { ProfilePicker } from '../components/profiles/ProfilePicker';
import { buttonStyles } from '../components/ui/button';
import { LoadingLabel } from '../components/ui/Skeleton';
import { useProfiles } from '../stores/profiles';

/** /app/profiles: "Who's watching?" after sign-in (when the account has several) and from "Switch profile". */
export default function ProfilesPage() {
  const profiles = useProfiles();
  const navigate = useNavigate();
  const [params] = useSearchParams<{ next?: string }>();
  onMount(() => void profiles.load());
  createEffect(() => {
    document.title = "Who's watching? · /seen/";
  });

  return (
    <div class="relative flex min-h-dvh flex-col bg-canvas text-ink">
      <div
        aria-hidden="true"
        class="pointer-events-none fixed inset-x-0 top-0 z-0 h-[28rem] bg-[radial-gradient(60%_100%_at_50%_0%,var(--color-secondary-soft),transparent_70%)] opacity-80"
      />
      <header class="relative flex h-16 items-center px-6">
        <Wordmark mode="full" />
      </header>
      <main class="relative flex flex-1 flex-col items-center justify-center px-6 pb-24">
        <Show when={profiles.ready()} fallback={<LoadingLabel label="Loading profiles…" />}>
          <ProfilePicker store={profiles} onChosen={() => navigate(safeNext(params.next), { replace: true })}>
            <Show when={!profiles.isKid() && profiles.profiles().length > 0}>
              <A href="/app/settings#profiles" class={`${buttonStyles.secondary} mt-14`}>
                <Settings class="size-4" strokeWidth={1.75} />
                Manage profiles
              </A>
            </Show>
          </ProfilePicker>
        </Show>
      </main>
    </div>
  );
}
