import { useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { createEffect } from 'solid-js';
import { watchDownloadHref } from '../components/downloads/status';
import { nextIndex } from '../components/player/streams';
import { playback } from '../stores/playback';
import { createWatchDownload, fileParam } from './watch/downloadData';
import { WatchDownloadView } from './watch/WatchDownloadView';

/** A download's file in the player: progressive while it downloads, from the bucket once stored. */
export default function WatchDownloadPage() {
  const params = useParams<{ id: string }>();
  const [search] = useSearchParams<{ file?: string; season?: string; episode?: string }>();
  const navigate = useNavigate();
  const watch = createWatchDownload({
    id: () => params.id,
    file: () => fileParam(search.file),
    season: () => fileParam(search.season),
    episode: () => fileParam(search.episode),
  });
  // Opened for one episode of a pack: move to the file holding it before anything plays.
  createEffect(() => {
    const index = watch.episodeFile();
    if (index !== undefined) navigate(watchDownloadHref(params.id, { file: index }), { replace: true });
  });

  return (
    <WatchDownloadView
      theater={playback.shellHidden()}
      error={watch.failed()}
      stream={watch.current()}
      notYet={watch.notYet()}
      pending={watch.pending()}
      job={watch.job()}
      title={watch.title()}
      quality={watch.quality()}
      target={watch.target()}
      liveMode={watch.liveMode()}
      stopped={watch.stopped()}
      prefs={watch.prefs}
      toPlayer={watch.toPlayer}
      refresh={watch.refresh}
      onRetry={() => void watch.retry()}
      onRetryPlayback={watch.retryPlayback}
      onNext={(stream) => {
        const index = nextIndex(stream);
        if (index !== undefined) navigate(watchDownloadHref(params.id, { file: index }));
      }}
      onStream={watch.onStream}
      onStatus={watch.onStatus}
      notice={watch.notice()}
      onProgressError={watch.warnProgress}
      onFailure={watch.onFailure}
    />
  );
}
