import { A, useNavigate, useParams, useSearchParams } from '@solidjs/router';
import ArrowLeft from 'lucide-solid/icons/arrow-left';
import { createEffect, createMemo, createSignal, Match, Show, Switch } from 'solid-js';
import { api, ApiError, call } from '../api/client';
import type { DownloadDetail } from '../api/types';
import { isActive, watchDownloadHref } from '../components/downloads/status';
import { fetchDownloadStream, fetchSettings, subtitleLanguages, type DownloadStream, type PlayMode, type UserSettings } from '../components/player/api';
import { linkOf, resolveTarget, type JobLink } from '../components/player/downloadTarget';
import { Buffering } from '../components/player/Overlays';
import { Stage } from '../components/player/Stage';
import { downloadStreamWhenReady, fileLabel, fromDownload, isNotReady, nextIndex, retryAfterSeconds } from '../components/player/streams';
import { VideoPlayer } from '../components/player/VideoPlayer';
import { buttonStyles } from '../components/ui/button';
import { ErrorState } from '../components/ui/ErrorState';
import { formatBytes, formatSpeed } from '../lib/format';
import { createQuery, type Query } from '../lib/query';
import { playback } from '../stores/playback';
import { showToast } from '../stores/toasts';

const DOWNLOADS = '/app/downloads';

/**
 * How often to ask again while the first pieces are fetched: at most the server's retryAfter, and no
 * more than half a second, since every poll skipped is start-up time the viewer waits (loopback: ~1-2 s).
 */
const START_POLL_MS = 500;

interface StreamKey {
  id: string;
  file: number | undefined;
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

  // Answers are tagged with what they answer, so a new ?file= never plays the previous file.
  const stream: Query<{ key: StreamKey; stream: DownloadStream }> = createQuery(key, async (k) => ({ key: k, stream: await fetchDownloadStream(k.id, k.file) }), {
    pollMs: (): number | false => (isNotReady(stream.error()) ? Math.min(retryAfterSeconds(stream.error()!) * 1000, START_POLL_MS) : false),
  });
  const current = (): DownloadStream | undefined => {
    const data = stream.data();
    return data && data.key.id === params.id && data.key.file === file() ? data.stream : undefined;
  };
  const waiting = () => !current() && (stream.loading() || isNotReady(stream.error()));
  const job: Query<DownloadDetail> = createQuery(
    () => params.id,
    (id) => call(api.GET('/api/v1/downloads/{job_id}', { params: { path: { job_id: id } } })),
    { pollMs: (): number | false => (waiting() ? 1000 : job.data() && isActive(job.data()!.status) ? 3000 : false) },
  );
  const settings = createQuery(() => true, (): Promise<Partial<UserSettings>> => fetchSettings().catch(() => ({})));
  // Progress is saved only for jobs linked to a title; a lookup that fails just means no saving. The link
  // is compared as text so the job's polling (new objects, same link) does not resolve it again.
  const link = createMemo(() => {
    const s = current();
    if (!s || !(job.data() || job.error())) return undefined;
    return JSON.stringify(linkOf(s, job.data() as (DownloadDetail & JobLink) | undefined) ?? null);
  });
  const target = createQuery(link, (text) => resolveTarget((JSON.parse(text) as JobLink | null) ?? undefined).catch(() => undefined));

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
  const title = () => [job.data()?.title, playing() ? fileLabel(playing()!) : undefined].filter(Boolean).join(' · ') || 'Download';
  createEffect(() => {
    document.title = `${title()} · /seen/`;
  });
  createEffect(() => {
    key(); // a new file starts clean
    setFailure(undefined);
    setLiveMode(undefined);
  });

  const warnProgress = (error: unknown) => {
    if (progressWarned) return;
    progressWarned = true;
    showToast({ tone: 'error', title: "Couldn't save your place", body: error instanceof ApiError ? error.message : String(error) });
  };
  const refresh = async () => {
    const same = current();
    return fromDownload(await downloadStreamWhenReady(params.id, same ? same.fileIndex : file()));
  };
  const playNext = (next: DownloadStream) => {
    const index = nextIndex(next);
    if (index !== undefined) navigate(watchDownloadHref(params.id, { file: index }));
  };

  return (
    <div class="animate-enter">
      <A href={DOWNLOADS} class={`${buttonStyles.ghost} -ml-3 mb-4`}>
        <ArrowLeft class="size-4" strokeWidth={1.75} />
        Downloads
      </A>
      <Switch>
        <Match when={stream.error() && !isNotReady(stream.error()) && !stream.loading()}>
          <NotPlayable error={stream.error()!} onRetry={() => void stream.refetch()} />
        </Match>
        <Match when={!current() || episodeFile() !== undefined || settings.loading() || target.loading()}>
          <Stage theater={playback.theater()}>
            <Buffering
              label={isNotReady(stream.error()) ? 'Starting… fetching the first pieces' : 'Loading the video…'}
              detail={isNotReady(stream.error()) ? progressLine(job.data()) : undefined}
            />
          </Stage>
          <h1 class="mt-6 text-2xl font-semibold tracking-tight text-ink sm:text-3xl">{title()}</h1>
        </Match>
        <Match when={current()}>
          {(data) => (
            <>
              <Stage theater={playback.theater()}>
                <Show when={!failure()} fallback={<Stopped message={failure()!} onRetry={() => void stream.refetch().then(() => setFailure(undefined))} />}>
                  <Show when={data()} keyed>
                    {(s) => (
                      <VideoPlayer
                        stream={fromDownload(s)}
                        refresh={refresh}
                        target={target.data()}
                        subtitleLanguage={subtitleLanguages(settings.data())}
                        autoplayNext={settings.data()?.autoplayNext ?? true}
                        bufferingLabel={s.mode === 'progressive' ? 'Fetching the next pieces…' : undefined}
                        onStream={(playing) => setLiveMode(playing.mode)}
                        onNext={() => playNext(s)}
                        nowPlaying={{ title: title() }}
                        onProgressError={warnProgress}
                        onFailure={setFailure}
                      />
                    )}
                  </Show>
                </Show>
                <StreamingBadge mode={liveMode() ?? data().mode} job={job.data()} />
              </Stage>
              <div class="mt-6 min-w-0">
                <h1 class="text-2xl font-semibold tracking-tight text-ink sm:text-3xl">{title()}</h1>
                <p class="mt-2 truncate text-sm text-ink-subtle">{data().path} · {formatBytes(data().size)}</p>
                <Show when={!target.data()}>
                  <p class="mt-1 text-xs text-ink-subtle">Not linked to a title: your place in it isn't saved.</p>
                </Show>
              </div>
            </>
          )}
        </Match>
      </Switch>
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
