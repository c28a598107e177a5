import { For, type JSX } from 'solid-js';

export interface TabDef<K extends string> {
  key: K;
  label: string;
}

/**
 * A WAI-ARIA tab list: one tab in the Tab order, arrows/Home/End move between
 * tabs and select them (automatic activation), the panel is labelled by its tab.
 */
export function Tabs<K extends string>(props: {
  label: string;
  tabs: TabDef<K>[];
  selected: K;
  onSelect: (key: K) => void;
  children: JSX.Element;
}) {
  let list!: HTMLDivElement;
  const move = (event: KeyboardEvent, index: number) => {
    const last = props.tabs.length - 1;
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: last }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const wrapped = next < 0 ? last : next > last ? 0 : next;
    props.onSelect(props.tabs[wrapped]!.key);
    list.querySelectorAll<HTMLButtonElement>('[role="tab"]')[wrapped]?.focus();
  };
  return (
    <div>
      <div ref={list} role="tablist" aria-label={props.label} class="no-scrollbar -mx-5 mb-8 flex gap-1 overflow-x-auto border-b border-line px-5 sm:mx-0 sm:px-0">
        <For each={props.tabs}>
          {(tab, index) => (
            <button
              type="button"
              role="tab"
              id={`tab-${tab.key}`}
              aria-selected={props.selected === tab.key}
              aria-controls={`panel-${tab.key}`}
              tabindex={props.selected === tab.key ? 0 : -1}
              onClick={() => props.onSelect(tab.key)}
              onKeyDown={(e) => move(e, index())}
              class="relative -mb-px h-11 shrink-0 whitespace-nowrap border-b-2 px-4 text-sm font-medium transition-colors duration-200"
              classList={{
                'border-accent text-ink': props.selected === tab.key,
                'border-transparent text-ink-muted hover:text-ink': props.selected !== tab.key,
              }}
            >
              {tab.label}
            </button>
          )}
        </For>
      </div>
      <div role="tabpanel" id={`panel-${props.selected}`} aria-labelledby={`tab-${props.selected}`} tabindex="0" class="focus:outline-none">
        {props.children}
      </div>
    </div>
  );
}
