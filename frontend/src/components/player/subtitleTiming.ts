/**
 * The player's subtitle timing for a library file: each track's offset (the viewer's, saved with a debounce
 * and read back on the next load) and auto-sync (asked of the worker; its state polled from the item's
 * subtitle list while queued or running). The showing track's cues are shifted live.
 */
import { createEffect, createSignal, on, onCleanup } from 'solid-js';
import { toApiError } from '../../api/client';
import { fetchSubtitleSyncs, requestSubtitleSync, saveSubtitleOffset, type Subtitle } from '../../api/player';
import type { SubtitleTiming } from './SubtitleMenu';
import { createDebouncedSave, cueShift, shiftCues, stepOffset, syncPending, type SyncState } from './subtitleSync';

export const POLL_MS = 2000;

type Syncs = Record<string, SyncState | null | undefined>;

export function createSubtitleTiming(options: {
  itemId: () => string | undefined;
  tracks: () => readonly Subtitle[];
  selected: () => number;
  /** The element's text track at a track index (cues load once it shows). */
  textTrack: (index: number) => TextTrack | undefined;
  onError?: (error: unknown) => void;
}) {
  const [offsets, setOffsets] = createSignal<Record<string, number>>({});
  const [syncs, setSyncs] = createSignal<Syncs>({});
  const touched = new Set<string>(); // offsets changed here win over a refreshed stream's (maybe unsaved yet)
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const saver = createDebouncedSave(
    (value: { item: string; track: string; seconds: number }) => saveSubtitleOffset(value.item, value.track, value.seconds),
    undefined,
    options.onError,
  );

  const current = () => {
    const track = options.tracks()[options.selected()];
    return track?.id && options.itemId() ? (track as Subtitle & { id: string }) : undefined;
  };

  const poll = () => {
    clearTimeout(pollTimer);
    const item = options.itemId();
    if (disposed || !item || !Object.values(syncs()).some(syncPending)) return;
    pollTimer = setTimeout(() => {
      fetchSubtitleSyncs(item)
        .then((found) => !disposed && setSyncs((known) => ({ ...known, ...found })))
        .catch(() => undefined) // the next poll tries again
        .finally(poll);
    }, POLL_MS);
  };

  createEffect(
    on(options.tracks, (tracks) => {
      const withId = tracks.filter((t): t is Subtitle & { id: string } => Boolean(t.id));
      setOffsets((known) => ({
        ...Object.fromEntries(withId.map((t) => [t.id, t.offsetSeconds ?? 0])),
        ...Object.fromEntries([...touched].map((id) => [id, known[id] ?? 0])),
      }));
      setSyncs((known) => ({ ...known, ...Object.fromEntries(withId.map((t) => [t.id, t.sync ?? null])) }));
      poll();
    }),
  );

  const shift = () => {
    const track = current();
    return track ? cueShift(track, offsets()[track.id] ?? 0, syncs()[track.id]) : 0;
  };

  /** Shift the showing track's cues (again: after its cues loaded). */
  const apply = () => {
    const index = options.selected();
    if (index >= 0) shiftCues(options.textTrack(index), shift());
  };
  createEffect(apply);

  const nudge = (direction: 1 | -1) => {
    const track = current();
    const item = options.itemId();
    if (!track || !item) return;
    const seconds = stepOffset(offsets()[track.id] ?? 0, direction);
    touched.add(track.id);
    setOffsets((known) => ({ ...known, [track.id]: seconds }));
    saver.schedule({ item, track: track.id, seconds });
  };

  const autoSync = () => {
    const track = current();
    const item = options.itemId();
    if (!track || !item || syncPending(syncs()[track.id])) return;
    setSyncs((known) => ({ ...known, [track.id]: { status: 'queued' } }));
    requestSubtitleSync(item, track.id)
      .catch((error) => {
        const fault = toApiError(error);
        if (fault.status === 409) return; // already on its way: the poll shows it
        setSyncs((known) => ({ ...known, [track.id]: { status: 'failed', error: fault.message } }));
      })
      .finally(poll);
  };

  onCleanup(() => {
    disposed = true;
    clearTimeout(pollTimer);
    saver.flush(); // leaving within the debounce: the last step is still saved
  });

  const timing = (): SubtitleTiming | null => {
    const track = current();
    return track
      ? { offset: offsets()[track.id] ?? 0, sync: syncs()[track.id], onNudge: nudge, onAutoSync: autoSync }
      : null;
  };

  return { timing, nudge, apply };
}
