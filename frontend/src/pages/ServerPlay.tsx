import { useParams, useSearchParams } from '@solidjs/router';
import { Match, Show, Switch } from 'solid-js';
import type { ApiError } from '../api/client';
import { fetchServerStream, myMediaServerKeys, type ServerStream } from '../api/myMediaServers';
import type { PlayerStream } from '../api/player';
import { createApiQuery } from '../api/queryClient';
import { Stage } from '../components/player/Stage';
import { VideoPlayer, type PlayerFailure } from '../components/player/VideoPlayer';
import { ErrorState } from '../components/ui/ErrorState';
import { LoadingLabel } from '../components/ui/Skeleton';
import { playback } from '../stores/playback';
import { PlayerPage, PlayerStage, TitleLine, type BackTo } from './watch/parts';
import { createPlayerSession, titleDocument, type PlayerPrefs } from './watch/session';

/** The server's own stream as the player takes it: the file as it is, no subtitles of ours, from where you stopped. */
export const asPlayerStream = (stream: ServerStream): PlayerStream => ({
  url: stream.url,
  mode: 'direct',
  mimeType: stream.mime,
  subtitles: [],
  resume: stream.resumeSeconds,
});

/** An owned file played from the Jellyfin or Plex server itself, with your token; your place is saved on the title. */
export default function ServerPlayPage() {
  const params = useParams<{ serverId: string; itemId: string }>();
  const [search] = useSearchParams<{ title?: string; server?: string; back?: string }>();
  const query = createApiQuery(() => ({
    queryKey: myMediaServerKeys.stream(params.serverId, params.itemId),
    queryFn: () => fetchServerStream(params.serverId, params.itemId),
    staleTime: Number.POSITIVE_INFINITY, // a stream URL does not change while it plays
  }));
  const session = createPlayerSession({ query, file: () => `${params.serverId}/${params.itemId}` });
  const title = () => search.title || 'Playing from your media server';
  titleDocument(title);
  const back = (): BackTo => ({ href: search.back?.startsWith('/app/') ? search.back : '/app/dashboard', label: 'Back', stopped: 'Back to the title' });
  return (
    <ServerPlayView
      back={back()}
      title={title()}
      server={search.server}
      stream={query.data}
      error={session.failed()}
      loading={session.prefsLoading()}
      prefs={session.prefs}
      stopped={session.stopped()}
      theater={playback.shellHidden()}
      refresh={async () => asPlayerStream((await query.refetch()).data!)}
      onRetry={() => void session.retry()}
      onRetryPlayback={session.retryPlayback}
      onProgressError={session.warnProgress}
      onFailure={(failure: PlayerFailure) => session.stop(failure.message)}
    />
  );
}

export interface ServerPlayViewProps {
  back: BackTo;
  title: string;
  server?: string;
  stream?: ServerStream;
  error?: ApiError;
  loading: boolean;
  prefs: PlayerPrefs;
  stopped?: string;
  theater: boolean;
  refresh: () => Promise<PlayerStream>;
  onRetry: () => void;
  onRetryPlayback: () => void;
  onProgressError: (error: unknown) => void;
  onFailure: (failure: PlayerFailure) => void;
}

export function ServerPlayView(props: ServerPlayViewProps) {
  return (
    <PlayerPage back={props.back} theater={props.theater}>
      <Switch>
        <Match when={props.error}>
          {(error) => (
            <>
              <h1 class="mb-6 text-3xl font-semibold tracking-tight text-ink">Can't play this from the server</h1>
              <ErrorState error={error()} onRetry={() => props.onRetry()} />
            </>
          )}
        </Match>
        <Match when={!props.stream || props.loading}>
          <LoadingLabel label="Loading the video…" />
          <Stage theater={props.theater}><div class="size-full animate-shimmer bg-white/[0.03]" /></Stage>
        </Match>
        <Match when={props.stream}>
          {(stream) => (
            <>
              <PlayerStage back={props.back} theater={props.theater} stopped={props.stopped} onRetry={() => props.onRetryPlayback()}>
                <VideoPlayer
                  stream={asPlayerStream(stream())}
                  refresh={props.refresh}
                  target={stream().mediaId ? { mediaId: stream().mediaId!, episodeId: stream().episodeId } : undefined}
                  subtitleLanguage={props.prefs.subtitleLanguage}
                  autoplayNext={false}
                  onNext={() => undefined}
                  onProgressError={props.onProgressError}
                  onFailure={props.onFailure}
                />
              </PlayerStage>
              <div class="mt-6" classList={{ 'px-5 sm:px-8 lg:px-12': props.theater }}>
                <TitleLine title={props.title} />
                <Show when={props.server}>
                  <p data-testid="played-from" class="mt-2 text-sm text-ink-subtle">Playing from {props.server}</p>
                </Show>
              </div>
            </>
          )}
        </Match>
      </Switch>
    </PlayerPage>
  );
}
