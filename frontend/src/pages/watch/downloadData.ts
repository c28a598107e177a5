import { createEffect, createMemo, createSignal, on } from 'solid-js';
import { useNavigate, useSearchParams } from '@solidjs/router';
import type { QueryState } from '@tanstack/solid-query';
import type { ApiError } from '../../api/client';
import {
  fetchDownloadJob,
  fetchDownloadStream,
  fetchPlaybackSession,
  playerKeys,
  sendSessionBeat,
  startPlaybackSession,
  type DownloadAnswer,
  type DownloadStream,
  type PlayerStream,
  type PlayMode,
  type StreamWaiting,
} from '../../api/player';
import { createApiQuery } from '../../api/queryClient';
import type { DownloadDetail } from '../../api/types';
import { isActive } from '../../components/downloads/status';
import { linkOf, resolvePlaying, type JobLink, type Playing } from '../../components/player/downloadTarget';
import { fallbackHeading, headingText, qualityOf } from '../../components/player/heading';
import { downloadStreamWhenReady, fromDownload, isWaiting, pollDelay } from '../../components/player/streams';
import type { PlayerFailure } from '../../components/player/VideoPlayer';
import { showToast } from '../../stores/toasts';
import { atParam, createPlayerBeats, sessionCaps, switchNotice, type SessionSwitchTurn } from './recovery';
import { createPlayerSession, titleDocument } from './session';

interface StreamKey {
  id: string;
  file: number | undefined;
}

/** A stream answer tagged with what it answers, so a new ?file= never plays the previous file. */
interface Answered {
  key: StreamKey;
  answer: DownloadAnswer;
}

/** What the page was opened for: the download, and the file in it (`?file=`) or an episode (`?season=&episode=`). */
export interface DownloadFileParams {
  id: () => string;
  file: () => number | undefined;
  season: () => number | undefined;
  episode: () => number | undefined;
}

/** `?file=3` -> 3; anything else -> the server's default file (the largest video). */
export function fileParam(raw: string | string[] | undefined): number | undefined {
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return raw !== undefined && raw !== '' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** Why a download's file stopped, in words: a file that does not decode here says where it will play. */
function failureText(failed: PlayerFailure, mode: PlayMode): string {
  if (failed.kind !== 'media') return failed.message;
  return mode === 'progressive'
    ? "This file can't play in your browser while it downloads. When the download finishes it goes to your library, which converts it to play here."
    : "This file can't play in your browser. Open it from your library, which converts it to play here.";
}

/**
 * A download's file for the player: its stream (waiting out the 202 "not yet" with backoff), the job's live
 * progress, the title it is linked to (what progress is saved against) and the file holding an episode.
 */
export function createWatchDownload(params: DownloadFileParams) {
  const key = (): StreamKey => ({ id: params.id(), file: params.file() });
  // The mode the player is on now: a refresh turns a progressive stream into the stored one.
  const [liveMode, setLiveMode] = createSignal<PlayMode>();

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
  const answered = () => {
    const data = stream.data;
    return data && data.key.id === params.id() && data.key.file === params.file() ? data.answer : undefined;
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
  const session = createPlayerSession({ query: stream, file: key, onNewFile: () => setLiveMode(undefined) });
  const waiting = () => !current() && (stream.isFetching || session.retrying() || Boolean(notYet()));
  const job = createApiQuery(() => {
    const id = params.id();
    const every = waiting() ? 1000 : undefined; // the download's progress under the spinner
    return {
      queryKey: playerKeys.job(id),
      queryFn: () => fetchDownloadJob(id),
      refetchInterval: (query: { state: QueryState<DownloadDetail, ApiError> }) =>
        every ?? (query.state.data && isActive(query.state.data.status) ? 3000 : false),
      refetchIntervalInBackground: true,
    };
  });
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

  // Opened for one episode (the Get dialog's Play now on a pack): the server's default is the largest
  // file, so the page moves to the file holding that episode before anything plays.
  const episodeFile = createMemo(() => {
    const s = current();
    const season = params.season();
    const episode = params.episode();
    if (!s || params.file() !== undefined || season === undefined || episode === undefined) return undefined;
    const match = s.files?.find((f) => f.season === season && f.episode === episode);
    return match && match.index !== s.fileIndex ? match.index : undefined;
  });

  const playing = () => current()?.files?.find((f) => f.index === current()!.fileIndex);
  // The title in words when the job is linked to one; else the release's name once (the file name goes to the details).
  const title = (): string => {
    const heading = linked.data?.heading;
    return heading ? headingText(heading) : fallbackHeading(job.data?.title, playing());
  };
  titleDocument(title);

  const recovery = createRecovery(params, current, link);

  /** The player's stream, its Up next named by the episode's title when the season is known; after a switch it
   * starts where the stalled one waited. */
  const toPlayer = (answer: DownloadStream): PlayerStream => {
    const playerStream = { ...fromDownload(answer), resume: recovery.resumeAt() };
    const next = playerStream.next;
    const name = next?.episode != null ? linked.data?.episodeNames?.[next.episode] : undefined;
    return name && next ? { ...playerStream, next: { ...next, title: name } } : playerStream;
  };
  const refresh = async () => {
    const same = current();
    return toPlayer(await downloadStreamWhenReady(params.id(), same ? same.fileIndex : params.file()));
  };

  return {
    ...session,
    current,
    notYet,
    job: () => job.data,
    /** Nothing plays yet: the preferences, the title link or the episode's own file are still to come. */
    pending: () => session.prefsLoading() || resolving() || episodeFile() !== undefined,
    episodeFile,
    /** What progress is saved against; undefined for a job not linked to a title. */
    target: () => linked.data?.target,
    title,
    quality: () => qualityOf(current()?.path, job.data?.title),
    liveMode,
    toPlayer,
    refresh,
    onStream: (played: PlayerStream) => setLiveMode(played.mode),
    onStatus: recovery.onStatus,
    /** "Switched to <release> — the previous one stalled", after the session moved on. */
    notice: recovery.notice,
    onFailure: (failed: PlayerFailure, mode: PlayMode) => session.stop(failureText(failed, mode)),
  };
}

/**
 * The page's playback session (issue 37): opened once the file's title is known (or carried over by a switch as
 * `?session=`), fed with the player's status; when the server switches it to another download (the stream
 * stalled), the page moves there with `?at=` (the same second) and says so.
 */
function createRecovery(params: DownloadFileParams, current: () => DownloadStream | undefined, link: () => string | undefined) {
  const [search] = useSearchParams<{ session?: string; at?: string }>();
  const navigate = useNavigate();
  const session = createApiQuery(() => {
    const given = typeof search.session === 'string' ? search.session : undefined;
    const id = params.id();
    const text = link();
    const linked = text ? (JSON.parse(text) as JobLink | null) : null;
    return {
      queryKey: playerKeys.session(id, given ?? null),
      queryFn: () =>
        given
          ? fetchPlaybackSession(given)
          : startPlaybackSession({ mediaId: linked!.mediaId!, season: linked?.season ?? null, episode: linked?.episode ?? null, downloadId: id, deviceCaps: sessionCaps() }),
      // Only a file linked to a title has a session: a pasted magnet has no other release to switch to.
      enabled: Boolean(given) || linked?.mediaId != null,
      staleTime: Infinity,
      gcTime: 0,
      retry: false,
    };
  });
  const onSwitch = (turn: SessionSwitchTurn) => {
    const sessionId = session.data?.sessionId;
    showToast({ tone: 'info', title: switchNotice(turn.release), body: turn.reason }, 8000);
    const query = new URLSearchParams({ at: String(turn.atSeconds), ...(sessionId ? { session: sessionId } : {}) });
    navigate(`/app/watch/download/${turn.downloadId}?${query.toString()}`, { replace: true });
  };
  const beats = createPlayerBeats({
    sessionId: () => session.data?.sessionId,
    downloadId: params.id,
    fileIndex: () => current()?.fileIndex,
    send: sendSessionBeat,
    onSwitch,
  });
  createEffect(on(params.id, () => beats.reset(), { defer: true }));
  return {
    /** Read from the session (not kept by the page), so it survives the move to the new download. */
    notice: (): string | undefined => {
      const data = session.data;
      const last = data?.switches?.[data.switches.length - 1];
      return last && data?.file.downloadId === params.id() ? switchNotice(last.release) : undefined;
    },
    /** Where the stream starts after a switch (the second the previous one waited at). */
    resumeAt: () => atParam(search.at),
    onStatus: beats.onStatus,
  };
}
