import { Menu } from '@ark-ui/solid/menu';
import Captions from 'lucide-solid/icons/captions';
import Check from 'lucide-solid/icons/check';
import { For, Show } from 'solid-js';
import type { StreamResponse } from './api';
import { menuOrder, sourceHint, trackLabel } from './subtitles';

const item =
  'flex h-9 cursor-pointer items-center gap-3 rounded-lg px-2.5 text-sm text-white/75 outline-none transition-colors data-[highlighted]:bg-white/10 data-[highlighted]:text-white data-[state=checked]:text-white';

/**
 * "Subtitles": Off plus one entry per WebVTT track, the viewer's languages
 * first, then the rest alphabetically; a fetched track says "OpenSubtitles".
 * Without `preferred` the server's order is kept (the stream endpoint already
 * puts the viewer's languages first). `selected` is the track index (in
 * `tracks`) or -1.
 */
export function SubtitleMenu(props: {
  tracks: NonNullable<StreamResponse['subtitles']>;
  selected: number;
  onSelect: (index: number) => void;
  class: string;
  preferred?: readonly string[] | string | null;
}) {
  const order = () =>
    props.preferred === undefined ? props.tracks.map((_, index) => index) : menuOrder(props.tracks, props.preferred);
  return (
    <Menu.Root positioning={{ placement: 'top-end', gutter: 10 }}>
      <Menu.Trigger aria-label="Subtitles" data-testid="subtitle-menu" class={props.class} classList={{ 'text-accent': props.selected >= 0 }}>
        <Captions class="size-5" strokeWidth={1.75} />
      </Menu.Trigger>
      <Menu.Positioner>
        <Menu.Content class="z-50 min-w-48 rounded-2xl border border-white/10 bg-black/85 p-1.5 shadow-float outline-none backdrop-blur-xl data-[state=open]:animate-pop">
          <Menu.RadioItemGroup value={String(props.selected)} onValueChange={(d) => props.onSelect(Number(d.value))}>
            <Menu.ItemGroupLabel class="px-2.5 pb-1.5 pt-1 text-xs font-medium uppercase tracking-[0.14em] text-white/45">Subtitles</Menu.ItemGroupLabel>
            <Menu.RadioItem value="-1" class={item}>
              <Menu.ItemIndicator><Check class="size-4" strokeWidth={2} /></Menu.ItemIndicator>
              <Menu.ItemText>Off</Menu.ItemText>
            </Menu.RadioItem>
            <For each={order()}>
              {(index) => {
                const track = () => props.tracks[index]!;
                return (
                  <Menu.RadioItem value={String(index)} class={item} data-testid="subtitle-option">
                    <Menu.ItemIndicator><Check class="size-4" strokeWidth={2} /></Menu.ItemIndicator>
                    <Menu.ItemText class="flex-1">{trackLabel(track())}</Menu.ItemText>
                    <Show when={sourceHint(track())}>
                      {(hint) => <span class="text-[11px] text-white/40" data-testid="subtitle-source">{hint()}</span>}
                    </Show>
                  </Menu.RadioItem>
                );
              }}
            </For>
          </Menu.RadioItemGroup>
        </Menu.Content>
      </Menu.Positioner>
    </Menu.Root>
  );
}
