import { createEffect, For, type JSX } from 'solid-js';
import { placeholderArt } from '../../lib/placeholder';

/** Titles for the decorative poster wall (generated art only; nothing is fetched). */
const WALL = [
  'Blade Runner', 'Spirited Away', 'The Wire', 'Elden Ring', 'Arrival', 'Parasite', 'Severance', 'Hades',
  'Moonlight', 'Dark', 'Inception', 'Outer Wilds', 'Heat', 'Fargo', 'Celeste', 'Her', 'Succession',
  'Alien', 'Portal 2', 'Chernobyl', 'Drive', 'Mad Men', 'Disco Elysium', 'Amélie',
];

function PosterWall() {
  return (
    <div aria-hidden="true" class="absolute inset-0 overflow-hidden">
      <div class="absolute -inset-x-10 -top-16 grid rotate-[-8deg] grid-cols-4 gap-4 opacity-75 xl:grid-cols-5 motion-safe:animate-[drift_60s_linear_infinite_alternate]">
        <For each={[...WALL, ...WALL]}>
          {(title) => {
            const art = placeholderArt(title);
            return (
              <div class="flex aspect-[2/3] flex-col justify-end rounded-xl p-3 ring-1 ring-white/5" style={{ background: art.background }}>
                <span class="text-4xl font-semibold tracking-tight text-white/85">{art.initials}</span>
                <span class="mt-1 truncate text-[11px] text-white/50">{title}</span>
              </div>
            );
          }}
        </For>
      </div>
      <div class="absolute inset-0 bg-linear-to-r from-canvas/30 via-canvas/60 to-canvas" />
      <div class="absolute inset-0 bg-linear-to-t from-canvas via-transparent to-canvas/40" />
    </div>
  );
}

/** Sign-in and sign-up frame: a quiet poster wall on wide screens, the form on the right. */
export function AuthLayout(props: { title: string; subtitle: string; children: JSX.Element; footer: JSX.Element }) {
  createEffect(() => {
    document.title = `${props.title} · /seen/`;
  });
  return (
    <div class="relative grid min-h-dvh bg-canvas text-ink lg:grid-cols-[1.1fr_1fr]">
      <div class="relative hidden overflow-hidden lg:block">
        <PosterWall />
        <div class="absolute bottom-14 left-14 max-w-md">
          <p class="text-4xl font-semibold leading-tight tracking-tight">
            Everything you watch and play, <span class="bg-linear-to-r from-accent to-[#8f5bff] bg-clip-text text-transparent">in one quiet place.</span>
          </p>
          <p class="mt-4 text-ink-muted">Track films, shows and games. Stream your own library. Yours, self-hosted.</p>
        </div>
      </div>
      <main class="relative flex flex-col justify-center px-6 py-12 sm:px-12">
        <div
          aria-hidden="true"
          class="pointer-events-none absolute inset-x-0 top-0 h-80 bg-[radial-gradient(60%_100%_at_50%_0%,var(--color-secondary-soft),transparent_70%)] lg:hidden"
        />
        <div class="relative mx-auto w-full max-w-sm animate-enter">
          <a href="/" aria-label="/seen/ home" class="mb-12 inline-flex items-baseline text-2xl font-semibold tracking-tight">
            <span class="text-accent">/</span>seen<span class="bg-linear-to-b from-accent to-secondary bg-clip-text text-transparent">/</span>
          </a>
          <h1 class="text-3xl font-semibold tracking-tight">{props.title}</h1>
          <p class="mt-2 text-ink-muted">{props.subtitle}</p>
          <div class="mt-9">{props.children}</div>
          <p class="mt-8 text-sm text-ink-muted">{props.footer}</p>
        </div>
      </main>
    </div>
  );
}
