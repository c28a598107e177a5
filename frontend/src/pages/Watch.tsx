import { A, useNavigate, useParams } from '@solidjs/router';
import ArrowLeft from 'lucide-solid/icons/arrow-left';
import { createEffect, createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import type { QueryState } from '@tanstack/solid-query';
import { ApiError } from '../api/client';
import { fetchItem } from '../api/library';
import { fetchPlayerSettings, playerKeys, subtitleLanguages, type PlayerStream } from '../api/player';
import { createApiQuery, pollEvery } from '../api/queryClient';
import { episodeCode, itemTitle, type LibraryItemDetail } from '../components/library/labels';
import type { AskMode } from '../components/player/capability';
import type { NowPlaying } from '../components/player/mediaSession';
import { Buffering } from '../components/player/Overlays';
import { Stage } from '../components/player/Stage';
import { qualityOf } from '../components/player/heading';
import { askModeOf, fallbackNotice, fromLibrary, isPreparing, nextMode, playableStream, preparingText, UNPLAYABLE_NEXT_STEP } from '../components/player/streams';
import { VideoPlayer, type PlayerFailure } from '../components/player/VideoPlayer';
import { buttonStyles } from '../components/ui/button';
import { ErrorState } from '../components/ui/ErrorState';
import { LoadingLabel } from '../components/ui/Skeleton';
import { formatBytes, formatDuration } from '../lib/format';
import { playback } from '../stores/playback';
import { showToast } from '../stores/toasts';

const LIBRARY = '/app/library';

/**
 * Files and their stream, loaded together: the player needs both the URL and what to save progress against.
 * `mode`: the play mode already settled for this file (asking again while its HLS version is prepared).
 */
async function loadWatch(itemId: string, mode?: AskMode) {
  const [item, played] = await Promise.all([fetchItem(itemId), playableStream(itemId, mode)]);
  return { item, stream: played.stream, asked: played.asked };
}

type WatchData = Awaited<ReturnType<typeof loadWatch>>;

const PREPARING_POLL_MS = 1000;

export default function WatchPage() {
  const params = useParams<{ libraryItemId: string }>();
  const navigate = useNavigate();
  // The mode settled for the file on screen: polls and fresh links ask for it again rather than negotiate anew.
  let settled: { id: string; mode?: AskMode } | undefined;
  const modeFor = (id: string) => (settled?.id === id ? settled.mode : undefined);
  const poll = pollEvery(PREPARING_POLL_MS);
  // Asked again while a version is prepared (backing off while the API fails); a stream's links are signed
  // and short-lived, so a file opened again loads afresh instead of playing a cached answer (gcTime 0).
  const watch = createApiQuery(() => {
    const id = params.libraryItemId;
    return {
      queryKey: playerKeys.watch(id),
      queryFn: async (): Promise<WatchData> => {
        const data = await loadWatch(id, modeFor(id));
        settled = { id, mode: data.asked };
        return data;
      },
      gcTime: 0,
      refetchInterval: (query: { state: QueryState<WatchData, ApiError> }) =>
        query.state.data && isPreparing(query.state.data.stream) ? poll(query) : false,
      refetchIntervalInBackground: true,
    };
  });
  // Preferences are a nicety here: if they don't load, play with the defaults.
  const settings = createApiQuery(() => ({ queryKey: playerKeys.settings, queryFn: fetchPlayerSettings }));
  // A retry the viewer asked for shows the loading state, as the first load does; polls stay quiet.
  const [retrying, setRetrying] = createSignal(false);
  const retry = () => {
    setRetrying(true);
    return watch.refetch().finally(() => setRetrying(false));
  };
  const failed = () => (watch.error && !watch.isLoading && !retrying() ? watch.error : undefined);
  const [failure, setFailure] = createSignal<string>();
  // What the player says while it moves on from a mode that did not play ("…converting it").
  const [moving, setMoving] = createSignal<string>();
  let progressWarned = false;

  const current = (): WatchData | undefined => (watch.data?.item.id === params.libraryItemId ? watch.data : undefined);
  const title = () => (current() ? itemTitle(current()!.item) : 'Player');
  createEffect(() => {
    document.title = `${title()} · /seen/`;
  });
  createEffect(() => {
    params.libraryItemId; // a new file starts clean
    setFailure(undefined);
    setMoving(undefined);
  });

  // The video on screen (not an error): theater mode there hides the app shell; an error keeps it.
  const staged = () => !watch.error;
  createEffect(() => {
    if (staged()) onCleanup(playback.enterPlayer());
  });

  const warnProgress = (error: unknown) => {
    if (progressWarned) return; // once per visit: a flaky connection should not bury the video in toasts
    progressWarned = true;
    showToast({ tone: 'error', title: "Couldn't save your place", body: error instanceof ApiError ? error.message : String(error) });
  };
  /**
   * A stream that does not play in this browser moves on by itself to the next mode (direct → remux →
   * hls_audio → hls), saying so in a plain sentence; after the last one, or when no fresh stream could be
   * had, the player says why it stopped and what to do.
   */
  const onFailure = (failed: PlayerFailure) => {
    const id = params.libraryItemId;
    const stream = current()?.stream;
    const next = failed.kind === 'media' && stream ? nextMode(askModeOf(stream)) : undefined;
    if (next) {
      settled = { id, mode: next };
      setMoving(fallbackNotice(next));
      void watch.refetch();
    } else if (failed.kind === 'media') setFailure(`This file can't play in your browser, even converted. ${UNPLAYABLE_NEXT_STEP}`);
    else if (failed.code === 'media_unplayable') setFailure(`${failed.message} ${UNPLAYABLE_NEXT_STEP}`);
    else setFailure(failed.message);
  };
  const refresh = async (): Promise<PlayerStream> =>
    fromLibrary((await playableStream(params.libraryItemId, modeFor(params.libraryItemId))).stream, current()?.item);

  return (
    <div class="animate-enter">
      <A href={LIBRARY} class={`${buttonStyles.ghost} -ml-3 mb-4`} classList={{ 'hidden!': playback.shellHidden() }}>
        <ArrowLeft class="size-4" strokeWidth={1.75} />
        Library
      </A>
      <Switch>
        <Match when={failed()?.code === 'media_unplayable'}>
          <Unplayable message={failed()!.message} />
        </Match>
        <Match when={failed()}>
          {(error) => (
            <>
              <h1 class="mb-6 text-3xl font-semibold tracking-tight text-ink">{error().status === 404 ? 'Not in your library' : "Can't play this"}</h1>
              <ErrorState error={error()} title={error().status === 404 ? 'This file is not in the library any more' : undefined} onRetry={() => void retry()} />
            </>
          )}
        </Match>
        <Match when={!current() || settings.isPending}>
          <LoadingLabel label="Loading the video…" />
          <div aria-hidden="true" class="mb-6 h-9 w-72 animate-shimmer rounded-lg bg-raised" />
          <Stage theater={playback.shellHidden()}><div class="size-full animate-shimmer bg-white/[0.03]" /></Stage>
        </Match>
        <Match when={current()}>
          {(data) => (
            <>
              <Stage theater={playback.shellHidden()}>
                <Show when={!failure()} fallback={<PlaybackFailed message={failure()!} onRetry={() => void retry().then(() => setFailure(undefined))} />}>
                  <Show when={!isPreparing(data().stream)} fallback={<Buffering {...waitingText(data().stream, moving())} />}>
                    <Show when={data().stream} keyed>
                      {(stream) => (
                        <VideoPlayer
                          stream={fromLibrary(stream, data().item)}
                          refresh={refresh}
                          target={data().item.media && data().item.matchState === 'matched' ? { mediaId: data().item.media!.id, episodeId: data().item.episode?.id } : undefined}
                          fallbackDuration={data().item.durationSeconds}
                          subtitleLanguage={subtitleLanguages(settings.data)}
                          autoplayNext={settings.data?.autoplayNext ?? true}
                          onNext={() => stream.next && navigate(`/app/watch/${stream.next.libraryItemId}`)}
                          nowPlaying={nowPlaying(data().item)}
                          bufferingLabel={moving()}
                          onPlaying={() => setMoving(undefined)} // said while the new mode starts, not at every later stall
                          onProgressError={warnProgress}
                          onFailure={onFailure}
                        />
                      )}
                    </Show>
                  </Show>
                </Show>
              </Stage>
              <WatchDetails item={data().item} title={title()} />
            </>
          )}
        </Match>
      </Switch>
    </div>
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

function PlaybackFailed(props: { message: string; onRetry: () => void }) {
  return (
    <div role="alert" class="grid size-full place-items-center p-8 text-center text-white">
      <div class="max-w-md">
        <p class="text-lg font-medium">Playback stopped</p>
        <p class="mt-2 text-sm text-white/65">{props.message}</p>
        <div class="mt-6 flex justify-center gap-3">
          <button type="button" class={buttonStyles.primary} onClick={() => props.onRetry()}>Try again</button>
          <A href={LIBRARY} class={buttonStyles.secondary}>Back to the library</A>
        </div>
      </div>
    </div>
  );
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
      <A href={LIBRARY} class={`${buttonStyles.secondary} mt-4`}>Back to the library</A>
    </div>
  );
}

/** The title (an episode under its show) and quality as the heading; the file name once, in the details line. */
function WatchDetails(props: { item: LibraryItemDetail; title: string }) {
  const quality = () => props.item.resolution || qualityOf(props.item.fileName);
  const facts = () =>
    [props.item.durationSeconds ? formatDuration(props.item.durationSeconds) : undefined, props.item.sizeBytes ? formatBytes(props.item.sizeBytes) : undefined, props.item.fileName !== props.title ? props.item.fileName : undefined]
      .filter(Boolean)
      .join(' · ');
  return (
    <div class="mt-6 flex flex-wrap items-end justify-between gap-4" classList={{ 'px-5 sm:px-8 lg:px-12': playback.shellHidden() }}>
      <div class="min-w-0">
        <div class="flex flex-wrap items-center gap-3">
          <h1 class="text-2xl font-semibold tracking-tight text-ink sm:text-3xl">{props.title}</h1>
          <Show when={quality()}>
            <span data-testid="player-quality" class="rounded-md border border-line px-1.5 py-0.5 text-xs font-medium text-ink-muted">{quality()}</span>
          </Show>
        </div>
        <p data-testid="player-details" class="mt-2 truncate text-sm text-ink-subtle">{facts()}</p>
      </div>
      <Show when={props.item.matchState !== 'matched'}>
        <p class="text-xs text-ink-subtle">Not matched to a title: your place in it isn't saved.</p>
      </Show>
    </div>
  );
}
