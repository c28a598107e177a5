import { SegmentGroup } from '@ark-ui/solid/segment-group';
import type { LucideIcon } from 'lucide-solid';
import Monitor from 'lucide-solid/icons/monitor';
import Moon from 'lucide-solid/icons/moon';
import Sun from 'lucide-solid/icons/sun';
import { For } from 'solid-js';
import { isThemePreference, useTheme, type ThemePreference } from '../../stores/theme';

const options: { value: ThemePreference; label: string; icon: LucideIcon }[] = [
  { value: 'dark', label: 'Dark', icon: Moon },
  { value: 'light', label: 'Light', icon: Sun },
  { value: 'system', label: 'System', icon: Monitor },
];

/**
 * Dark / light / system, as a radio group (Ark UI SegmentGroup: arrow keys move
 * the choice). `showLabels` spells the options out, e.g. on the settings page.
 */
export function ThemeSwitch(props: { showLabels?: boolean; id?: string }) {
  const theme = useTheme();

  return (
    <SegmentGroup.Root
      id={props.id}
      value={theme.preference()}
      onValueChange={(details) => {
        if (isThemePreference(details.value)) theme.setPreference(details.value);
      }}
      orientation="horizontal"
      class="relative inline-flex items-center gap-0.5 rounded-full border border-line bg-surface p-0.5"
    >
      <SegmentGroup.Label class="sr-only">Theme</SegmentGroup.Label>
      <SegmentGroup.Indicator class="top-(--top) h-(--height) w-(--width) rounded-full border border-line-strong bg-raised shadow-float [--transition-duration:250ms]" />
      <For each={options}>
        {(option) => (
          <SegmentGroup.Item
            value={option.value}
            title={props.showLabels ? undefined : option.label}
            class="relative z-10 inline-flex h-8 cursor-pointer select-none items-center justify-center gap-2 rounded-full text-sm text-ink-subtle transition-colors duration-200 hover:text-ink data-[focus-visible]:outline-2 data-[focus-visible]:outline-offset-2 data-[focus-visible]:outline-accent data-[state=checked]:text-ink"
            classList={{ 'w-8': !props.showLabels, 'px-3.5': props.showLabels }}
          >
            <option.icon class="size-4" strokeWidth={1.75} />
            <SegmentGroup.ItemText class={props.showLabels ? '' : 'sr-only'}>{option.label}</SegmentGroup.ItemText>
            <SegmentGroup.ItemControl />
            <SegmentGroup.ItemHiddenInput />
          </SegmentGroup.Item>
        )}
      </For>
    </SegmentGroup.Root>
  );
}
