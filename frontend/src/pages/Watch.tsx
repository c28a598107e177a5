import { A, useNavigate, useParams } from '@solidjs/router';
import ArrowLeft from 'lucide-solid/icons/arrow-left';
import { createEffect, createSignal, Match, Show, Switch } from 'solid-js';
import { ApiError } from '../api/client';
import { fetchItem } from '../components/library/api';
import { episodeCode, itemTitle, type LibraryItemDetail } from '../components/library/labels';
import { fetchSettings, subtitleLanguages, type PlayerStream, type UserSettings } from '../components/player/api';
import type { AskMode } from '../components/player/capability';
import type { NowPlaying } from '../components/player/mediaSession';
import { Buffering } from '../components/player/Overlays';
import { Stage } from '../components/player/Stage';
import { fromLibrary, isPreparing, playableStream, preparingText } from '../components/player/streams';
import { VideoPlayer } from '../components/player/VideoPlayer';
import { buttonStyles } from '../components/ui/button';
import { ErrorState } from '../components/ui/ErrorState';
import { LoadingLabel } from '../components/ui/Skeleton';
import { formatDuration } from '../lib/format';
import { createQuery, type Query } from '../lib/query';
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

/** Preferences are a nicety here: if they don't load, play with the defaults. */
const loadSettings = (): Promise<Partial<UserSettings>> => fetchSettings().catch(() => ({}));

export default function WatchPage() {
  const params = useParams<{ libraryItemId: string }>();
  const navigate = useNavigate();
  // The mode settled for the file on screen: polls and fresh links ask for it again rather than negotiate anew.
  let settled: { id: string; mode?: AskMode } | undefined;
  const modeFor = (id: string) => (settled?.id === id ? settled.mode : undefined);
  const watch: Query<WatchData> = createQuery(
    () => params.libraryItemId,
    async (id) => {
      const data = await loadWatch(id, modeFor(id));
      settled = { id, mode: data.asked };
      return data;
    },
    { pollMs: (): number | false => (current() && isPreparing(current()!.stream) ? PREPARING_POLL_MS : false) },
  );
  const settings = createQuery(() => true, loadSettings);
  const [failure, setFailure] = createSignal<string>();
  let progressWarned = false;

  const current = (): WatchData | undefined => (watch.data()?.item.id === params.libraryItemId ? watch.data() : undefined);
  const title = () => (current() ? itemTitle(current()!.item) : 'Player');
  createEffect(() => {
    document.title = `${title()} · /seen/`;
  });
  createEffect(() => {
    params.libraryItemId; // a new file starts clean
    setFailure(undefined);
  });

  const warnProgress = (error: unknown) => {
    if (progressWarned) return; // once per visit: a flaky connection should not bury the video in toasts
    progressWarned = true;
    showToast({ tone: 'error', title: "Couldn't save your place", body: error instanceof ApiError ? error.message : String(error) });
  };
  /**
   * A file the server could not judge (no probed codecs: offered as it is, playable false) that then fails
   * in the browser gets its HLS version instead of an error; anything else shows why playback stopped.
   */
  const onFailure = (message: string) => {
    const id = params.libraryItemId;
    const stream = current()?.stream;
    if (stream?.mode === 'direct' && stream.playable === false && modeFor(id) === undefined) {
      settled = { id, mode: 'hls' };
      void watch.refetch();
    } else setFailure(message);
  };
  const refresh = async (): Promise<PlayerStream> => fromLibrary((await playableStream(params.libraryItemId, modeFor(params.libraryItemId))).stream);

  return (
    <div class="animate-enter">
      <A href={LIBRARY} class={`${buttonStyles.ghost} -ml-3 mb-4`}>
        <ArrowLeft class="size-4" strokeWidth={1.75} />
        Library
      </A>
      <Switch>
        <Match when={watch.error() && !watch.loading()}>
          <h1 class="mb-6 text-3xl font-semibold tracking-tight text-ink">{watch.error()!.status === 404 ? 'Not in your library' : "Can't play this"}</h1>
          <ErrorState error={watch.error()!} title={watch.error()!.status === 404 ? 'This file is not in the library any more' : undefined} onRetry={() => void watch.refetch()} />
        </Match>
        <Match when={!current() || settings.loading()}>
          <LoadingLabel label="Loading the video…" />
          <div aria-hidden="true" class="mb-6 h-9 w-72 animate-shimmer rounded-lg bg-raised" />
          <Stage theater={playback.theater()}><div class="size-full animate-shimmer bg-white/[0.03]" /></Stage>
        </Match>
        <Match when={current()}>
          {(data) => (
            <>
              <Stage theater={playback.theater()}>
                <Show when={!failure()} fallback={<PlaybackFailed message={failure()!} onRetry={() => void watch.refetch().then(() => setFailure(undefined))} />}>
                  <Show when={!isPreparing(data().stream)} fallback={<Buffering {...preparingText(data().stream)} />}>
                    <Show when={data().stream} keyed>
                      {(stream) => (
                        <VideoPlayer
                          stream={fromLibrary(stream)}
                          refresh={refresh}
                          target={data().item.media && data().item.matchState === 'matched' ? { mediaId: data().item.media!.id, episodeId: data().item.episode?.id } : undefined}
                          fallbackDuration={data().item.durationSeconds}
                          subtitleLanguage={subtitleLanguages(settings.data())}
                          autoplayNext={settings.data()?.autoplayNext ?? true}
                          onNext={() => stream.next && navigate(`/app/watch/${stream.next.libraryItemId}`)}
                          nowPlaying={nowPlaying(data().item)}
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

function WatchDetails(props: { item: LibraryItemDetail; title: string }) {
  const facts = () =>
    [props.item.resolution, props.item.durationSeconds ? formatDuration(props.item.durationSeconds) : undefined, props.item.fileName]
      .filter(Boolean)
      .join(' · ');
  return (
    <div class="mt-6 flex flex-wrap items-end justify-between gap-4">
      <div class="min-w-0">
        <h1 class="text-2xl font-semibold tracking-tight text-ink sm:text-3xl">{props.title}</h1>
        <p class="mt-2 truncate text-sm text-ink-subtle">{facts()}</p>
      </div>
      <Show when={props.item.matchState !== 'matched'}>
        <p class="text-xs text-ink-subtle">Not matched to a title: your place in it isn't saved.</p>
      </Show>
    </div>
  );
}
