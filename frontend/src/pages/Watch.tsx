import { useNavigate, useParams } from '@solidjs/router';
import { playback } from '../stores/playback';
import { createWatch } from './watch/watchData';
import { WatchView } from './watch/WatchView';

export { nowPlaying } from './watch/WatchView';

/** A library file in the player: its data (createWatch) wired to its view (WatchView). */
export default function WatchPage() {
  const params = useParams<{ libraryItemId: string }>();
  const navigate = useNavigate();
  const watch = createWatch(() => params.libraryItemId);

  return (
    <WatchView
      theater={playback.shellHidden()}
      error={watch.failed()}
      file={watch.current()}
      loading={watch.prefsLoading()}
      title={watch.title()}
      stopped={watch.stopped()}
      moving={watch.moving()}
      prefs={watch.prefs}
      refresh={watch.refresh}
      onRetry={() => void watch.retry()}
      onRetryPlayback={watch.retryPlayback}
      onNext={(next) => navigate(`/app/watch/${next.libraryItemId}`)}
      onPlaying={watch.onPlaying}
      onStatus={watch.onStatus}
      onProgressError={watch.warnProgress}
      onFailure={watch.onFailure}
    />
  );
}
