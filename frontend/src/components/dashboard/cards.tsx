import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import type { BacklogEntry, ContinueItem, HistoryEntry } from '../../api/types';
import { formatDuration, formatRelative, mediaTypeLabel } from '../../lib/format';
import { eventHref } from '../calendar/state';
import { Poster } from '../media/Poster';
import { PosterCard } from '../media/PosterCard';
import { platformList, type ReleaseGroup } from './releases';
import { releaseChip, type CalendarEvent } from './widgets';

const episodeCode = (ep: { seasonNumber?: number | null; episodeNumber?: number | null } | null | undefined) =>
  ep && ep.seasonNumber != null && ep.episodeNumber != null ? `S${ep.seasonNumber} · E${ep.episodeNumber}` : '';

export function continueLabel(item: ContinueItem): string {
  const ep = episodeCode(item.episode);
  if (item.kind === 'next') return ep ? `Up next: ${ep}` : 'Up next';
  const left = item.durationSeconds && item.positionSeconds != null ? item.durationSeconds - item.positionSeconds : undefined;
  const rest = left && left > 0 ? `${formatDuration(left)} left` : 'In progress';
  return ep ? `${ep} · ${rest}` : rest;
}

/** A continue-watching card: the poster, what is next, and how far along it is. */
export function ContinueCard(props: { item: ContinueItem }) {
  const percent = () => Math.min(100, Math.max(0, Math.round(props.item.percent ?? 0)));
  return (
    <div>
      <PosterCard title={props.item.media} quickAction={false} subtitle={continueLabel(props.item)} />
      <Show when={props.item.percent != null}>
        <div
          class="mt-2 h-1 overflow-hidden rounded-full bg-raised"
          role="progressbar"
          aria-label={`${props.item.media.title} progress`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent()}
        >
          <div class="h-full rounded-full bg-accent transition-[width] duration-500" style={{ width: `${percent()}%` }} />
        </div>
      </Show>
    </div>
  );
}

function releaseKind(event: CalendarEvent): string {
  const type = event.media.mediaType;
  if (event.kind === 'episode_air') return 'Episode';
  if (event.kind === 'season_premiere') return 'Season premiere';
  return type === 'video' || event.kind === 'video_release' ? 'Video' : mediaTypeLabel(type);
}

const chip = (date: string, precision: CalendarEvent['precision'], today: string) =>
  precision === 'exact' ? releaseChip(date, today) : 'Soon';

/**
 * An upcoming release: poster with a date chip, named by its display title. A game
 * out on several platforms is one card listing them (see releases.ts); when their
 * dates differ the chip says "From …" and the platform line's tooltip gives each date.
 */
export function ReleaseCard(props: { group: ReleaseGroup; today: string }) {
  const event = () => props.group.event;
  const when = () => chip(event().date, event().precision, props.today);
  const dates = () =>
    props.group.platforms
      .map((p) => (props.group.datesDiffer ? `${p.name}: ${chip(p.date, p.precision, props.today)}` : p.name))
      .join(' · ') || undefined;
  return (
    <A href={eventHref(event())} class="group block rounded-xl outline-none focus-visible:ring-2 focus-visible:ring-accent focus-visible:ring-offset-4 focus-visible:ring-offset-canvas">
      <div class="relative transition-transform duration-300 ease-out-soft group-hover:-translate-y-1">
        <Poster title={event().media} />
        <span class="absolute left-2 top-2 rounded-full bg-black/65 px-2.5 py-1 text-xs font-medium text-white backdrop-blur-md">
          {props.group.datesDiffer ? `From ${when().replace(/^(Today|Tomorrow)$/, (word) => word.toLowerCase())}` : when()}
        </span>
      </div>
      <p class="mt-3 truncate text-sm font-medium text-ink" title={props.group.title}>
        {props.group.title}
      </p>
      <p class="mt-0.5 line-clamp-2 text-xs text-ink-subtle" title={dates()} data-testid="release-platforms">
        {releaseKind(event())}
        {props.group.platforms.length ? ` · ${platformList(props.group.platforms)}` : ''}
      </p>
    </A>
  );
}

const BACKLOG_TONE: Record<BacklogEntry['status'], string> = {
  active: 'border-accent/40 bg-accent-soft text-accent-ink',
  paused: 'border-warn/40 text-warn',
  wishlist: 'border-line-strong text-ink-muted',
  completed: 'border-ok/40 text-ok',
  dropped: 'border-line text-ink-subtle',
};

const BACKLOG_LABEL: Record<BacklogEntry['status'], string> = {
  active: 'Playing',
  paused: 'Paused',
  wishlist: 'Wishlist',
  completed: 'Completed',
  dropped: 'Dropped',
};

export function BacklogChip(props: { status: BacklogEntry['status'] }) {
  return (
    <span class={`inline-flex items-center rounded-full border px-2 py-px text-[11px] font-medium ${BACKLOG_TONE[props.status]}`}>
      {BACKLOG_LABEL[props.status]}
    </span>
  );
}

export function BacklogCard(props: { entry: BacklogEntry; played?: boolean }) {
  const detail = () =>
    props.played
      ? `${formatRelative(props.entry.lastPlayedAt)}${props.entry.hoursPlayed ? ` · ${Math.round(props.entry.hoursPlayed)}h` : ''}`
      : (props.entry.platform?.name ?? '');
  return (
    <PosterCard
      title={props.entry.media}
      quickAction={false}
      subtitle={
        <span class="inline-flex items-center gap-1.5">
          <BacklogChip status={props.entry.status} />
          <Show when={detail()}>
            <span class="truncate">{detail()}</span>
          </Show>
        </span>
      }
    />
  );
}

export function HistoryCard(props: { entry: HistoryEntry }) {
  const ep = () => episodeCode(props.entry.episode);
  return (
    <PosterCard
      title={props.entry.media}
      quickAction={false}
      subtitle={`${ep() ? `${ep()} · ` : ''}${formatRelative(props.entry.watchedAt)}`}
    />
  );
}
