import { A } from '@solidjs/router';
import Layers from 'lucide-solid/icons/layers';
import Play from 'lucide-solid/icons/play';
import { createSignal, Show } from 'solid-js';
import { formatBytes, formatDuration, titleHref } from '../../lib/format';
import { Poster } from '../media/Poster';
import { buttonStyles } from '../ui/button';
import { Modal } from '../ui/Modal';
import { canPlay, itemSubtitle, itemTitle, posterTitle, watchHref, type LibraryCard, type LibraryTitleCard } from './labels';
import { MatchBadge } from './MatchBadge';
import { VersionList } from './VersionList';

/** Details in one line: year or SxxEyy, resolution, duration. */
function metaLine(item: LibraryCard): string {
  return [itemSubtitle(item), item.resolution, item.durationSeconds ? formatDuration(item.durationSeconds) : undefined]
    .filter(Boolean)
    .join(' · ');
}

/**
 * One title in the library grid: the poster plays its best version (when a
 * browser can), the title opens the matched title's page, "3 versions" lists
 * every file with how it plays, and admins can match an unmatched file.
 */
export function LibraryItemCard(props: { item: LibraryCard | LibraryTitleCard; canEdit: boolean; onMatch: (item: LibraryCard) => void }) {
  const name = () => itemTitle(props.item);
  const media = () => props.item.media;
  const versions = () => ('versions' in props.item ? props.item.versions ?? [] : []);
  const count = () => versions().length;
  const best = () => versions()[0];
  const [open, setOpen] = createSignal(false);
  const poster = () => <Poster title={posterTitle(props.item)} class="transition-transform duration-300 ease-out-soft group-hover:-translate-y-1" />;

  return (
    <article aria-label={name()} class="group relative w-full animate-enter">
      <div class="relative">
        <Show when={canPlay(props.item)} fallback={<div class="opacity-70">{poster()}</div>}>
          <A
            href={watchHref(props.item.id)}
            aria-label={`Play ${name()}`}
            class="block rounded-xl outline-none focus-visible:ring-2 focus-visible:ring-accent focus-visible:ring-offset-4 focus-visible:ring-offset-canvas"
          >
            {poster()}
            <span
              aria-hidden="true"
              class="absolute inset-0 grid place-items-center rounded-xl bg-black/45 opacity-0 transition-opacity duration-300 group-hover:opacity-100 group-focus-within:opacity-100"
            >
              <span class="grid size-12 place-items-center rounded-full bg-white/90 text-black shadow-float">
                <Play class="ml-0.5 size-5" fill="currentColor" strokeWidth={1.5} />
              </span>
            </span>
          </A>
        </Show>
        <MatchBadge state={props.item.matchState} class="pointer-events-none absolute left-2 top-2" />
      </div>
      <Show when={media()} fallback={<p class="mt-3 truncate text-sm font-medium text-ink" title={props.item.fileName}>{props.item.title}</p>}>
        {(m) => (
          <A href={titleHref({ id: m().id, mediaType: m().mediaType === 'show' ? 'show' : 'movie' })} class="mt-3 block truncate text-sm font-medium text-ink hover:text-accent-ink">
            {props.item.title}
          </A>
        )}
      </Show>
      <Show when={props.item.episode?.title}>
        {(title) => <p class="truncate text-xs text-ink-muted">{title()}</p>}
      </Show>
      <p class="mt-0.5 truncate text-xs text-ink-subtle">{metaLine(props.item) || props.item.fileName}</p>
      <Show when={best()}>
        {(b) => (
          <p class="mt-0.5 truncate text-xs text-ink-subtle" title={b().fileName}>
            {[formatBytes(b().sizeBytes), b().fileName].join(' · ')}
          </p>
        )}
      </Show>
      {/* How it plays when that is not simply "directly": converted, repackaged, damaged. */}
      <Show when={props.item.playMode && (props.item.playMode !== 'direct' || props.item.flagged) && props.item.playNote}>
        {(note) => {
          const warn = () => !canPlay(props.item) || !!props.item.flagged;
          return <p class="mt-1 text-xs" classList={{ 'text-warn': warn(), 'text-ink-muted': !warn() }}>{note()}</p>;
        }}
      </Show>
      <Show when={!props.item.playNote && !canPlay(props.item)}>
        <p class="mt-1 text-xs text-warn">Not playable in the browser: the file's container or codecs are not ones a browser reads</p>
      </Show>
      <Show when={count() > 0}>
        <button
          type="button"
          class={`${buttonStyles.ghost} -ml-3 mt-1 h-8 text-xs`}
          aria-haspopup="dialog"
          aria-label={count() > 1 ? `${count()} versions of ${name()}` : `File details of ${name()}`}
          onClick={() => setOpen(true)}
        >
          <Layers class="size-3.5" strokeWidth={1.75} />
          {count() > 1 ? `${count()} versions` : 'File details'}
        </button>
        <Modal
          open={open()}
          onOpenChange={setOpen}
          size="md"
          title={name()}
          description={count() > 1 ? `${count()} versions, best first: plays directly, then repackaged, then converted; then the higher quality.` : 'The file in your library.'}
        >
          <VersionList versions={versions()} title={name()} bestId={count() > 1 ? props.item.id : undefined} />
        </Modal>
      </Show>
      <Show when={props.canEdit && props.item.matchState === 'unmatched'}>
        <button type="button" class={`${buttonStyles.ghost} -ml-3 mt-1`} onClick={() => props.onMatch(props.item)}>
          <span aria-hidden="true">Match…</span>
          <span class="sr-only">Match {name()}</span>
        </button>
      </Show>
    </article>
  );
}
