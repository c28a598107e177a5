import ArrowDown from 'lucide-solid/icons/arrow-down';
import ArrowUp from 'lucide-solid/icons/arrow-up';
import GripVertical from 'lucide-solid/icons/grip-vertical';
import { createSignal, For, type JSX } from 'solid-js';
import { moveItem } from '../../lib/reorder';

/**
 * A list the user can reorder: drag by the grip, or the up/down buttons (the
 * keyboard path). `onReorder` gets the whole new order; the caller applies it
 * optimistically and rolls back on failure.
 */
export function ReorderList<T>(props: {
  items: T[];
  label: string;
  itemLabel: (item: T) => string;
  onReorder: (next: T[], moved: T) => void;
  children: (item: T, index: () => number) => JSX.Element;
  disabled?: boolean;
}) {
  const [dragging, setDragging] = createSignal<number>();
  const [over, setOver] = createSignal<number>();
  const move = (from: number, to: number) => {
    if (to < 0 || to >= props.items.length || from === to) return;
    props.onReorder(moveItem(props.items, from, to), props.items[from] as T);
  };
  const iconButton =
    'grid size-8 place-items-center rounded-full text-ink-subtle transition-colors hover:bg-hover hover:text-ink disabled:pointer-events-none disabled:opacity-25';

  return (
    <ol aria-label={props.label} class="flex flex-col gap-2">
      <For each={props.items}>
        {(item, index) => (
          <li
            class="group relative flex items-center gap-2 rounded-2xl border bg-surface p-2.5 pr-3 transition-[border-color,transform,opacity] duration-200 sm:gap-3"
            classList={{
              'border-accent/50': over() === index() && dragging() !== index(),
              'border-line hover:border-line-strong': over() !== index() || dragging() === index(),
              'opacity-50': dragging() === index(),
            }}
            onDragOver={(event) => {
              if (dragging() === undefined) return;
              event.preventDefault();
              setOver(index());
            }}
            onDrop={(event) => {
              event.preventDefault();
              const from = dragging();
              setDragging(undefined);
              setOver(undefined);
              if (from !== undefined) move(from, index());
            }}
          >
            <span
              draggable={!props.disabled}
              onDragStart={(event) => {
                setDragging(index());
                event.dataTransfer?.setData('text/plain', String(index()));
                if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
              }}
              onDragEnd={() => {
                setDragging(undefined);
                setOver(undefined);
              }}
              class="hidden cursor-grab touch-none text-ink-subtle active:cursor-grabbing sm:block"
              aria-hidden="true"
              title="Drag to reorder"
            >
              <GripVertical class="size-4" strokeWidth={1.75} />
            </span>
            <span class="w-6 shrink-0 text-center text-xs tabular-nums text-ink-subtle">{index() + 1}</span>
            <div class="min-w-0 flex-1">{props.children(item, index)}</div>
            <div class="flex shrink-0 flex-col sm:flex-row">
              <button type="button" class={iconButton} disabled={props.disabled || index() === 0} aria-label={`Move ${props.itemLabel(item)} up`} onClick={() => move(index(), index() - 1)}>
                <ArrowUp class="size-4" strokeWidth={1.75} />
              </button>
              <button type="button" class={iconButton} disabled={props.disabled || index() === props.items.length - 1} aria-label={`Move ${props.itemLabel(item)} down`} onClick={() => move(index(), index() + 1)}>
                <ArrowDown class="size-4" strokeWidth={1.75} />
              </button>
            </div>
          </li>
        )}
      </For>
    </ol>
  );
}
