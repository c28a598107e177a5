import { createSignal } from 'solid-js';
import type { QueryState } from '@tanstack/solid-query';
import type { ApiError } from '../../api/client';
import { fetchItem } from '../../api/library';
import { playerKeys, sendSessionBeat, startPlaybackSession, type PlayerStream } from '../../api/player';
import { createApiQuery, pollEvery } from '../../api/queryClient';
import { itemTitle } from '../../components/library/labels';
import type { AskMode } from '../../components/player/capability';
import { askModeOf, fallbackNotice, fromLibrary, isPreparing, nextMode, playableStream, UNPLAYABLE_NEXT_STEP } from '../../components/player/streams';
import type { PlayerFailure } from '../../components/player/VideoPlayer';
import { reportFallback } from '../../components/player/playbackReports';
import { createPlayerBeats, sessionCaps } from './recovery';
import { createPlayerSession, titleDocument } from './session';

/**
 * Files and their stream, loaded together: the player needs both the URL and what to save progress against.
 * `mode`: the play mode already settled for this file (asking again while its HLS version is prepared).
 */
async function loadWatch(itemId: string, mode?: AskMode) {
  const [item, played] = await Promise.all([fetchItem(itemId), playableStream(itemId, mode)]);
  return { item, stream: played.stream, asked: played.asked };
}

export type WatchData = Awaited<ReturnType<typeof loadWatch>>;

const PREPARING_POLL_MS = 1000;

/**
 * A library file's data for the player: the file and its stream (asked again while a version is prepared),
 * the mode it settled on, and moving on to the next mode by itself when one does not play here.
 */
export function createWatch(itemId: () => string) {
  // The mode settled for the file on screen: polls and fresh links ask for it again rather than negotiate anew.
  let settled: { id: string; mode?: AskMode } | undefined;
  const modeFor = (id: string) => (settled?.id === id ? settled.mode : undefined);
  const poll = pollEvery(PREPARING_POLL_MS);
  // Asked again while a version is prepared (backing off while the API fails); a stream's links are signed
  // and short-lived, so a file opened again loads afresh instead of playing a cached answer (gcTime 0).
  const watch = createApiQuery(() => {
    const id = itemId();
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
  // What the player says while it moves on from a mode that did not play ("…converting it").
  const [moving, setMoving] = createSignal<string>();
  const current = (): WatchData | undefined => (watch.data?.item.id === itemId() ? watch.data : undefined);
  const title = () => (current() ? itemTitle(current()!.item) : 'Player');
  titleDocument(title);
  const session = createPlayerSession({ query: watch, file: itemId, onNewFile: () => setMoving(undefined) });
  const onStatus = createLibrarySession(itemId, current);

  /**
   * A stream that does not play in this browser moves on by itself to the next mode (direct → remux →
   * hls_audio → hls), saying so in a plain sentence; after the last one, or when no fresh stream could be
   * had, the player says why it stopped and what to do.
   */
  const onFailure = (failed: PlayerFailure) => {
    const id = itemId();
    const stream = current()?.stream;
    const next = failed.kind === 'media' && stream ? nextMode(askModeOf(stream)) : undefined;
    if (next) {
      settled = { id, mode: next };
      reportFallback();
      setMoving(fallbackNotice(next));
      void watch.refetch();
    } else if (failed.kind === 'media') session.stop(`This file can't play in your browser, even converted. ${UNPLAYABLE_NEXT_STEP}`);
    else if (failed.code === 'media_unplayable') session.stop(`${failed.message} ${UNPLAYABLE_NEXT_STEP}`);
    else session.stop(failed.message);
  };
  const refresh = async (): Promise<PlayerStream> => fromLibrary((await playableStream(itemId(), modeFor(itemId()))).stream, current()?.item);

  return {
    ...session,
    current,
    title,
    moving,
    /** Said while the new mode starts, not at every later stall. */
    onPlaying: () => setMoving(undefined),
    onFailure,
    refresh,
    /** The player's status, for the playback session's heartbeats. */
    onStatus,
  };
}

/**
 * The file's playback session (mode "library"), opened once the file is known to be a title's (matched), and
 * its heartbeats while it plays (as a download's page sends them), so `/resume` answers this very file.
 * Bookkeeping only: a session that fails to open or to beat never touches playback (no error shows).
 * Returns what takes the player's status.
 */
function createLibrarySession(itemId: () => string, current: () => WatchData | undefined) {
  const session = createApiQuery(() => {
    const item = current()?.item;
    const mediaId = item?.matchState === 'matched' ? item.media?.id : undefined;
    return {
      queryKey: playerKeys.librarySession(itemId()),
      queryFn: () =>
        startPlaybackSession({
          mediaId: mediaId!, season: item!.episode?.season ?? null, episode: item!.episode?.episode ?? null,
          libraryItemId: item!.id, deviceCaps: sessionCaps(),
        }),
      enabled: mediaId != null,
      staleTime: Infinity,
      gcTime: 0,
      retry: false,
    };
  });
  const beats = createPlayerBeats({
    // Not the previous file's session, kept on as placeholder until the next file's has opened.
    sessionId: () => (session.isPlaceholderData ? undefined : session.data?.sessionId),
    fileIndex: () => undefined,
    send: sendSessionBeat,
  });
  return beats.onStatus;
}
