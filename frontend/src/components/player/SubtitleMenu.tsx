import { Menu } from '@ark-ui/solid/menu';
import Captions from 'lucide-solid/icons/captions';
import Check from 'lucide-solid/icons/check';
import { For, Show } from 'solid-js';
import type { StreamResponse } from '../../api/player';
import { menuGroups, trackLabel } from './subtitles';
import { formatOffset, syncPending, syncText, type SyncState } from './subtitleSync';

/** The showing track's timing: the viewer's offset and its auto-sync (library files only). */
export interface SubtitleTiming {
  offset: number;
  sync: SyncState | null | undefined;
  onNudge: (direction: 1 | -1) => void;
  onAutoSync: () => void;
}

const groupLabel = 'px-2.5 pb-1.5 pt-1 text-xs font-medium uppercase tracking-[0.14em] text-white/45';
const step =
  'grid h-8 min-w-8 cursor-pointer place-items-center rounded-lg px-2 text-sm text-white/75 outline-none transition-colors data-[highlighted]:bg-white/10 data-[highlighted]:text-white';
const item =
  'flex h-9 cursor-pointer items-center gap-3 rounded-lg px-2.5 text-sm text-white/75 outline-none transition-colors data-[highlighted]:bg-white/10 data-[highlighted]:text-white data-[state=checked]:text-white';

/**
 * "Subtitles": Off, then the WebVTT tracks grouped by where they came from (in
 * the video file, subtitle files beside it, fetched from OpenSubtitles); in each
 * group the viewer's languages first, then the rest alphabetically. Without
 * `preferred` the server's order is kept (the stream endpoint already puts the
 * viewer's languages first). `selected` is the track index (in `tracks`) or -1.
 * With `timing`, a track that shows gets a "Timing" group: −/+ 0.1 s (G/H) and Auto-sync.
 */
export function SubtitleMenu(props: {
  tracks: NonNullable<StreamResponse['subtitles']>;
  selected: number;
  onSelect: (index: number) => void;
  class: string;
  preferred?: readonly string[] | string | null;
  timing?: SubtitleTiming | null;
}) {
  const groups = () => menuGroups(props.tracks, props.preferred);
  return (
    <Menu.Root positioning={{ placement: 'top-end', gutter: 10 }}>
      <Menu.Trigger aria-label="Subtitles" data-testid="subtitle-menu" class={props.class} classList={{ 'text-accent': props.selected >= 0 }}>
        <Captions class="size-5" strokeWidth={1.75} />
      </Menu.Trigger>
      <Menu.Positioner>
        <Menu.Content class="z-50 min-w-48 rounded-2xl border border-white/10 bg-black/85 p-1.5 shadow-float outline-none backdrop-blur-xl data-[state=open]:animate-pop">
          <Menu.RadioItemGroup value={String(props.selected)} onValueChange={(d) => props.onSelect(Number(d.value))}>
            <Menu.ItemGroupLabel class={groupLabel}>Subtitles</Menu.ItemGroupLabel>
            <Menu.RadioItem value="-1" class={item}>
              <Menu.ItemIndicator><Check class="size-4" strokeWidth={2} /></Menu.ItemIndicator>
              <Menu.ItemText>Off</Menu.ItemText>
            </Menu.RadioItem>
          </Menu.RadioItemGroup>
          <For each={groups()}>
            {(group) => (
              <Menu.RadioItemGroup
                value={String(props.selected)}
                onValueChange={(d) => props.onSelect(Number(d.value))}
                class="mt-1 border-t border-white/10 pt-1"
                data-testid="subtitle-group"
                data-source={group.source ?? 'other'}
              >
                <Show when={group.label}>
                  <Menu.ItemGroupLabel class={groupLabel}>{group.label}</Menu.ItemGroupLabel>
                </Show>
                <For each={group.indices}>
                  {(index) => (
                    <Menu.RadioItem value={String(index)} class={item} data-testid="subtitle-option">
                      <Menu.ItemIndicator><Check class="size-4" strokeWidth={2} /></Menu.ItemIndicator>
                      <Menu.ItemText class="flex-1">{trackLabel(props.tracks[index]!)}</Menu.ItemText>
                    </Menu.RadioItem>
                  )}
                </For>
              </Menu.RadioItemGroup>
            )}
          </For>
          <Show when={props.selected >= 0 && props.timing}>
            {(timing) => (
              <Menu.ItemGroup class="mt-1 border-t border-white/10 pt-1" data-testid="subtitle-timing">
                <Menu.ItemGroupLabel class={groupLabel}>Timing</Menu.ItemGroupLabel>
                <div class="flex items-center gap-1 px-1">
                  <Menu.Item value="earlier" closeOnSelect={false} onSelect={() => timing().onNudge(-1)} class={step}
                    aria-label="Subtitles earlier (G)" data-testid="subtitle-earlier">−</Menu.Item>
                  <span class="flex-1 text-center font-mono text-sm tabular-nums text-white" data-testid="subtitle-offset">
                    {formatOffset(timing().offset)}
                  </span>
                  <Menu.Item value="later" closeOnSelect={false} onSelect={() => timing().onNudge(1)} class={step}
                    aria-label="Subtitles later (H)" data-testid="subtitle-later">+</Menu.Item>
                </div>
                <Menu.Item value="auto-sync" closeOnSelect={false} disabled={syncPending(timing().sync)}
                  onSelect={() => timing().onAutoSync()} class={`${item} data-[disabled]:cursor-default data-[disabled]:opacity-50`}
                  data-testid="subtitle-auto-sync">
                  <Menu.ItemText>Auto-sync to the audio</Menu.ItemText>
                </Menu.Item>
                <Show when={syncText(timing().sync)}>
                  {(text) => (
                    <p class="max-w-60 px-2.5 pb-1 text-xs text-white/60" data-testid="subtitle-sync-status"
                      data-status={timing().sync?.status} data-offset={timing().sync?.offsetSeconds ?? undefined}>{text()}</p>
                  )}
                </Show>
              </Menu.ItemGroup>
            )}
          </Show>
        </Menu.Content>
      </Menu.Positioner>
    </Menu.Root>
  );
}
