import { A, useNavigate, useParams, useSearchParams } from '@solidjs/router';
import ArrowLeft from 'lucide-solid/icons/arrow-left';
import { createEffect, createMemo, createSignal, Match, onCleanup, Show, Switch, type JSX } from 'solid-js';
import type { QueryState } from '@tanstack/solid-query';
import { ApiError } from '../api/client';
import type { DownloadDetail } from '../api/types';
import { isActive, watchDownloadHref } from '../components/downloads/status';
import { fetchDownloadJob, fetchDownloadStream, fetchPlayerSettings, playerKeys, subtitleLanguages, type DownloadAnswer, type DownloadStream, type PlayerStream, type PlayMode, type StreamWaiting } from '../api/player';
import { createApiQuery } from '../api/queryClient';
import { linkOf, resolvePlaying, type JobLink, type Playing } from '../components/player/downloadTarget';
import { baseName, fallbackHeading, headingText, qualityOf } from '../components/player/heading';
import { Buffering } from '../components/player/Overlays';
import { Stage } from '../components/player/Stage';
import { downloadStreamWhenReady, fromDownload, isWaiting, nextIndex, pollDelay } from '../components/player/streams';
import { VideoPlayer, type PlayerFailure } from '../components/player/VideoPlayer';
import { buttonStyles } from '../components/ui/button';
import { ErrorState } from '../components/ui/ErrorState';
import { formatBytes, formatSpeed } from '../lib/format';
import { playback } from '../stores/playback';
import { showToast } from '../stores/toasts';

const DOWNLOADS = '/app/downloads';

interface StreamKey {
  id: string;
  file: number | undefined;
}

/** A stream answer tagged with what it answers, so a new ?file= never plays the previous file. */
interface Answered {
  key: StreamKey;
  answer: DownloadAnswer;
}

/** `?file=3` -> 3; anything else -> the server's default file (the largest video). */
function fileParam(raw: string | string[] | undefined): number | undefined {
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return raw !== undefined && raw !== '' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** "42% · 3.1 MB of 700 MB · ↓ 5.2 MB/s": the download's live progress under the buffering spinner. */
function progressLine(job: DownloadDetail | undefined): string | undefined {
  if (!job) return undefined;
  const done = `${formatBytes(job.bytesDone)}${job.bytesTotal ? ` of ${formatBytes(job.bytesTotal)}` : ''}`;
  return [`${Math.round(job.progress)}%`, done, job.speedBps ? `↓ ${formatSpeed(job.speedBps)}` : undefined].filter(Boolean).join(' · ');
}

/** A download's file in the player: progressive while it downloads, from the bucket once stored. */
export default function WatchDownloadPage() {
  const params = useParams<{ id: string }>();
  const [search] = useSearchParams<{ file?: string; season?: string; episode?: string }>();
  const navigate = useNavigate();
  const file = () => fileParam(search.file);
  const key = (): StreamKey => ({ id: params.id, file: file() });
  const [failure, setFailure] = createSignal<string>();
  // The mode the player is on now: a refresh turns a progressive stream into the stored one.
  const [liveMode, setLiveMode] = createSignal<PlayMode>();
  let progressWarned = false;

  // Answers are tagged with what they answer, so a new ?file= never plays the previous file. While the file
  // cannot play yet the answer is a 202 saying what is awaited: ask again after its Retry-After, backing off.
  // A stream's links are signed and short-lived: a file opened again loads afresh (gcTime 0).
  let waitsInARow = 0;
  const stream = createApiQuery(() => {
    const k = key();
    return {
      queryKey: playerKeys.downloadStream(k.id, k.file),
      queryFn: async (): Promise<Answered> => {
        const answer = await fetchDownloadStream(k.id, k.file);
        waitsInARow = isWaiting(answer) ? waitsInARow + 1 : 0;
        return { key: k, answer };
      },
      gcTime: 0,
      refetchInterval: (query: { state: QueryState<Answered, ApiError> }) => {
        const answer = query.state.data?.answer;
        return isWaiting(answer) ? pollDelay(answer.retryAfter, waitsInARow - 1) : false;
      },
      refetchIntervalInBackground: true,
    };
  });
  // A retry the viewer asked for shows the loading state, as the first load does; polls stay quiet.
  const [retrying, setRetrying] = createSignal(false);
  const retry = () => {
    setRetrying(true);
    return stream.refetch().finally(() => setRetrying(false));
  };
  const failed = () => (stream.error && !stream.isLoading && !retrying() ? stream.error : undefined);
  const answered = () => {
    const data = stream.data;
    return data && data.key.id === params.id && data.key.file === file() ? data.answer : undefined;
  };
  const current = (): DownloadStream | undefined => {
    const answer = answered();
    return answer && !isWaiting(answer) ? answer : undefined;
  };
  /** The 202's "not yet" for the file on screen. */
  const notYet = (): StreamWaiting | undefined => {
    const answer = answered();
    return isWaiting(answer) ? answer : undefined;
  };
  const waiting = () => !current() && (stream.isFetching || retrying() || Boolean(notYet()));
  const job = createApiQuery(() => {
    const id = params.id;
    const every = waiting() ? 1000 : undefined; // the download's progress under the spinner
    return {
      queryKey: playerKeys.job(id),
      queryFn: () => fetchDownloadJob(id),
      refetchInterval: (query: { state: QueryState<DownloadDetail, ApiError> }) =>
        every ?? (query.state.data && isActive(query.state.data.status) ? 3000 : false),
      refetchIntervalInBackground: true,
    };
  });
  const settings = createApiQuery(() => ({ queryKey: playerKeys.settings, queryFn: fetchPlayerSettings }));
  // Progress is saved only for jobs linked to a title; a lookup that fails just means no saving. The link
  // is compared as text so the job's polling (new objects, same link) does not resolve it again.
  const link = createMemo(() => {
    const s = current();
    if (!s || !(job.data || job.error)) return undefined;
    return JSON.stringify(linkOf(s, job.data as (DownloadDetail & JobLink) | undefined) ?? null);
  });
  const linked = createApiQuery(() => {
    const text = link();
    return {
      queryKey: playerKeys.playing(text ?? ''),
      queryFn: () => resolvePlaying((JSON.parse(text!) as JobLink | null) ?? undefined).catch((): Playing => ({})),
      enabled: text !== undefined,
    };
  });
  // Until the link of the file on screen is resolved (not the previous file's, kept on screen), nothing plays.
  const resolving = () => linked.isPending || linked.isPlaceholderData;
  const target = () => linked.data?.target;

  // Opened for one episode (the Get dialog's Play now on a pack): the server's default is the largest
  // file, so move to the file holding that episode before anything plays.
  const episodeFile = createMemo(() => {
    const s = current();
    const season = fileParam(search.season);
    const episode = fileParam(search.episode);
    if (!s || file() !== undefined || season === undefined || episode === undefined) return undefined;
    const match = s.files?.find((f) => f.season === season && f.episode === episode);
    return match && match.index !== s.fileIndex ? match.index : undefined;
  });
  createEffect(() => {
    const index = episodeFile();
    if (index !== undefined) navigate(watchDownloadHref(params.id, { file: index }), { replace: true });
  });

  const playing = () => current()?.files?.find((f) => f.index === current()!.fileIndex);
  // The title in words when the job is linked to one; else the release's name once (the file name goes to the details).
  const title = () => {
    const heading = linked.data?.heading;
    return heading ? headingText(heading) : fallbackHeading(job.data?.title, playing());
  };
  const quality = () => qualityOf(current()?.path, job.data?.title);
  createEffect(() => {
    document.title = `${title()} · /seen/`;
  });
  createEffect(() => {
    key(); // a new file starts clean
    setFailure(undefined);
    setLiveMode(undefined);
  });

  // The video on screen (not an error): theater mode there hides the app shell; an error keeps it.
  const staged = () => !stream.error;
  createEffect(() => {
    if (staged()) onCleanup(playback.enterPlayer());
  });

  const warnProgress = (error: unknown) => {
    if (progressWarned) return;
    progressWarned = true;
    showToast({ tone: 'error', title: "Couldn't save your place", body: error instanceof ApiError ? error.message : String(error) });
  };
  /** The player's stream, its Up next named by the episode's title when the season is known. */
  const toPlayer = (answer: DownloadStream): PlayerStream => {
    const playerStream = fromDownload(answer);
    const next = playerStream.next;
    const name = next?.episode != null ? linked.data?.episodeNames?.[next.episode] : undefined;
    return name && next ? { ...playerStream, next: { ...next, title: name } } : playerStream;
  };
  const refresh = async () => {
    const same = current();
    return toPlayer(await downloadStreamWhenReady(params.id, same ? same.fileIndex : file()));
  };
  const playNext = (next: DownloadStream) => {
    const index = nextIndex(next);
    if (index !== undefined) navigate(watchDownloadHref(params.id, { file: index }));
  };

  return (
    <div class="animate-enter">
      <A href={DOWNLOADS} class={`${buttonStyles.ghost} -ml-3 mb-4`} classList={{ 'hidden!': playback.shellHidden() }}>
        <ArrowLeft class="size-4" strokeWidth={1.75} />
        Downloads
      </A>
      <Switch>
        <Match when={failed()}>
          {(error) => <NotPlayable error={error()} onRetry={() => void retry()} />}
        </Match>
        <Match when={!current() || episodeFile() !== undefined || settings.isPending || resolving()}>
          <Stage theater={playback.shellHidden()}>
            <Buffering label={notYet() ? waitingLabel(notYet()!) : 'Loading the video…'} detail={notYet() ? progressLine(job.data) : undefined} />
          </Stage>
          <Heading title={title()} quality={quality()} theater={playback.shellHidden()} />
        </Match>
        <Match when={current()}>
          {(data) => (
            <>
              <Stage theater={playback.shellHidden()}>
                <Show when={!failure()} fallback={<Stopped message={failure()!} onRetry={() => void retry().then(() => setFailure(undefined))} />}>
                  <Show when={data()} keyed>
                    {(s) => (
                      <VideoPlayer
                        stream={toPlayer(s)}
                        refresh={refresh}
                        target={target()}
                        subtitleLanguage={subtitleLanguages(settings.data)}
                        autoplayNext={settings.data?.autoplayNext ?? true}
                        bufferingLabel={s.mode === 'progressive' ? 'Fetching the next pieces…' : undefined}
                        onStream={(playing) => setLiveMode(playing.mode)}
                        onNext={() => playNext(s)}
                        nowPlaying={{ title: title() }}
                        onProgressError={warnProgress}
                        onFailure={(failed) => setFailure(failureText(failed, s.mode))}
                      />
                    )}
                  </Show>
                </Show>
                <StreamingBadge mode={liveMode() ?? data().mode} job={job.data} />
              </Stage>
              <Heading title={title()} quality={quality()} theater={playback.shellHidden()}>
                <p data-testid="player-details" class="mt-2 truncate text-sm text-ink-subtle">{baseName(data().path)} · {formatBytes(data().size)}</p>
                <Show when={!target()}>
                  <p class="mt-1 text-xs text-ink-subtle">Not linked to a title: your place in it isn't saved.</p>
                </Show>
              </Heading>
            </>
          )}
        </Match>
      </Switch>
    </div>
  );
}

/** What the spinner says while the file cannot play yet, by what is awaited. */
function waitingLabel(waiting: StreamWaiting): string {
  if (waiting.awaiting === 'download') return 'Waiting for the download to start again…';
  if (waiting.awaiting === 'files') return 'Starting… finding the files in the download';
  return 'Starting… fetching the first pieces';
}

/** Why a download's file stopped, in words: a file that does not decode here says where it will play. */
function failureText(failed: PlayerFailure, mode: PlayMode): string {
  if (failed.kind !== 'media') return failed.message;
  return mode === 'progressive'
    ? "This file can't play in your browser while it downloads. When the download finishes it goes to your library, which converts it to play here."
    : "This file can't play in your browser. Open it from your library, which converts it to play here.";
}

/** The title (never the file name) and quality; the details line under it comes from the page. */
function Heading(props: { title: string; quality?: string; theater: boolean; children?: JSX.Element }) {
  return (
    <div class="mt-6 min-w-0" classList={{ 'px-5 sm:px-8 lg:px-12': props.theater }}>
      <div class="flex flex-wrap items-center gap-3">
        <h1 class="text-2xl font-semibold tracking-tight text-ink sm:text-3xl">{props.title}</h1>
        <Show when={props.quality}>
          <span data-testid="player-quality" class="rounded-md border border-line px-1.5 py-0.5 text-xs font-medium text-ink-muted">{props.quality}</span>
        </Show>
      </div>
      {props.children}
    </div>
  );
}

/** "Streaming while downloading · 42%", over the top right of the stage while the file is served by the worker. */
function StreamingBadge(props: { mode: PlayMode; job: DownloadDetail | undefined }) {
  return (
    <Show when={props.mode === 'progressive' && props.job?.status !== 'completed'}>
      <span
        data-testid="streaming-badge"
        class="pointer-events-none absolute right-3 top-3 z-10 rounded-full bg-black/60 px-3 py-1 text-xs tabular-nums text-white/85 ring-1 ring-white/10 backdrop-blur-md sm:right-5 sm:top-4"
      >
        Streaming while downloading{props.job ? ` · ${Math.round(props.job.progress)}%` : ''}
      </span>
    </Show>
  );
}

/** The job failed or was cancelled (not_streamable), has no such file, or is not the user's. */
function NotPlayable(props: { error: ApiError; onRetry: () => void }) {
  const ended = () => props.error.code === 'not_streamable';
  return (
    <>
      <h1 class="mb-6 text-3xl font-semibold tracking-tight text-ink">{ended() ? "This download can't play" : "Can't play this"}</h1>
      <ErrorState error={props.error} title={ended() ? props.error.message : undefined} onRetry={ended() ? undefined : props.onRetry} />
      <A href={DOWNLOADS} class={`${buttonStyles.secondary} mt-4`}>Back to Downloads</A>
    </>
  );
}

function Stopped(props: { message: string; onRetry: () => void }) {
  return (
    <div role="alert" class="grid size-full place-items-center p-8 text-center text-white">
      <div class="max-w-md">
        <p class="text-lg font-medium">Playback stopped</p>
        <p class="mt-2 text-sm text-white/65">{props.message}</p>
        <div class="mt-6 flex justify-center gap-3">
          <button type="button" class={buttonStyles.primary} onClick={() => props.onRetry()}>Try again</button>
          <A href={DOWNLOADS} class={buttonStyles.secondary}>Back to Downloads</A>
        </div>
      </div>
    </div>
  );
}
