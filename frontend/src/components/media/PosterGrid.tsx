import { For } from 'solid-js';
import type { TitleLike } from '../../api/types';
import { PosterCard } from './PosterCard';

export function PosterGrid(props: { titles: TitleLike[]; showType?: boolean; label?: string }) {
  return (
    <ul
      aria-label={props.label}
      class="grid grid-cols-2 gap-x-4 gap-y-8 sm:grid-cols-3 sm:gap-x-5 md:grid-cols-4 lg:grid-cols-5 xl:grid-cols-6"
    >
      <For each={props.titles}>
        {(title) => (
          <li class="animate-enter">
            <PosterCard title={title} showType={props.showType} />
          </li>
        )}
      </For>
    </ul>
  );
}
