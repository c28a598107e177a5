import { createEffect, createSignal, onCleanup } from 'solid-js';
import { ApiError } from '../../api/client';
import { fetchPlayerSettings, playerKeys, subtitleLanguages } from '../../api/player';
import { createApiQuery, type ApiQuery } from '../../api/queryClient';
import { playback } from '../../stores/playback';
import { showToast } from '../../stores/toasts';

/** The viewer's player preferences, as the player reads them (the defaults while they load or if they fail). */
export interface PlayerPrefs {
  subtitleLanguage: string | readonly string[] | null;
  autoplayNext: boolean;
}

export interface PlayerSessionOptions {
  /** The page's stream query: what a retry asks again, and whose failure keeps the app shell. */
  query: ApiQuery<unknown>;
  /** What identifies the file on screen: when it changes, the new file starts clean. */
  file: () => unknown;
  /** Clears the page's own per-file state along with the stop message. */
  onNewFile?: () => void;
}

/**
 * What both player pages share around the stream they load: the viewer's player settings, a retry that
 * shows the loading state (polls stay quiet), the message the player stopped with, the once-per-visit
 * warning when progress can't be saved, and theater mode while the video is on screen.
 */
export function createPlayerSession(options: PlayerSessionOptions) {
  const { query } = options;
  // Preferences are a nicety here: if they don't load, play with the defaults.
  const settings = createApiQuery(() => ({ queryKey: playerKeys.settings, queryFn: fetchPlayerSettings }));
  // A retry the viewer asked for shows the loading state, as the first load does; polls stay quiet.
  const [retrying, setRetrying] = createSignal(false);
  const retry = () => {
    setRetrying(true);
    return query.refetch().finally(() => setRetrying(false));
  };
  const [stopped, setStopped] = createSignal<string>();
  let progressWarned = false;
  const prefs: PlayerPrefs = {
    get subtitleLanguage() {
      return subtitleLanguages(settings.data);
    },
    get autoplayNext() {
      return settings.data?.autoplayNext ?? true;
    },
  };

  createEffect(() => {
    options.file(); // a new file starts clean
    setStopped(undefined);
    options.onNewFile?.();
  });
  // The video on screen (not an error): theater mode there hides the app shell; an error keeps it.
  const staged = () => !query.error;
  createEffect(() => {
    if (staged()) onCleanup(playback.enterPlayer());
  });

  return {
    retrying,
    retry,
    /** The load failed (not while a retry or the first load runs): the page shows the error in place of the player. */
    failed: (): ApiError | undefined => (query.error && !query.isLoading && !retrying() ? query.error : undefined),
    /** Still loading the preferences: nothing plays until they are known (or failed). */
    prefsLoading: () => settings.isPending,
    prefs,
    /** Why playback stopped, in plain words; undefined while it plays. */
    stopped,
    stop: (message: string) => setStopped(message),
    /** "Try again" after playback stopped: the stream is asked afresh, then the player comes back. */
    retryPlayback: () => void retry().then(() => setStopped(undefined)),
    warnProgress: (error: unknown) => {
      if (progressWarned) return; // once per visit: a flaky connection should not bury the video in toasts
      progressWarned = true;
      showToast({ tone: 'error', title: "Couldn't save your place", body: error instanceof ApiError ? error.message : String(error) });
    },
  };
}

export type PlayerSession = ReturnType<typeof createPlayerSession>;

/** The page's heading as the document title. */
export function titleDocument(title: () => string) {
  createEffect(() => {
    document.title = `${title()} · /seen/`;
  });
}
