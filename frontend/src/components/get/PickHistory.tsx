import { For, Match, Show, Switch } from 'solid-js';
import { createApiQuery } from '../../api/queryClient';
import { fetchPickHistory, sourceKeys, type GetTarget, type PickRecord } from '../../api/sources';
import { formatRelative } from '../../lib/format';
import { ErrorState } from '../ui/ErrorState';
import { points } from './labels';

const REASONS: Record<PickRecord['reason'], string> = { best: 'best match', chosen: 'chosen by you', monitor: 'got automatically', fallback: 'the next release when a stream stalled' };

/** The total the pick was ranked with (its stored candidate: {score: {total}}), when recorded. */
function pickPoints(pick: PickRecord): number | undefined {
  const total = (pick.score as { score?: { total?: unknown } }).score?.total;
  return typeof total === 'number' ? points(total) : undefined;
}

/** "Demo · best match · 88 points · 2 hours ago". */
function PickLine(props: { pick: PickRecord; replaced?: boolean }) {
  const p = () => props.pick;
  const when = () =>
    props.replaced
      ? p().replacedAt ? `replaced ${formatRelative(p().replacedAt)}` : 'under another quality profile'
      : `picked ${formatRelative(p().createdAt)}`;
  const facts = () => [p().indexer, REASONS[p().reason], pickPoints(p()) !== undefined ? `${pickPoints(p())} points` : undefined, when()];
  return (
    <>
      <p class="break-all font-mono text-xs text-ink">{p().name}</p>
      <p class="mt-0.5 text-xs text-ink-subtle">{facts().filter(Boolean).join(' · ')}</p>
      <Show when={props.replaced && p().replacedReason}>{(why) => <p class="mt-0.5 text-xs text-ink-muted">{why()}</p>}</Show>
    </>
  );
}

/** Which release is in force for the unit and which ones it replaced (GET /picks), above the ranked list. */
export function PickHistory(props: { target: GetTarget }) {
  const history = createApiQuery(() => {
    const target = props.target;
    return { queryKey: sourceKeys.picks(target), queryFn: () => fetchPickHistory(target) };
  });
  const trail = () => history.data?.trail ?? [];
  return (
    <section aria-label="Pick history" class="mb-4 rounded-xl border border-line px-3.5 py-3">
      <h3 class="mb-1 text-xs font-medium text-ink-muted">Current pick</h3>
      <Switch>
        <Match when={history.error && !history.isFetching}>
          <ErrorState compact error={history.error!} title="Couldn't load the pick history" onRetry={() => void history.refetch()} />
        </Match>
        <Match when={history.data === undefined}>
          <p class="text-xs text-ink-subtle">Loading the pick history…</p>
        </Match>
        <Match when={history.data!.current}>{(current) => <PickLine pick={current()} />}</Match>
        <Match when={true}>
          <p class="text-xs text-ink-subtle">Nothing picked yet.</p>
        </Match>
      </Switch>
      <Show when={trail().length}>
        <details class="mt-2">
          <summary class="cursor-pointer select-none rounded text-xs text-ink-muted hover:text-ink focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent">
            {trail().length} earlier {trail().length === 1 ? 'pick' : 'picks'}
          </summary>
          <ul aria-label="Replaced picks" class="mt-2 flex flex-col gap-2">
            <For each={trail()}>{(pick) => <li><PickLine pick={pick} replaced /></li>}</For>
          </ul>
        </details>
      </Show>
    </section>
  );
}
