import X from 'lucide-solid/icons/x';
import { createSignal, For, onCleanup, onMount } from 'solid-js';
import type { PlayMode, StreamFacts } from '../../api/player';
import { bufferAhead, infoRows, type LiveSample } from './playbackInfo';

const SAMPLE_MS = 1000;

function sample(video: HTMLVideoElement): LiveSample {
  const quality = typeof video.getVideoPlaybackQuality === 'function' ? video.getVideoPlaybackQuality() : undefined;
  return {
    width: video.videoWidth,
    height: video.videoHeight,
    bufferAhead: video.buffered ? bufferAhead(video.buffered, video.currentTime) : 0,
    droppedFrames: quality?.droppedVideoFrames,
    totalFrames: quality?.totalVideoFrames,
    duration: video.duration,
  };
}

/** "Playback info": how the video plays and how it is doing, over the top left of the stage; refreshed every second. */
export function PlaybackInfo(props: { mode: PlayMode; facts?: StreamFacts; video: HTMLVideoElement; onClose: () => void }) {
  const [live, setLive] = createSignal<LiveSample>(sample(props.video));
  onMount(() => {
    const timer = setInterval(() => setLive(sample(props.video)), SAMPLE_MS);
    onCleanup(() => clearInterval(timer));
  });
  return (
    <section
      role="dialog"
      aria-label="Playback info"
      data-testid="playback-info"
      class="absolute left-3 top-3 z-20 w-72 max-w-[calc(100%-1.5rem)] rounded-2xl border border-white/10 bg-black/80 p-4 text-white shadow-float backdrop-blur-xl sm:left-5 sm:top-4"
    >
      <div class="mb-2 flex items-center justify-between">
        <h2 class="text-sm font-semibold">Playback info</h2>
        <button type="button" aria-label="Close playback info" class="grid size-7 place-items-center rounded-full text-white/70 hover:bg-white/10 hover:text-white" onClick={() => props.onClose()}>
          <X class="size-4" strokeWidth={2} />
        </button>
      </div>
      <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-xs">
        <For each={infoRows(props.mode, props.facts, live())}>
          {([label, value]) => (
            <>
              <dt class="text-white/55">{label}</dt>
              <dd class="text-white/90 tabular-nums" data-info={label}>{value}</dd>
            </>
          )}
        </For>
      </dl>
    </section>
  );
}
