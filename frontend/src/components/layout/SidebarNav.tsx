import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { footerNav, primaryNav, type NavItem } from '../../navigation';
import { useProfiles } from '../../stores/profiles';
import { useSession } from '../../stores/session';

/**
 * full: labels always shown (phone drawer).
 * responsive: icons on medium screens, labels from `lg` up (desktop sidebar).
 * compact: icons only (desktop sidebar folded by the user).
 */
export type NavMode = 'full' | 'responsive' | 'compact';

const labelClass: Record<NavMode, string> = {
  full: 'truncate',
  responsive: 'sr-only lg:not-sr-only lg:truncate',
  compact: 'sr-only',
};

const alignClass: Record<NavMode, string> = {
  full: 'justify-start px-3',
  responsive: 'justify-center lg:justify-start lg:px-3',
  compact: 'justify-center',
};

const groupLabel = 'px-3 pb-2 short:pb-1 shorter:hidden! text-xs font-medium uppercase tracking-[0.14em] text-ink-subtle';
const groupLabelClass: Record<NavMode, string> = {
  full: groupLabel,
  responsive: `hidden lg:block ${groupLabel}`,
  compact: 'hidden',
};

function NavLink(props: { item: NavItem; mode: NavMode }) {
  return (
    <li>
      <A
        href={props.item.href}
        title={props.mode === 'full' ? undefined : props.item.label}
        class={`group relative flex h-10 short:h-8 shorter:h-[1.875rem] items-center gap-3 rounded-xl text-sm font-medium transition-colors duration-200 ${alignClass[props.mode]}`}
        activeClass="is-active bg-accent-soft text-ink"
        inactiveClass="text-ink-muted hover:bg-hover hover:text-ink"
      >
        <span
          aria-hidden="true"
          class="absolute inset-y-2.5 left-0 w-0.5 rounded-full bg-accent opacity-0 transition-opacity group-[.is-active]:opacity-100"
        />
        <props.item.icon class="size-[18px] shrink-0 group-[.is-active]:text-accent-ink" strokeWidth={1.75} />
        <span class={labelClass[props.mode]}>{props.item.label}</span>
      </A>
    </li>
  );
}

/**
 * On laptop heights (`short:`/`shorter:` in index.css) rows tighten and group labels
 * give way, so Settings and Admin stay in sight; below that the list scrolls, visibly.
 */
export function SidebarNav(props: { mode: NavMode }) {
  const session = useSession();
  const profiles = useProfiles();
  const shown = (item: NavItem) =>
    (!item.adminOnly || (session.user()?.role === 'admin' && profiles.actsAsOwner())) && (!item.adultOnly || !profiles.isKid());
  const footer = () => footerNav.filter(shown);
  // The groups and items are navigation.ts's own objects, filtered in place: when the profile loads (Admin
  // appears, a kid loses items) the links that stay keep their DOM instead of every group being rebuilt.
  return (
    <nav aria-label="Main" class="visible-scrollbar flex min-h-0 flex-1 flex-col gap-7 overflow-y-auto px-3 py-4 short:gap-4 short:py-3 shorter:gap-3">
      <For each={primaryNav}>
        {(group) => (
          <Show when={group.items.some(shown)}>
            <div role="group" aria-label={group.label}>
              <p aria-hidden="true" class={groupLabelClass[props.mode]}>
                {group.label}
              </p>
              <ul class="flex flex-col gap-0.5">
                <For each={group.items.filter(shown)}>{(item) => <NavLink item={item} mode={props.mode} />}</For>
              </ul>
            </div>
          </Show>
        )}
      </For>
      <Show when={footer().length}>
        <ul class="mt-auto flex flex-col gap-0.5 border-t border-line pt-4 short:pt-3">
          <For each={footer()}>{(item) => <NavLink item={item} mode={props.mode} />}</For>
        </ul>
      </Show>
    </nav>
  );
}
