import { A } from '@solidjs/router';
import Baby from 'lucide-solid/icons/baby';
import { Match, onMount, Switch, type JSX } from 'solid-js';
import { APP_HOME, PROFILES_PATH } from '../../navigation';
import { useProfiles } from '../../stores/profiles';
import { buttonStyles } from '../ui/button';
import { EmptyState } from '../ui/EmptyState';
import { Page } from '../ui/Page';

/** What a kid profile sees at Get, Downloads, Settings or Admin URLs. */
export function NotForKids() {
  return (
    <Page title="Not available on a kid profile" description="This part of /seen/ is for grown-ups.">
      <EmptyState
        icon={Baby}
        title="Not available on a kid profile"
        body="Downloads, settings and the admin pages are for grown-up profiles. Ask a grown-up to switch profiles if you need something here."
        action={
          <div class="flex flex-wrap justify-center gap-3">
            <A href={APP_HOME} class={buttonStyles.primary}>
              Back to the dashboard
            </A>
            <A href={PROFILES_PATH} class={buttonStyles.secondary}>
              Switch profile
            </A>
          </div>
        }
      />
    </Page>
  );
}

/** Renders its children for adult profiles only; waits for the profile to be known, so nothing adult flashes. */
export function AdultOnly(props: { children: JSX.Element }) {
  const profiles = useProfiles();
  onMount(() => void profiles.ensureLoaded());
  return (
    <Switch>
      <Match when={profiles.ready() && profiles.isKid()}>
        <NotForKids />
      </Match>
      <Match when={profiles.ready()}>{props.children}</Match>
    </Switch>
  );
}
