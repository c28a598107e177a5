import { A } from '@solidjs/router';
import CircleAlert from 'lucide-solid/icons/circle-alert';
import CircleCheck from 'lucide-solid/icons/circle-check';
import Play from 'lucide-solid/icons/play';
import RefreshCw from 'lucide-solid/icons/refresh-cw';
import { For, Show } from 'solid-js';
import { formatBytes, formatDuration } from '../../lib/format';
import { buttonStyles } from '../ui/button';
import { versionCodecs, versionQuality, watchHref, type LibraryVersion } from './labels';

/** The note's icon: ready as it is, made ready when you press Play, or not playable. */
function NoteIcon(props: { version: LibraryVersion }) {
  return (
    <Show
      when={props.version.playable}
      fallback={<CircleAlert aria-hidden="true" class="mt-0.5 size-3.5 shrink-0 text-warn" strokeWidth={2} />}
    >
      <Show
        when={props.version.playMode === 'direct'}
        fallback={<RefreshCw aria-hidden="true" class="mt-0.5 size-3.5 shrink-0 text-ink-subtle" strokeWidth={2} />}
      >
        <CircleCheck aria-hidden="true" class="mt-0.5 size-3.5 shrink-0 text-ok" strokeWidth={2} />
      </Show>
    </Show>
  );
}

/**
 * A title's files, best first: quality, size, codecs, file name, and how each
 * plays (or why not), with Play for each one a browser can play.
 */
export function VersionList(props: { versions: LibraryVersion[]; title: string; bestId?: string | null }) {
  return (
    <ul aria-label={`Versions of ${props.title}`} class="divide-y divide-line">
      <For each={props.versions}>
        {(version) => {
          const quality = versionQuality(version);
          return (
            <li aria-label={`${quality}, ${formatBytes(version.sizeBytes)}`} class="flex flex-col gap-3 py-4 first:pt-0 last:pb-0 sm:flex-row sm:items-start sm:justify-between">
              <div class="min-w-0 flex-1">
                <p class="flex flex-wrap items-center gap-x-2 text-sm font-medium text-ink">
                  {quality}
                  <Show when={version.id === props.bestId}>
                    <span class="rounded-full bg-accent-soft px-2 py-0.5 text-[11px] font-medium text-accent-ink">Best</span>
                  </Show>
                </p>
                <p class="mt-0.5 text-xs text-ink-muted">
                  {[formatBytes(version.sizeBytes), versionCodecs(version), version.durationSeconds ? formatDuration(version.durationSeconds) : undefined]
                    .filter(Boolean)
                    .join(' · ')}
                </p>
                <p class="mt-1 break-all font-mono text-[11px] text-ink-subtle" title={version.fileName}>{version.fileName}</p>
                <p class="mt-1.5 flex items-start gap-1.5 text-xs" classList={{ 'text-warn': !version.playable, 'text-ink-muted': version.playable }}>
                  <NoteIcon version={version} />
                  <span>{version.playNote}</span>
                </p>
              </div>
              <Show when={version.playable}>
                <A href={watchHref(version.id)} class={`${buttonStyles.secondary} h-9 shrink-0 px-4`} aria-label={`Play ${quality} version`}>
                  <Play class="size-3.5" fill="currentColor" strokeWidth={1.5} />
                  Play
                </A>
              </Show>
            </li>
          );
        }}
      </For>
    </ul>
  );
}
