import { A } from '@solidjs/router';
import CircleAlert from 'lucide-solid/icons/circle-alert';
import Layers from 'lucide-solid/icons/layers';
import Play from 'lucide-solid/icons/play';
import { createEffect, createSignal, Show } from 'solid-js';
import { fetchVersions, libraryKeys } from '../../api/library';
import { createApiQuery } from '../../api/queryClient';
import { episodeCode, formatClock, versionQuality, watchHref, type TitleVersions } from '../library/labels';
import { VersionList } from '../library/VersionList';
import { buttonStyles } from '../ui/button';
import { Modal } from '../ui/Modal';
import { glassButton } from './actions';

/** "Play", "Resume from 42:10", "Play S01E02" or "Resume S01E02 from 10:00" (a show's page names the episode). */
export function playLabel(versions: Pick<TitleVersions, 'resume' | 'episode'>, nameEpisode: boolean): string {
  const ep = nameEpisode && versions.episode ? ` ${episodeCode(versions.episode.season, versions.episode.episode)}` : '';
  const at = versions.resume?.positionSeconds;
  return at ? `Resume${ep} from ${formatClock(at)}` : `Play${ep}`;
}

/**
 * Play (or Resume) on a title or episode page when the library holds it: the
 * best version (direct before repackaged before converted, then quality), and
 * a picker for the others. Nothing when the library has no file of it.
 * On a show's page (no episodeId) it plays the episode in progress, else the
 * first unwatched one the library holds.
 */
export function PlayButton(props: { mediaId: number; episodeId?: number | null; title: string; onHeld?: (held: boolean) => void }) {
  const versions = createApiQuery(() => {
    const target = { mediaId: props.mediaId, episodeId: props.episodeId };
    return { queryKey: libraryKeys.versions(target), queryFn: () => fetchVersions(target) };
  });
  const [open, setOpen] = createSignal(false);
  const showPage = () => props.episodeId == null;
  const held = () => versions.data?.versions ?? [];
  // The page quiets its other main button (Mark watched) while Play is the one to press.
  createEffect(() => props.onHeld?.(held().some((v) => v.playable)));

  return (
    <Show when={held().length ? versions.data : undefined}>
      {(v) => (
        <>
          <Show
            when={v().bestId}
            fallback={
              <p class="flex items-center gap-2 text-sm text-warn">
                <CircleAlert class="size-4 shrink-0" strokeWidth={2} />
                Can't play: {held()[0]!.playNote}
              </p>
            }
          >
            {(best) => (
              <A href={watchHref(best())} class={`${buttonStyles.primary} h-11 px-6`}>
                <Play class="size-4" fill="currentColor" strokeWidth={1.5} />
                {playLabel(v(), showPage())}
              </A>
            )}
          </Show>
          <Show when={held().length > 1}>
            <button type="button" class={glassButton} aria-haspopup="dialog" onClick={() => setOpen(true)}>
              <Layers class="size-4" strokeWidth={1.75} />
              {held().length} versions
            </button>
            <Modal
              open={open()}
              onOpenChange={setOpen}
              size="md"
              title={`Play a version of ${props.title}`}
              description={`Play starts the best one: ${versionQuality(held().find((x) => x.id === v().bestId) ?? held()[0]!)}.`}
            >
              <VersionList versions={held()} title={props.title} bestId={v().bestId} />
            </Modal>
          </Show>
        </>
      )}
    </Show>
  );
}
