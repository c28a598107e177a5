import { useLocation, type RouteSectionProps } from '@solidjs/router';
import { createEffect, createSignal, on, onMount, Show, Suspense } from 'solid-js';
import { favorites, watchLater } from '../../stores/membership';
import { playback } from '../../stores/playback';
import { useProfiles } from '../../stores/profiles';
import { sidebarCollapsed } from '../../stores/sidebar';
import { MobileNav } from './MobileNav';
import { Sidebar } from './Sidebar';
import { TopBar } from './TopBar';

function PageFallback() {
  return (
    <div role="status" aria-live="polite" class="animate-enter">
      <span class="sr-only">Loading page…</span>
      <div aria-hidden="true" class="space-y-4">
        <div class="h-9 w-56 animate-shimmer rounded-lg bg-raised" />
        <div class="h-4 w-96 max-w-full animate-shimmer rounded bg-raised" />
      </div>
    </div>
  );
}

/** Sidebar + top bar around every /app/* page. */
export default function AppShell(props: RouteSectionProps) {
  const location = useLocation();
  const [menuOpen, setMenuOpen] = createSignal(false);

  // Who is watching (kid mode hides parts of the shell) and the bookmarks and hearts on every poster
  // come from one load of each list.
  onMount(() => void Promise.all([useProfiles().ensureLoaded(), watchLater.ensureLoaded(), favorites.ensureLoaded()]).catch(() => undefined));

  // Navigating from the phone drawer closes it.
  createEffect(on(() => location.pathname, () => setMenuOpen(false), { defer: true }));

  return (
    <div class="relative min-h-dvh bg-canvas text-ink">
      <a
        href="#main"
        class="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50 focus:rounded-full focus:bg-accent focus:px-4 focus:py-2 focus:text-sm focus:font-medium focus:text-on-accent"
      >
        Skip to content
      </a>
      {/* A faint brand glow at the top of the canvas; decoration only. */}
      <div
        aria-hidden="true"
        class="pointer-events-none fixed inset-x-0 top-0 z-0 h-[28rem] bg-[radial-gradient(60%_100%_at_70%_0%,var(--color-secondary-soft),transparent_70%)] opacity-70"
      />
      {/* Theater mode on a player page: the video gets the whole window (the player's own controls stay). */}
      <Show when={!playback.shellHidden()}>
        <Sidebar />
        <MobileNav open={menuOpen()} onOpenChange={setMenuOpen} />
      </Show>
      <div
        class="relative transition-[padding] duration-300 ease-out-soft md:pl-[4.5rem]"
        classList={{ 'lg:pl-60': !sidebarCollapsed(), 'pl-0!': playback.shellHidden() }}
      >
        <Show when={!playback.shellHidden()}>
          <TopBar onOpenMenu={() => setMenuOpen(true)} menuOpen={menuOpen()} />
        </Show>
        <main
          id="main"
          tabindex="-1"
          class="mx-auto w-full max-w-7xl px-5 pb-24 pt-10 outline-none sm:px-8 lg:px-12 lg:pt-14"
          classList={{ 'max-w-none! px-0! pt-0!': playback.shellHidden() }}
        >
          <Suspense fallback={<PageFallback />}>{props.children}</Suspense>
        </main>
      </div>
    </div>
  );
}
