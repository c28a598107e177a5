import Link2Off from 'lucide-solid/icons/link-2-off';
import { createEffect, createSignal, For, Index, on, onCleanup, Show, type Accessor } from 'solid-js';
import { toApiError } from '../../api/client';
import {
  enrichmentKeys, fetchEnrichment, fetchUnmatched, matchItem, pauseSource, resumeSource, retrySource,
  type SourceCoverage, type UnmatchedItem, type UnmatchedPage,
} from '../../api/enrichment';
import { suggestTitles } from '../../api/library';
import { createApiQuery, queryClient, setQueryData } from '../../api/queryClient';
import { formatRelative, mediaTypeLabel } from '../../lib/format';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';
import { EmptyState } from '../ui/EmptyState';
import { fieldStyles } from '../ui/form';
import { LoadMore } from '../ui/LoadMore';
import { Modal } from '../ui/Modal';
import { Section } from '../ui/Page';
import { QueryView } from '../ui/QueryView';
import { ListSkeleton } from '../ui/Skeleton';
import { StatusDot } from '../ui/StatusDot';

const DEBOUNCE_MS = 250;
const PAGE = 25;

/** The parts of a source's coverage bar, in order, with their colours. */
const PARTS = [
  { key: 'matched', label: 'matched', bar: 'bg-accent' },
  { key: 'notFound', label: 'not found', bar: 'bg-warn' },
  { key: 'pending', label: 'pending', bar: 'bg-line-strong' },
  { key: 'failed', label: 'failed', bar: 'bg-danger' },
] as const;

/** Failure codes some sources record, said in words; any other error is shown as it was recorded. */
const ERRORS: Record<string, string> = {
  feed_unreachable: 'YouTube did not answer',
  feed_invalid: "YouTube's answer was not a channel feed",
  feed_refused: "YouTube's address was refused",
  feed_too_large: "YouTube's answer was too large",
  channel_not_found: 'YouTube has no such channel',
};
export const errorInWords = (error: string) => ERRORS[error] ?? error;

/** The typed text, settled after a pause ('' while shorter than `min`). */
function debounced(value: Accessor<string>, min: number): Accessor<string> {
  const [settled, setSettled] = createSignal('');
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(on(value, (v) => {
    clearTimeout(timer);
    timer = setTimeout(() => setSettled(v.trim().length >= min ? v.trim() : ''), DEBOUNCE_MS);
  }));
  onCleanup(() => clearTimeout(timer));
  return settled;
}

function CoverageParts(props: { source: SourceCoverage }) {
  const total = () => PARTS.reduce((sum, part) => sum + props.source[part.key], 0);
  const share = (n: number) => (total() ? (n / total()) * 100 : 0);
  return (
    <div>
      <div class="flex h-2 overflow-hidden rounded-full bg-raised" role="img" aria-label={`${props.source.label} coverage`}>
        <For each={PARTS}>{(part) => <div class={`h-full ${part.bar}`} style={{ width: `${share(props.source[part.key])}%` }} />}</For>
      </div>
      <p class="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs tabular-nums text-ink-muted">
        <For each={PARTS}>
          {(part) => (
            <span class="inline-flex items-center gap-1.5">
              <span class={`size-2 rounded-full ${part.bar}`} aria-hidden="true" />
              {props.source[part.key].toLocaleString()} {part.label}
            </span>
          )}
        </For>
      </p>
    </div>
  );
}

function SourceCard(props: { source: SourceCoverage; onChanged: (source: SourceCoverage) => void }) {
  const s = () => props.source;
  const [busy, setBusy] = createSignal(false);
  const act = async (what: string, run: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await run();
    } catch (error) {
      showToast({ tone: 'error', title: `Couldn't ${what} ${s().label}`, body: toApiError(error).message });
    } finally {
      setBusy(false);
    }
  };
  const togglePause = () =>
    act(s().paused ? 'resume' : 'pause', async () => props.onChanged(await (s().paused ? resumeSource : pauseSource)(s().source)));
  const retry = () =>
    act('retry', async () => {
      const done = await retrySource(s().source);
      showToast({
        tone: 'success',
        title: `${s().label}: ${done.reset.toLocaleString()} made pending again`,
        body: done.queued ? 'A sync was queued.' : 'They are asked again on the next run.',
      });
      await queryClient.invalidateQueries({ queryKey: enrichmentKeys.overview() });
    });
  const tone = () => (s().paused ? 'pending' : s().lastError || s().failed ? 'danger' : s().notFound ? 'warn' : 'ok');

  return (
    <li aria-label={s().label} class="flex flex-col gap-4 rounded-2xl border border-line bg-surface p-5">
      <div class="flex flex-wrap items-center justify-between gap-3">
        <p class="inline-flex items-center gap-2 font-medium text-ink">
          <StatusDot tone={tone()} />
          {s().label}
          <Show when={s().paused}><span class="rounded-full bg-raised px-2 py-0.5 text-xs text-ink-muted">Paused</span></Show>
        </p>
        <div class="flex gap-2">
          <Show when={s().pausable}>
            <button type="button" class={buttonStyles.ghost} disabled={busy()} onClick={() => void togglePause()}>
              {s().paused ? 'Resume' : 'Pause'}
            </button>
          </Show>
          <button type="button" class={buttonStyles.ghost} disabled={busy() || s().failed + s().notFound === 0} onClick={() => void retry()}>
            Retry failed
          </button>
        </div>
      </div>
      <Show when={!s().configured}>
        <p class="text-sm text-ink-subtle">Not set up: {s().source === 'media_servers' ? 'no media server added' : s().source === 'channels' ? 'no channel followed' : 'no API key'}.</p>
      </Show>
      <CoverageParts source={s()} />
      <p class="text-xs text-ink-subtle">{s().lastRunAt ? `Last run ${formatRelative(s().lastRunAt)}` : 'No run recorded'}</p>
      <Show when={s().lastError}>
        {(error) => <p class="rounded-xl border border-danger/30 bg-danger/10 px-3 py-2 text-xs text-danger">{errorInWords(error())}</p>}
      </Show>
    </li>
  );
}

/** The catalog search of the "Match…" dialog: titles of the item's kind, from the search suggestions. */
function TitlePicker(props: { item: UnmatchedItem; onChoose: (mediaId: number, title: string) => void; busy: boolean }) {
  const [term, setTerm] = createSignal(props.item.title);
  const search = debounced(term, 2);
  const results = createApiQuery(() => {
    const q = search();
    return { queryKey: ['admin', 'enrichment', 'suggest', q], queryFn: () => suggestTitles(q), enabled: q !== '' };
  });
  const found = () => (results.data ?? []).filter((hit) => hit.mediaType === props.item.kind);
  return (
    <div class="flex flex-col gap-4">
      <input type="search" aria-label="Search titles" placeholder={`Search ${props.item.kind}s`} class={fieldStyles.input} value={term()} onInput={(e) => setTerm(e.currentTarget.value)} />
      <Show when={!results.error} fallback={<p role="alert" class={fieldStyles.error}>{results.error?.message}</p>}>
        <Show when={found().length > 0 || results.isFetching || !search()} fallback={<p class="text-sm text-ink-subtle">No {props.item.kind} called “{search()}”.</p>}>
          <ul aria-label="Search results" class="flex flex-col gap-1">
            <For each={found()}>
              {(hit) => (
                <li>
                  <button type="button" disabled={props.busy} aria-label={`Choose ${hit.title}`} class="flex w-full items-center justify-between gap-3 rounded-xl p-2 text-left text-sm hover:bg-hover" onClick={() => props.onChoose(hit.id, hit.title)}>
                    <span class="truncate font-medium text-ink">{hit.title}</span>
                    <span class="shrink-0 text-xs text-ink-subtle">{hit.year ?? ''} {mediaTypeLabel(hit.mediaType)}</span>
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
    </div>
  );
}

function UnmatchedList() {
  const [term, setTerm] = createSignal('');
  const q = debounced(term, 1);
  const [loadingMore, setLoadingMore] = createSignal(false);
  const [target, setTarget] = createSignal<UnmatchedItem>();
  const [matching, setMatching] = createSignal(false);
  const list = createApiQuery(() => {
    const text = q();
    return { queryKey: enrichmentKeys.unmatched(text), queryFn: () => fetchUnmatched(text, null, PAGE) };
  });
  const setList = (update: (page: UnmatchedPage | undefined) => UnmatchedPage | undefined) =>
    setQueryData<UnmatchedPage>(enrichmentKeys.unmatched(q()), update);

  const loadMore = async () => {
    const current = list.data;
    if (!current?.nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await fetchUnmatched(q(), current.nextCursor, PAGE);
      setList(() => ({ items: [...current.items, ...page.items], nextCursor: page.nextCursor }));
    } catch (error) {
      showToast({ tone: 'error', title: "Couldn't load more unmatched items", body: toApiError(error).message });
    } finally {
      setLoadingMore(false);
    }
  };

  const choose = async (item: UnmatchedItem, mediaId: number, title: string) => {
    setMatching(true);
    try {
      const matched = await matchItem(item.id, mediaId);
      setList((page) => page && { ...page, items: page.items.filter((i) => i.id !== item.id) });
      setTarget(undefined);
      const episodes = matched.kind === 'show' ? ` (${matched.episodesLinked} episodes linked)` : '';
      showToast({ tone: 'success', title: `Matched ${item.title}`, body: `Now ${title}${episodes}` });
      await queryClient.invalidateQueries({ queryKey: enrichmentKeys.overview(), exact: true });
    } catch (error) {
      showToast({ tone: 'error', title: `Couldn't match ${item.title}`, body: toApiError(error).message });
    } finally {
      setMatching(false);
    }
  };

  return (
    <>
      <input type="search" aria-label="Search unmatched items" placeholder="Search by title" class={`${fieldStyles.input} mb-4`} value={term()} onInput={(e) => setTerm(e.currentTarget.value)} />
      <QueryView
        query={list}
        loading={<ListSkeleton rows={3} label="Loading unmatched items…" />}
        isEmpty={(page) => page.items.length === 0}
        errorTitle="Couldn't read the unmatched items"
        empty={<EmptyState icon={Link2Off} level={3} title={q() ? `Nothing unmatched called “${q()}”` : 'Nothing unmatched'} body="Every movie and show of the media servers is linked to a catalog title." />}
      >
        {(page) => (
          <>
            <ul aria-label="Unmatched items" class="divide-y divide-line rounded-2xl border border-line bg-surface">
              <For each={page().items}>
                {(item) => (
                  <li aria-label={item.title} class="flex items-center justify-between gap-3 px-4 py-3">
                    <span class="min-w-0">
                      <span class="block truncate text-sm font-medium text-ink">{item.title}</span>
                      <span class="block truncate text-xs text-ink-subtle">
                        {[item.year, mediaTypeLabel(item.kind), item.serverName].filter(Boolean).join(' · ')}
                      </span>
                    </span>
                    <button type="button" class={buttonStyles.ghost} aria-label={`Match ${item.title}`} onClick={() => setTarget(item)}>Match…</button>
                  </li>
                )}
              </For>
            </ul>
            <LoadMore when={page().nextCursor} loading={loadingMore()} onLoad={() => void loadMore()} class="mt-4" />
          </>
        )}
      </QueryView>
      <Modal open={target() !== undefined} onOpenChange={(open) => !open && setTarget(undefined)} title="Match to a title" description={target() ? `Which catalog title is “${target()!.title}”?` : undefined}>
        <Show when={target()} keyed>
          {(item) => <TitlePicker item={item} busy={matching()} onChoose={(mediaId, title) => void choose(item, mediaId, title)} />}
        </Show>
      </Modal>
    </>
  );
}

/** Enrichment at a glance: a card per source (coverage, pause/resume, retry, last run) and the unmatched items. */
export function EnrichmentPanel() {
  const overview = createApiQuery(() => ({ queryKey: enrichmentKeys.overview(), queryFn: fetchEnrichment }));
  const replace = (changed: SourceCoverage) =>
    setQueryData<SourceCoverage[]>(enrichmentKeys.overview(), (all) => all?.map((s) => (s.source === changed.source ? changed : s)));
  return (
    <>
      <Section id="enrichment" title="Enrichment">
        <QueryView query={overview} loading={<ListSkeleton rows={3} label="Loading enrichment…" />} errorTitle="Couldn't read the enrichment state">
          {(sources) => (
            <ul class="grid gap-3 lg:grid-cols-2" aria-label="Enrichment sources">
              <Index each={sources()}>{(source) => <SourceCard source={source()} onChanged={replace} />}</Index>
            </ul>
          )}
        </QueryView>
      </Section>
      <Section id="unmatched" title="Unmatched items">
        <UnmatchedList />
      </Section>
    </>
  );
}
