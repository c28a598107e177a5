import TriangleAlert from 'lucide-solid/icons/triangle-alert';
import { createEffect, createSignal, For, on, onCleanup, Show, type Accessor } from 'solid-js';
import { mediaTypeLabel } from '../../lib/format';
import { Poster } from '../media/Poster';
import { buttonStyles } from '../ui/button';
import { fieldStyles } from '../ui/form';
import { Modal } from '../ui/Modal';
import { fetchItem, libraryKeys, suggestTitles, type MatchChoice } from '../../api/library';
import { createApiQuery } from '../../api/queryClient';
import { episodeCode, formatConfidence, type Candidate, type LibraryItemLike, type UnmatchedCard } from './labels';
import { guessLine } from './UnmatchedQueue';

export interface MatchTarget {
  item: LibraryItemLike & Partial<Pick<UnmatchedCard, 'candidates' | 'guess' | 'fileName'>>;
  /** Set when the server refused a choice because it contradicts the parse: offer to force it. */
  conflict?: { choice: MatchChoice; message: string };
}

interface Option {
  key: string;
  choice: MatchChoice;
  mediaType: string;
  posterUrl?: string | null;
  detail: string;
}

const SEARCH_DEBOUNCE_MS = 250;

function candidateOption(c: Candidate): Option {
  const code = c.season != null && c.episode != null ? ` · ${episodeCode(c.season, c.episode)}` : '';
  return {
    key: `c-${c.mediaId}-${c.episodeId ?? ''}`,
    choice: { mediaId: c.mediaId, episodeId: c.episodeId ?? null, title: c.title },
    mediaType: c.mediaType,
    posterUrl: c.posterUrl,
    detail: `${c.year ?? ''}${code} · ${formatConfidence(c.confidence)} match`.replace(/^ · /, ''),
  };
}

/** The typed search, settled after a pause, or '' while shorter than two characters. */
function debounced(value: Accessor<string>): Accessor<string> {
  const [settled, setSettled] = createSignal('');
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(on(value, (v) => {
    clearTimeout(timer);
    timer = setTimeout(() => setSettled(v.trim().length >= 2 ? v.trim() : ''), SEARCH_DEBOUNCE_MS);
  }));
  onCleanup(() => clearTimeout(timer));
  return settled;
}

function OptionList(props: { label: string; options: Option[]; onChoose: (choice: MatchChoice) => void }) {
  return (
    <ul aria-label={props.label} class="flex flex-col gap-1">
      <For each={props.options}>
        {(option) => (
          <li>
            <button
              type="button"
              aria-label={`Choose ${option.choice.title}`}
              class="flex w-full items-center gap-3 rounded-xl p-2 text-left transition-colors hover:bg-hover focus-visible:bg-hover focus-visible:outline-none"
              onClick={() => props.onChoose(option.choice)}
            >
              <span class="w-9 shrink-0">
                <Poster title={{ id: option.choice.mediaId, mediaType: option.mediaType === 'show' ? 'show' : 'movie', title: option.choice.title, posterUrl: option.posterUrl }} />
              </span>
              <span class="min-w-0 flex-1">
                <span class="block truncate text-sm font-medium text-ink">{option.choice.title}</span>
                <span class="block truncate text-xs text-ink-subtle">{option.detail}</span>
              </span>
            </button>
          </li>
        )}
      </For>
    </ul>
  );
}

/** Pick the title a file is: the matcher's best guesses first, or search the catalog. */
function MatchPicker(props: { target: MatchTarget; onChoose: (choice: MatchChoice, force: boolean) => void }) {
  const item = () => props.target.item;
  const [term, setTerm] = createSignal('');
  const search = debounced(term);
  const detail = createApiQuery(() => {
    const id = item().id;
    return { queryKey: libraryKeys.item(id), queryFn: () => fetchItem(id), enabled: !item().candidates };
  });
  const candidates = () => (item().candidates ?? detail.data?.candidates ?? []).map(candidateOption);
  const results = createApiQuery(() => {
    const q = search();
    return { queryKey: libraryKeys.suggest(q), queryFn: () => suggestTitles(q), enabled: q !== '' };
  });
  const found = (): Option[] =>
    (results.data ?? []).map((s) => ({ key: `s-${s.id}`, choice: { mediaId: s.id, title: s.title }, mediaType: s.mediaType, posterUrl: s.posterUrl, detail: mediaTypeLabel(s.mediaType) }));
  const guess = () => item().guess ?? detail.data?.guess;
  const guessesNote = () => {
    if (item().candidates) return 'No likely titles: search the catalog.';
    if (detail.error) return `Couldn't load the best guesses (${detail.error.message}): search the catalog.`;
    return detail.isPending ? 'Loading best guesses…' : 'No likely titles: search the catalog.';
  };

  return (
    <div class="flex flex-col gap-4">
      <div class="rounded-xl bg-raised px-3.5 py-3 text-sm">
        <p class="truncate font-mono text-xs text-ink-subtle">{item().fileName ?? detail.data?.fileName ?? item().title}</p>
        <Show when={guess()}>{(g) => <p class="mt-1 text-ink-muted">Parsed as {guessLine(g())}</p>}</Show>
      </div>
      <Show when={props.target.conflict}>
        {(conflict) => (
          <div role="alert" class="flex flex-col gap-3 rounded-xl border border-warn/30 p-3.5 text-sm">
            <p class="flex gap-2 text-ink"><TriangleAlert class="mt-0.5 size-4 shrink-0 text-warn" strokeWidth={1.75} />{conflict().message}</p>
            <button type="button" class={`${buttonStyles.secondary} self-start`} onClick={() => props.onChoose(conflict().choice, true)}>
              Match to {conflict().choice.title} anyway
            </button>
          </div>
        )}
      </Show>
      <input type="search" aria-label="Search titles" placeholder="Search movies and shows" class={fieldStyles.input} value={term()} onInput={(e) => setTerm(e.currentTarget.value)} />
      <Show
        when={search()}
        fallback={
          <Show when={candidates().length > 0} fallback={<p class="text-sm text-ink-subtle">{guessesNote()}</p>}>
            <OptionList label="Best guesses" options={candidates()} onChoose={(c) => props.onChoose(c, false)} />
          </Show>
        }
      >
        <Show when={!results.error} fallback={<p role="alert" class={fieldStyles.error}>{results.error?.message}</p>}>
          <Show when={found().length > 0 || results.isFetching} fallback={<p class="text-sm text-ink-subtle">No movie or show called “{search()}”.</p>}>
            <OptionList label="Search results" options={found()} onChoose={(c) => props.onChoose(c, false)} />
          </Show>
        </Show>
      </Show>
    </div>
  );
}

/** The "Match file" dialog; its content mounts per opening, so a new file starts with a clean search. */
export function MatchDialog(props: {
  target: MatchTarget | undefined;
  onClose: () => void;
  onChoose: (target: MatchTarget, choice: MatchChoice, force: boolean) => void;
}) {
  return (
    <Modal open={props.target !== undefined} onOpenChange={(open) => !open && props.onClose()} title="Match file" description="Which movie or episode is this file?">
      <Show when={props.target} keyed>
        {(target) => <MatchPicker target={target} onChoose={(choice, force) => props.onChoose(target, choice, force)} />}
      </Show>
    </Modal>
  );
}
