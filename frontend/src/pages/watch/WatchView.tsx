import { A } from '@solidjs/router';
import { Match, Show, Switch } from 'solid-js';
import type { ApiError } from '../../api/client';
import type { LibraryStream, PlayerStatus, PlayerStream } from '../../api/player';
import { episodeCode, type LibraryItemDetail } from '../../components/library/labels';
import type { NowPlaying } from '../../components/player/mediaSession';
import { Buffering } from '../../components/player/Overlays';
import { Stage } from '../../components/player/Stage';
import { qualityOf } from '../../components/player/heading';
import { fromLibrary, isPreparing, preparingText, UNPLAYABLE_NEXT_STEP } from '../../components/player/streams';
import { VideoPlayer, type PlayerFailure } from '../../components/player/VideoPlayer';
import { buttonStyles } from '../../components/ui/button';
import { ErrorState } from '../../components/ui/ErrorState';
import { LoadingLabel } from '../../components/ui/Skeleton';
import { formatBytes, formatDuration } from '../../lib/format';
import { PlayerPage, PlayerStage, TitleLine, type BackTo } from './parts';
import type { PlayerPrefs } from './session';

const LIBRARY: BackTo = { href: '/app/library', label: 'Library', stopped: 'Back to the library' };

export interface WatchViewProps {
  /** Theater mode: the app shell is hidden. */
  theater: boolean;
  /** The file and its stream failed to load. */
  error?: ApiError;
  /** The file on screen and its stream; undefined while it loads. */
  file?: { item: LibraryItemDetail; stream: LibraryStream };
  /** Still loading what the player needs besides the file (the viewer's preferences). */
  loading: boolean;
  title: string;
  /** Why playback stopped, in plain words. */
  stopped?: string;
  /** What the player says while it moves on from a mode that did not play. */
  moving?: string;
  prefs: PlayerPrefs;
  refresh: () => Promise<PlayerStream>;
  onRetry: () => void;
  onRetryPlayback: () => void;
  onNext: (next: NonNullable<LibraryStream['next']>) => void;
  onPlaying: () => void;
  /** The player's position and buffer state, as it changes (the playback session's heartbeats). */
  onStatus?: (status: PlayerStatus) => void;
  onProgressError: (error: unknown) => void;
  onFailure: (failure: PlayerFailure) => void;
}

/** A library file in the player, with its title and details; the page loads the file and follows the player. */
export function WatchView(props: WatchViewProps) {
  return (
    <PlayerPage back={LIBRARY} theater={props.theater}>
      <Switch>
        <Match when={props.error?.code === 'media_unplayable'}>
          <Unplayable message={props.error!.message} />
        </Match>
        <Match when={props.error}>
          {(error) => (
            <>
              <h1 class="mb-6 text-3xl font-semibold tracking-tight text-ink">{error().status === 404 ? 'Not in your library' : "Can't play this"}</h1>
              <ErrorState error={error()} title={error().status === 404 ? 'This file is not in the library any more' : undefined} onRetry={() => props.onRetry()} />
            </>
          )}
        </Match>
        <Match when={!props.file || props.loading}>
          <LoadingLabel label="Loading the video…" />
          <div aria-hidden="true" class="mb-6 h-9 w-72 animate-shimmer rounded-lg bg-raised" />
          <Stage theater={props.theater}><div class="size-full animate-shimmer bg-white/[0.03]" /></Stage>
        </Match>
        <Match when={props.file}>
          {(data) => (
            <>
              <PlayerStage back={LIBRARY} theater={props.theater} stopped={props.stopped} onRetry={() => props.onRetryPlayback()}>
                <Show when={!isPreparing(data().stream)} fallback={<Buffering {...waitingText(data().stream, props.moving)} />}>
                  <Show when={data().stream} keyed>
                    {(stream) => (
                      <VideoPlayer
                        stream={fromLibrary(stream, data().item)}
                        refresh={props.refresh}
                        target={data().item.media && data().item.matchState === 'matched' ? { mediaId: data().item.media!.id, episodeId: data().item.episode?.id } : undefined}
                        fallbackDuration={data().item.durationSeconds}
                        subtitleLanguage={props.prefs.subtitleLanguage}
                        autoplayNext={props.prefs.autoplayNext}
                        onNext={() => stream.next && props.onNext(stream.next)}
                        nowPlaying={nowPlaying(data().item)}
                        bufferingLabel={props.moving}
                        onPlaying={() => props.onPlaying()}
                        onStatus={(status) => props.onStatus?.(status)}
                        onProgressError={props.onProgressError}
                        onFailure={props.onFailure}
                      />
                    )}
                  </Show>
                </Show>
              </PlayerStage>
              <WatchDetails item={data().item} title={props.title} theater={props.theater} />
            </>
          )}
        </Match>
      </Switch>
    </PlayerPage>
  );
}

/** The lock screen's "now playing": an episode under its show, a movie with its year; the poster as artwork. */
export function nowPlaying(item: LibraryItemDetail): NowPlaying {
  const artwork = item.posterUrl ?? item.media?.posterUrl ?? null;
  const ep = item.episode;
  if (!ep) return { title: item.title, album: item.year ? String(item.year) : undefined, artwork };
  const code = episodeCode(ep.season, ep.episode);
  return { title: ep.title ? `${code} · ${ep.title}` : code, artist: item.media?.title ?? item.title, album: `Season ${ep.season}`, artwork };
}

/** While a version is prepared: the server's notice (what is converted), else the line the player moved on with. */
function waitingText(stream: Parameters<typeof preparingText>[0] & { notice?: string | null }, moving: string | undefined) {
  const text = preparingText(stream);
  const said = stream.notice || moving;
  return said ? { label: said, detail: text.label } : text;
}

/** Every mode failed on the server (media_unplayable): its plain reason, and what to do instead. */
function Unplayable(props: { message: string }) {
  return (
    <div role="alert" class="rounded-2xl border border-danger/25 bg-surface p-6">
      <h1 class="text-2xl font-semibold tracking-tight text-ink">This file can't play</h1>
      <p class="mt-2 text-sm text-ink-muted">{props.message}</p>
      <p class="mt-1 text-sm text-ink-muted">{UNPLAYABLE_NEXT_STEP}</p>
      <A href={LIBRARY.href} class={`${buttonStyles.secondary} mt-4`}>{LIBRARY.stopped}</A>
    </div>
  );
}

/** The title (an episode under its show) and quality as the heading; the file name once, in the details line. */
function WatchDetails(props: { item: LibraryItemDetail; title: string; theater: boolean }) {
  const quality = () => props.item.resolution || qualityOf(props.item.fileName);
  const facts = () =>
    [props.item.durationSeconds ? formatDuration(props.item.durationSeconds) : undefined, props.item.sizeBytes ? formatBytes(props.item.sizeBytes) : undefined, props.item.fileName !== props.title ? props.item.fileName : undefined]
      .filter(Boolean)
      .join(' · ');
  return (
    <div class="mt-6 flex flex-wrap items-end justify-between gap-4" classList={{ 'px-5 sm:px-8 lg:px-12': props.theater }}>
      <div class="min-w-0">
        <TitleLine title={props.title} quality={quality()} />
        <p data-testid="player-details" class="mt-2 truncate text-sm text-ink-subtle">{facts()}</p>
      </div>
      <Show when={props.item.matchState !== 'matched'}>
        <p class="text-xs text-ink-subtle">Not matched to a title: your place in it isn't saved.</p>
      </Show>
    </div>
  );
}
