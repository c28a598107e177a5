import { A } from '@solidjs/router';
import type { JSX } from 'solid-js';
import type { TitleLike } from '../../api/types';
import { mediaTypeLabel, titleHref } from '../../lib/format';
import { Poster } from './Poster';

/** A compact title for lists: small poster, linked title, a line of detail. */
export function TitleLine(props: { title: TitleLike; detail?: JSX.Element; trailing?: JSX.Element }) {
  return (
    <div class="flex min-w-0 items-center gap-4">
      <A href={titleHref(props.title)} class="w-11 shrink-0 sm:w-12" tabindex="-1" aria-hidden="true">
        <Poster title={props.title} class="rounded-md" />
      </A>
      <div class="min-w-0 flex-1">
        <A href={titleHref(props.title)} class="block truncate font-medium text-ink transition-colors hover:text-accent-ink">
          {props.title.title}
        </A>
        <p class="mt-0.5 truncate text-xs text-ink-subtle">
          {mediaTypeLabel(props.title.mediaType)}
          {props.title.year ? ` · ${props.title.year}` : ''}
          {props.detail ? <> · {props.detail}</> : ''}
        </p>
      </div>
      {props.trailing}
    </div>
  );
}
