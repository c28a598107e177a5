import { createResource, createSignal, onCleanup, onMount, Show } from 'solid-js';
import { clock } from './PlayerControls';
import { parseThumbnails, thumbnailAt, type Thumbnail } from './segments';

/** The thumbnails track (a signed same-origin URL whose sprites are presigned): nothing shows when it fails. */
async function loadThumbnails(url: string): Promise<Thumbnail[]> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) return []; // no previews is a seek bar without pictures, not an error to show
  return parseThumbnails(await response.text());
}

/**
 * Scrub previews: hovering (or dragging) over the seek bar shows the thumbnail of the time under the
 * pointer, taken from the file's WebVTT thumbnails track. Placed inside the seek bar's box, it follows the
 * pointer over that box; the track is fetched once, when the player mounts.
 */
export function SeekPreview(props: { vttUrl: string; duration: number }) {
  let box!: HTMLDivElement;
  const [thumbnails] = createResource(() => props.vttUrl, loadThumbnails);
  const [hover, setHover] = createSignal<{ left: number; width: number; time: number } | undefined>();

  const onMove = (event: PointerEvent) => {
    const bar = box.parentElement;
    if (!bar || !Number.isFinite(props.duration) || props.duration <= 0) return;
    const rect = bar.getBoundingClientRect();
    const ratio = Math.min(Math.max((event.clientX - rect.left) / rect.width, 0), 1);
    setHover({ left: event.clientX - rect.left, width: rect.width, time: ratio * props.duration });
  };
  const onLeave = () => setHover(undefined);
  onMount(() => {
    const bar = box.parentElement;
    bar?.addEventListener('pointermove', onMove);
    bar?.addEventListener('pointerleave', onLeave);
    onCleanup(() => {
      bar?.removeEventListener('pointermove', onMove);
      bar?.removeEventListener('pointerleave', onLeave);
    });
  });

  const shown = () => {
    const at = hover();
    const thumbnail = at && thumbnailAt(thumbnails() ?? [], at.time);
    return at && thumbnail ? { at, thumbnail } : undefined;
  };

  return (
    <div ref={box} aria-hidden="true" class="pointer-events-none absolute inset-x-0 bottom-full">
      <Show when={shown()}>
        {(s) => (
          <div
            data-testid="seek-preview"
            data-time={Math.floor(s().at.time)}
            class="absolute bottom-3 overflow-hidden rounded-lg border border-white/20 bg-black shadow-float"
            style={{
              left: `${Math.min(Math.max(s().at.left - s().thumbnail.width / 2, 0), Math.max(s().at.width - s().thumbnail.width, 0))}px`,
              width: `${s().thumbnail.width}px`,
            }}
          >
            <div
              data-testid="seek-preview-image"
              style={{
                width: `${s().thumbnail.width}px`,
                height: `${s().thumbnail.height}px`,
                'background-image': `url("${s().thumbnail.url}")`,
                'background-position': `-${s().thumbnail.x}px -${s().thumbnail.y}px`,
                'background-repeat': 'no-repeat',
              }}
            />
            <p class="bg-black/80 py-0.5 text-center font-mono text-xs tabular-nums text-white">{clock(s().at.time)}</p>
          </div>
        )}
      </Show>
    </div>
  );
}
