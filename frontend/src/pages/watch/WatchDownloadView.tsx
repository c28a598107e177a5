import { A } from '@solidjs/router';
import { Match, Show, Switch, type JSX } from 'solid-js';
import type { ApiError } from '../../api/client';
import type { DownloadStream, PlayerStatus, PlayerStream, PlayMode, ProgressTarget, StreamWaiting } from '../../api/player';
import type { DownloadDetail } from '../../api/types';
import { baseName } from '../../components/player/heading';
import { Buffering } from '../../components/player/Overlays';
import { Stage } from '../../components/player/Stage';
import { VideoPlayer, type PlayerFailure } from '../../components/player/VideoPlayer';
import { buttonStyles } from '../../components/ui/button';
import { ErrorState } from '../../components/ui/ErrorState';
import { formatBytes, formatSpeed } from '../../lib/format';
import { PlayerPage, PlayerStage, TitleLine, type BackTo } from './parts';
import type { PlayerPrefs } from './session';

const DOWNLOADS: BackTo = { href: '/app/downloads', label: 'Downloads', stopped: 'Back to Downloads' };

export interface WatchDownloadViewProps {
  /** Theater mode: the app shell is hidden. */
  theater: boolean;
  /** The stream could not be had (the job failed, has no such file, or is not the viewer's). */
  error?: ApiError;
  /** The file's stream; undefined while it loads or cannot play yet. */
  stream?: DownloadStream;
  /** The server's "not yet" (202) for the file: what is awaited. */
  notYet?: StreamWaiting;
  /** Something besides the stream is still to come before anything plays. */
  pending: boolean;
  /** The download, for its live progress. */
  job?: DownloadDetail;
  title: string;
  quality?: string;
  /** What progress is saved against; undefined when the job is not linked to a title. */
  target?: ProgressTarget;
  /** The mode the player is on now (a refresh turns a progressive stream into the stored one). */
  liveMode?: PlayMode;
  /** Why playback stopped, in plain words. */
  stopped?: string;
  prefs: PlayerPrefs;
  /** The stream as the player takes it. */
  toPlayer: (stream: DownloadStream) => PlayerStream;
  refresh: () => Promise<PlayerStream>;
  onRetry: () => void;
  onRetryPlayback: () => void;
  onNext: (stream: DownloadStream) => void;
  onStream: (stream: PlayerStream) => void;
  /** The player's position and whether it waits for data (the playback session's heartbeats). */
  onStatus?: (status: PlayerStatus) => void;
  /** Why another release plays now ("Switched to … — the previous one stalled"). */
  notice?: string;
  onProgressError: (error: unknown) => void;
  onFailure: (failure: PlayerFailure, mode: PlayMode) => void;
}

/** A download's file in the player while it downloads, with its progress; the page loads the stream and follows the player. */
export function WatchDownloadView(props: WatchDownloadViewProps) {
  return (
    <PlayerPage back={DOWNLOADS} theater={props.theater}>
      <Switch>
        <Match when={props.error}>
          {(error) => <NotPlayable error={error()} onRetry={() => props.onRetry()} />}
        </Match>
        <Match when={!props.stream || props.pending}>
          <Stage theater={props.theater}>
            <Buffering label={props.notYet ? waitingLabel(props.notYet) : 'Loading the video…'} detail={props.notYet ? progressLine(props.job) : undefined} />
          </Stage>
          <Heading title={props.title} quality={props.quality} theater={props.theater} />
        </Match>
        <Match when={props.stream}>
          {(data) => (
            <>
              <PlayerStage
                back={DOWNLOADS}
                theater={props.theater}
                stopped={props.stopped}
                onRetry={() => props.onRetryPlayback()}
                overlay={<StreamingBadge mode={props.liveMode ?? data().mode} job={props.job} />}
              >
                <Show when={data()} keyed>
                  {(s) => (
                    <VideoPlayer
                      stream={props.toPlayer(s)}
                      refresh={props.refresh}
                      target={props.target}
                      subtitleLanguage={props.prefs.subtitleLanguage}
                      autoplayNext={props.prefs.autoplayNext}
                      bufferingLabel={s.mode === 'progressive' ? 'Fetching the next pieces…' : undefined}
                      onStream={(playing) => props.onStream(playing)}
                      onStatus={(status) => props.onStatus?.(status)}
                      onNext={() => props.onNext(s)}
                      nowPlaying={{ title: props.title }}
                      onProgressError={props.onProgressError}
                      onFailure={(failed) => props.onFailure(failed, s.mode)}
                    />
                  )}
                </Show>
              </PlayerStage>
              <Heading title={props.title} quality={props.quality} theater={props.theater}>
                <p data-testid="player-details" class="mt-2 truncate text-sm text-ink-subtle">{baseName(data().path)} · {formatBytes(data().size)}</p>
                <Show when={props.notice}>
                  {(notice) => <p data-testid="session-notice" role="status" class="mt-1 text-sm text-ink-muted">{notice()}</p>}
                </Show>
                <Show when={!props.target}>
                  <p class="mt-1 text-xs text-ink-subtle">Not linked to a title: your place in it isn't saved.</p>
                </Show>
              </Heading>
            </>
          )}
        </Match>
      </Switch>
    </PlayerPage>
  );
}

/** What the spinner says while the file cannot play yet, by what is awaited. */
function waitingLabel(waiting: StreamWaiting): string {
  if (waiting.awaiting === 'download') return 'Waiting for the download to start again…';
  if (waiting.awaiting === 'files') return 'Starting… finding the files in the download';
  return 'Starting… fetching the first pieces';
}

/** "42% · 3.1 MB of 700 MB · ↓ 5.2 MB/s": the download's live progress under the buffering spinner. */
function progressLine(job: DownloadDetail | undefined): string | undefined {
  if (!job) return undefined;
  const done = `${formatBytes(job.bytesDone)}${job.bytesTotal ? ` of ${formatBytes(job.bytesTotal)}` : ''}`;
  return [`${Math.round(job.progress)}%`, done, job.speedBps ? `↓ ${formatSpeed(job.speedBps)}` : undefined].filter(Boolean).join(' · ');
}

/** The title (never the file name) and quality; the details line under it comes from the page. */
function Heading(props: { title: string; quality?: string; theater: boolean; children?: JSX.Element }) {
  return (
    <div class="mt-6 min-w-0" classList={{ 'px-5 sm:px-8 lg:px-12': props.theater }}>
      <TitleLine title={props.title} quality={props.quality} />
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
      <A href={DOWNLOADS.href} class={`${buttonStyles.secondary} mt-4`}>{DOWNLOADS.stopped}</A>
    </>
  );
}
