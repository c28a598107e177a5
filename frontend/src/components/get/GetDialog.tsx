import { A } from '@solidjs/router';
import CircleCheck from 'lucide-solid/icons/circle-check';
import Download from 'lucide-solid/icons/download';
import Play from 'lucide-solid/icons/play';
import TriangleAlert from 'lucide-solid/icons/triangle-alert';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { toApiError } from '../../api/client';
import { createApiQuery } from '../../api/queryClient';
import { fetchSources, postPick, sourceKeys, type GetTarget } from '../../api/sources';
import type { PickCreated, SourceCandidate, SourceError } from '../../api/types';
import { useProfiles } from '../../stores/profiles';
import { showToast } from '../../stores/toasts';
import { glassButton } from '../detail/actions';
import { isWatchable, STATUS_LABEL, watchDownloadHref } from '../downloads/status';
import { buttonStyles } from '../ui/button';
import { Modal } from '../ui/Modal';
import { ListSkeleton } from '../ui/Skeleton';
import { QueryView } from '../ui/QueryView';
import { CandidateRow, RejectedList } from './CandidateRow';
import { candidateKey, splitCandidates, targetLabel } from './labels';
import { probeDeviceCaps } from '../player/deviceCaps';
import { PickHistory } from './PickHistory';
import { SearchedSummary, SearchReport } from './SearchReport';

/** "Slow tracker: timed out after 10 s · Junk: not Torznab XML": indexers that gave nothing this time; and
 * the releases an indexer sent that cannot be used, each by its name and why (in a disclosure: rarely read). */
function IndexerErrors(props: { errors: SourceError[] }) {
  const failed = () => props.errors.filter((e) => !e.title);
  const leftOut = () => props.errors.filter((e) => e.title);
  return (
    <>
      <Show when={failed().length}>
        <div role="note" aria-label="Indexer problems" class="mb-4 flex gap-2 rounded-xl border border-warn/30 px-3.5 py-2.5 text-sm text-ink-muted">
          <TriangleAlert class="mt-0.5 size-4 shrink-0 text-warn" strokeWidth={1.75} />
          <p>
            {failed().length === 1 ? 'One indexer' : `${failed().length} indexers`} gave no results:{' '}
            <For each={failed()}>{(e, i) => <>{i() > 0 ? ' · ' : ''}<span class="text-ink">{e.indexer}</span>: {e.message}</>}</For>
          </p>
        </div>
      </Show>
      <Show when={leftOut().length}>
        <details aria-label="Releases left out" class="mb-4 rounded-xl border border-line px-3.5 py-2.5 text-sm text-ink-muted">
          <summary class="cursor-pointer">
            {leftOut().length === 1 ? 'One release was left out' : `${leftOut().length} releases were left out`}: they cannot be downloaded
          </summary>
          <ul class="mt-2 space-y-1">
            <For each={leftOut()}>
              {(e) => <li><span class="break-all text-ink">{e.title}</span> ({e.indexer}): {e.message}</li>}
            </For>
          </ul>
        </details>
      </Show>
    </>
  );
}

/** The ranked releases with the best pre-selected; "Get this release" picks it and starts the download. */
function SourcePicker(props: { target: GetTarget; onStarted: (result: PickCreated) => void; onCancel: () => void }) {
  const [fresh, setFresh] = createSignal(false);
  const device = probeDeviceCaps(); // the same device asks for the listing and the pick
  const sources = createApiQuery(() => {
    const target = props.target;
    const again = fresh();
    return { queryKey: sourceKeys.candidates(target, again), queryFn: () => fetchSources(target, again, device) };
  });
  const searchAgain = () => (fresh() ? void sources.refetch() : setFresh(true));
  const sides = createMemo(() => splitCandidates(sources.data?.candidates ?? []));
  // An older server sends no report: its per-indexer errors are then the only explanation.
  const searched = () => sources.data?.searched ?? [];
  const [chosen, setChosen] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const selected = () => sides().fits.find((c) => candidateKey(c) === chosen()) ?? sides().fits[0];
  // Without an infohash (a .torrent link not fetched yet) only the server's own best can be asked for.
  const pickable = (c: SourceCandidate | undefined) => Boolean(c && (c.infohash || c === sides().fits[0]));

  const get = async () => {
    const candidate = selected();
    if (!candidate || busy()) return;
    setBusy(true);
    try {
      const result = await postPick(props.target, candidate, device);
      // The same pick asked for again returns the job it already started.
      showToast({
        tone: 'success', title: result.reused ? 'Already getting this' : 'Download started', body: result.pick.name,
        link: { href: '/app/downloads', label: 'View in Downloads' },
      });
      props.onStarted(result);
    } catch (error) {
      showToast({ tone: 'error', title: `Couldn't get “${candidate.name}”`, body: toApiError(error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <QueryView
      query={sources}
      loading={<ListSkeleton rows={3} label="Searching indexers…" />}
      isEmpty={(s) => s.candidates.length === 0}
      empty={
        <>
          <Show when={!sources.data?.searched}>
            <IndexerErrors errors={sources.data?.errors ?? []} />
          </Show>
          <div class="flex flex-col items-center gap-3 rounded-xl bg-raised px-3.5 py-6 text-center text-sm text-ink-muted">
            <p>No releases found for {targetLabel(props.target)}.</p>
            <Show when={sources.data?.searched}>
              <SearchReport searched={searched()} title={props.target.title} />
            </Show>
            <button type="button" class={buttonStyles.secondary} disabled={sources.isFetching} onClick={searchAgain}>Search again</button>
          </div>
        </>
      }
      errorTitle="Couldn't search the indexers"
    >
      {(result) => (
        <div class="flex flex-col gap-4">
          <IndexerErrors errors={result().errors} />
          <Show
            when={sides().fits.length}
            fallback={
              <div class="flex flex-col gap-3 rounded-xl bg-raised px-3.5 py-4 text-sm text-ink-muted">
                <p>Every release found was rejected; see why below.</p>
                <Show when={result().searched}>
                  <SearchReport searched={searched()} title={props.target.title} />
                </Show>
              </div>
            }
          >
            <fieldset>
              <legend class="mb-2 text-sm text-ink-muted">{sides().fits.length} {sides().fits.length === 1 ? 'release fits' : 'releases fit'}, best first</legend>
              <ul aria-label="Releases" class="flex flex-col gap-2">
                <For each={sides().fits}>
                  {(c, i) => <CandidateRow candidate={c} best={i() === 0} checked={selected() === c} onSelect={() => setChosen(candidateKey(c))} />}
                </For>
              </ul>
            </fieldset>
          </Show>
          <Show when={sides().rejected.length}>
            <RejectedList candidates={sides().rejected} />
          </Show>
          <Show when={sides().fits.length}>
            <SearchedSummary searched={searched()} title={props.target.title} />
          </Show>
          <div class="sticky -bottom-6 -mx-6 -mb-6 flex flex-wrap items-center justify-end gap-3 border-t border-line bg-surface px-6 py-4">
            <Show when={selected() && !pickable(selected())}>
              <p class="mr-auto text-xs text-ink-subtle">This release has no infohash yet; only the best one can be picked.</p>
            </Show>
            <button type="button" class={buttonStyles.ghost} disabled={sources.isFetching} onClick={searchAgain}>Search again</button>
            <button type="button" class={buttonStyles.ghost} onClick={() => props.onCancel()}>Cancel</button>
            <button type="button" class={buttonStyles.primary} disabled={busy() || !pickable(selected())} onClick={() => void get()}>
              <Download class="size-4" strokeWidth={1.75} />
              {busy() ? 'Starting…' : 'Get this release'}
            </button>
          </div>
        </div>
      )}
    </QueryView>
  );
}

/** After a pick: the job it started and the way to follow it. */
function Started(props: { result: PickCreated; target: GetTarget; onClose: () => void }) {
  const job = () => props.result.job;
  return (
    <div role="status" class="flex flex-col gap-4">
      <p class="flex items-start gap-3 rounded-xl border border-ok/30 bg-ok/10 px-3.5 py-3 text-sm text-ink">
        <CircleCheck class="mt-0.5 size-4 shrink-0 text-ok" strokeWidth={2} />
        <span>
          {props.result.reused ? 'Already picked' : 'Download started'}: <span class="break-all font-mono text-xs">{props.result.pick.name}</span>
          <span class="block text-xs text-ink-muted">
            {job() ? STATUS_LABEL[job()!.status] : 'Its download was removed'} · from {props.result.pick.indexer}
          </span>
        </span>
      </p>
      <div class="flex justify-end gap-3">
        <button type="button" class={buttonStyles.ghost} onClick={() => props.onClose()}>Close</button>
        <Show when={job() && isWatchable(job()!.status) ? job() : undefined} fallback={<A href="/app/downloads" class={buttonStyles.primary}>View in Downloads</A>}>
          {(watchable) => (
            <>
              <A href="/app/downloads" class={buttonStyles.secondary}>View in Downloads</A>
              <A href={watchDownloadHref(watchable().id, { season: props.target.season, episode: props.target.episode })} class={buttonStyles.primary} title="Starts as soon as the first pieces are in">
                <Play class="size-4" fill="currentColor" strokeWidth={1.5} />
                Play now
              </A>
            </>
          )}
        </Show>
      </div>
    </div>
  );
}

/** The "Get" dialog; its content mounts per opening, so every opening searches afresh. */
export function GetDialog(props: { target: GetTarget | undefined; onClose: () => void }) {
  const [started, setStarted] = createSignal<PickCreated>();
  const close = () => {
    setStarted(undefined);
    props.onClose();
  };
  return (
    <Modal
      open={props.target !== undefined}
      onOpenChange={(open) => !open && close()}
      title={props.target ? `Get ${targetLabel(props.target)}` : 'Get'}
      description="Releases from your indexers, ranked by health, quality fit, size and consistency."
      size="lg"
    >
      <Show when={props.target} keyed>
        {(target) => (
          <Show
            when={started()}
            fallback={
              <>
                <PickHistory target={target} />
                <SourcePicker target={target} onStarted={setStarted} onCancel={close} />
              </>
            }
          >
            {(result) => <Started result={result()} target={target} onClose={close} />}
          </Show>
        )}
      </Show>
    </Modal>
  );
}

/**
 * The "Get" action of a detail page: opens the dialog for its movie, season or episode.
 * `compact`: an icon button whose accessible name (and tooltip) is the label, for list rows.
 */
export function GetButton(props: { target: GetTarget; label?: string; class?: string; compact?: boolean }) {
  const [open, setOpen] = createSignal(false);
  const label = () => props.label ?? 'Get';
  const profiles = useProfiles();
  return (
    // A kid profile cannot Get (the API answers 403 not_for_kids): no button to press.
    <Show when={!profiles.isKid()}>
      <button
        type="button"
        class={props.class ?? (props.compact ? buttonStyles.icon : glassButton)}
        aria-haspopup="dialog"
        aria-label={props.compact ? label() : undefined}
        title={props.compact ? label() : undefined}
        onClick={() => setOpen(true)}
      >
        <Download class="size-4" strokeWidth={1.75} />
        <Show when={!props.compact}>{label()}</Show>
      </button>
      <GetDialog target={open() ? props.target : undefined} onClose={() => setOpen(false)} />
    </Show>
  );
}
