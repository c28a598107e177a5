import { A } from '@solidjs/router';
import CircleAlert from 'lucide-solid/icons/circle-alert';
import { Index, Show } from 'solid-js';
import type { Channel } from '../../api/channels';
import { formatRelative } from '../../lib/format';
import { PersonPhoto } from '../people/PersonPhoto';
import { Skeleton } from '../ui/Skeleton';
import { channelHref } from './videoState';

/** "@veritasium · 412 videos · newest 3 days ago" (what is known of it). */
export function channelLine(channel: Channel): string {
  const videos = `${channel.videoCount} video${channel.videoCount === 1 ? '' : 's'}`;
  return [channel.handle, videos, channel.latestAt ? `newest ${formatRelative(channel.latestAt)}` : undefined].filter(Boolean).join(' · ');
}

/** A followed channel in the grid: avatar (or initials), name, handle, "N new", and why its feed failed, if it did. */
export function ChannelCard(props: { channel: Channel }) {
  return (
    <li data-testid="channel-card" aria-label={props.channel.title}>
      <A
        href={channelHref(props.channel.id)}
        class="group flex h-full items-center gap-4 rounded-2xl border border-line bg-surface p-4 transition-[border-color,transform,box-shadow] duration-200 hover:-translate-y-0.5 hover:border-line-strong hover:shadow-[0_18px_40px_-24px_rgb(0_183_255/0.45)] focus-visible:outline-2 focus-visible:outline-accent"
      >
        <PersonPhoto name={props.channel.title} url={props.channel.thumbnailUrl} class="w-14" />
        <span class="min-w-0 flex-1">
          <span class="flex items-center gap-2">
            <span class="truncate font-medium text-ink transition-colors group-hover:text-accent-ink">{props.channel.title}</span>
            <Show when={props.channel.newCount > 0}>
              <span class="shrink-0 rounded-full bg-accent px-2 py-px text-[11px] font-semibold text-on-accent">{props.channel.newCount} new</span>
            </Show>
          </span>
          <span class="mt-0.5 block truncate text-xs text-ink-subtle">{channelLine(props.channel)}</span>
          <Show when={props.channel.lastError}>
            {(error) => (
              <span class="mt-1.5 flex items-start gap-1.5 text-xs text-warn" title={error()}>
                <CircleAlert class="mt-px size-3.5 shrink-0" strokeWidth={2} />
                <span class="line-clamp-2">{error()}</span>
              </span>
            )}
          </Show>
        </span>
      </A>
    </li>
  );
}

export function ChannelGridSkeleton() {
  return (
    <ul aria-hidden="true" class="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
      <Index each={Array.from({ length: 6 })}>
        {() => (
          <li class="flex items-center gap-4 rounded-2xl border border-line bg-surface p-4">
            <Skeleton class="size-14 rounded-full" />
            <div class="flex-1 space-y-2">
              <Skeleton class="h-4 w-1/2" />
              <Skeleton class="h-3 w-3/4" />
            </div>
          </li>
        )}
      </Index>
    </ul>
  );
}

/** Loading 16:9 video cards, as many as a first page fills a row or two with. */
export function VideoGridSkeleton(props: { count?: number }) {
  return (
    <div aria-hidden="true" class={VIDEO_GRID}>
      <Index each={Array.from({ length: props.count ?? 8 })}>
        {() => (
          <div>
            <Skeleton class="aspect-video w-full rounded-xl" />
            <Skeleton class="mt-3 h-3.5 w-4/5" />
            <Skeleton class="mt-2 h-3 w-1/3" />
          </div>
        )}
      </Index>
    </div>
  );
}

export const VIDEO_GRID = 'grid gap-x-5 gap-y-9 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-4';
